// The collectors of the resources catalogue: they read the audited namespaces (config:
// resources.namespaces, or every namespace but resources.excludeNamespaces and kube-assay's own)
// and turn what they list into facts (audit-facts.ts). One cluster-wide list per kind, filtered
// here, so an audit costs a handful of requests whatever the number of namespaces.
import type { V1Namespace, V1Node } from '@kubernetes/client-node';
import type { ClusterClients } from '../cluster/client.js';
import { isOwnedByKubeAssay } from '../cluster/labels.js';
import type { Collector, Collectors } from '../checks/sources.js';
import type { Fact, Finding, Predicates } from '../checks/types.js';
import { AUTOSCALER_NAMESPACE, clusterMinor } from './autoscaler.js';
import { autoscalerFacts, hpaFacts, namespaceFacts, podFacts, quotaFacts, workloadFacts, type ContainerFact, type WorkloadFactData } from './audit-facts.js';
import type { ResourcesConfig } from './config.js';

export const REGION_LABEL = 'topology.kubernetes.io/region';
export const SCALE_DOWN_DISABLED = 'cluster-autoscaler.kubernetes.io/scale-down-disabled';

/** Which namespaces the audits judge: the listed ones, else all but the excluded and ours. */
export function auditedNamespaces(all: readonly V1Namespace[], settings: Pick<ResourcesConfig, 'namespaces' | 'excludeNamespaces'>): V1Namespace[] {
  if (settings.namespaces.length > 0) return all.filter((n) => settings.namespaces.includes(n.metadata?.name ?? ''));
  return all.filter((n) => !settings.excludeNamespaces.includes(n.metadata?.name ?? '') && !isOwnedByKubeAssay(n.metadata?.labels));
}

/** The region ECR images should come from: the config's, else the nodes' label. */
export function clusterRegion(nodes: readonly V1Node[], configured: string | undefined): string | undefined {
  return configured ?? nodes.map((n) => n.metadata?.labels?.[REGION_LABEL]).find((r) => r !== undefined && r !== '');
}

function inNamespaces<T extends { metadata?: { namespace?: string } }>(items: readonly T[], names: ReadonlySet<string>): T[] {
  return items.filter((i) => names.has(i.metadata?.namespace ?? ''));
}

async function audited(clients: ClusterClients, settings: ResourcesConfig): Promise<{ namespaces: V1Namespace[]; names: Set<string> }> {
  const namespaces = auditedNamespaces((await clients.core.listNamespace()).items, settings);
  return { namespaces, names: new Set(namespaces.map((n) => n.metadata?.name ?? '')) };
}

function collector(description: string, collect: (clients: ClusterClients) => Promise<Fact[]>): Collector {
  return { description, collect };
}

export function resourceCollectors(settings: ResourcesConfig): Collectors {
  return {
    workloads: collector('list the workloads (Deployments, StatefulSets, DaemonSets, CronJobs, Jobs, bare pods) of the audited namespaces', async (clients) => {
      const { names } = await audited(clients, settings);
      const [deployments, statefulsets, daemonsets, cronjobs, jobs, pods, nodes] = await Promise.all([
        clients.apps.listDeploymentForAllNamespaces(),
        clients.apps.listStatefulSetForAllNamespaces(),
        clients.apps.listDaemonSetForAllNamespaces(),
        clients.batch.listCronJobForAllNamespaces(),
        clients.batch.listJobForAllNamespaces(),
        clients.core.listPodForAllNamespaces(),
        settings.region === undefined ? clients.core.listNode() : Promise.resolve({ items: [] }),
      ]);
      return workloadFacts(
        {
          deployments: inNamespaces(deployments.items, names),
          statefulsets: inNamespaces(statefulsets.items, names),
          daemonsets: inNamespaces(daemonsets.items, names),
          cronjobs: inNamespaces(cronjobs.items, names),
          jobs: inNamespaces(jobs.items, names),
          pods: inNamespaces(pods.items, names),
        },
        { requireDigestNamespaces: settings.requireDigestNamespaces, region: clusterRegion(nodes.items, settings.region) },
      );
    }),
    pods: collector('list the pods of the audited namespaces', async (clients) => {
      const { names } = await audited(clients, settings);
      return podFacts(inNamespaces((await clients.core.listPodForAllNamespaces()).items, names));
    }),
    namespaces: collector('list the audited namespaces with their pods, ResourceQuotas and LimitRanges', async (clients) => {
      const { namespaces, names } = await audited(clients, settings);
      const [pods, quotas, limitRanges] = await Promise.all([clients.core.listPodForAllNamespaces(), clients.core.listResourceQuotaForAllNamespaces(), clients.core.listLimitRangeForAllNamespaces()]);
      return namespaceFacts(namespaces, inNamespaces(pods.items, names), inNamespaces(quotas.items, names), inNamespaces(limitRanges.items, names));
    }),
    resourcequotas: collector('list the ResourceQuotas of the audited namespaces', async (clients) => {
      const { names } = await audited(clients, settings);
      return quotaFacts(inNamespaces((await clients.core.listResourceQuotaForAllNamespaces()).items, names));
    }),
    hpas: collector('list the HorizontalPodAutoscalers (autoscaling/v2) of the audited namespaces and their targets', async (clients) => {
      const { names } = await audited(clients, settings);
      const [hpas, deployments, statefulsets, replicasets] = await Promise.all([
        clients.autoscaling.listHorizontalPodAutoscalerForAllNamespaces(),
        clients.apps.listDeploymentForAllNamespaces(),
        clients.apps.listStatefulSetForAllNamespaces(),
        clients.apps.listReplicaSetForAllNamespaces(),
      ]);
      return hpaFacts(inNamespaces(hpas.items, names), { deployments: deployments.items, statefulsets: statefulsets.items, replicasets: replicasets.items });
    }),
    'cluster-autoscaler': collector(`find the cluster-autoscaler Deployment in ${AUTOSCALER_NAMESPACE} and read its flags, the pods it cannot help and the nodes it may not scale down`, async (clients) => {
      const [deployments, events, pods, nodes, version] = await Promise.all([
        clients.apps.listNamespacedDeployment({ namespace: AUTOSCALER_NAMESPACE }),
        clients.core.listEventForAllNamespaces({ fieldSelector: 'reason=NotTriggerScaleUp' }),
        clients.core.listPodForAllNamespaces({ fieldSelector: 'status.phase=Pending' }),
        clients.core.listNode(),
        clients.version.getCode(),
      ]);
      const pending = new Set(pods.items.map((p) => `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`));
      const unhelped = [...new Set(events.items.filter((e) => e.involvedObject.kind === 'Pod').map((e) => `${e.involvedObject.namespace ?? ''}/${e.involvedObject.name ?? ''}`))].filter((p) => pending.has(p));
      return autoscalerFacts(deployments.items, {
        clusterMinor: clusterMinor(version.minor),
        pendingUnhelped: unhelped.sort(),
        scaleDownDisabledNodes: nodes.items.filter((n) => n.metadata?.annotations?.[SCALE_DOWN_DISABLED] === 'true').map((n) => n.metadata?.name ?? '?'),
      });
    }),
  };
}

/** The collector names, for loading the catalogue before any settings exist. */
export const RESOURCE_COLLECTOR_NAMES = Object.keys(resourceCollectors({ namespaces: [], excludeNamespaces: [], requireDigestNamespaces: [] }));

/** ECR images pulled from another region than the cluster's: two fields of one container, which
 *  a data rule cannot compare. */
function ecrSameRegion(fact: Fact): Finding[] {
  const data = fact.data as WorkloadFactData;
  const ecr = Object.entries(data.containers ?? {}).filter((entry): entry is [string, ContainerFact & { ecrRegion: string }] => entry[1].ecrRegion !== undefined);
  if (ecr.length === 0) return [];
  if (data.region === undefined) {
    return [{ field: 'region', seen: 'unknown', expected: 'the cluster\'s region', severity: 'warn', because: `the cluster's region is unknown (no ${REGION_LABEL} label on the nodes): set resources.region so ECR images can be judged` }];
  }
  return ecr
    .filter(([, c]) => c.ecrRegion !== data.region)
    .map(([name, c]) => ({
      field: `containers.${name}.image`,
      seen: `${JSON.stringify(c.image)} (${c.ecrRegion})`,
      expected: `an ECR repository in ${data.region}`,
      because: `container ${name} pulls from ECR in ${c.ecrRegion} while the cluster runs in ${data.region}: pulls are slower, cross-region transfer is billed, and they fail when that region is impaired`,
    }));
}

export const resourcePredicates: Predicates = {
  'ecr-same-region': { scope: 'object', check: ecrSameRegion },
};
