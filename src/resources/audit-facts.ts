// The facts the resources catalogue (suites/resources/checks.yaml) judges, built from API objects.
// Pure, so every shape is unit-tested and fixture files can spell the same facts. Workloads are
// judged per workload (a Deployment, not each of its pods), with their containers keyed by name
// so a table row names the container: `containers.web.requests.cpu`.
import type {
  V1Container,
  V1CronJob,
  V1DaemonSet,
  V1Deployment,
  V1Job,
  V1LimitRange,
  V1Namespace,
  V1ObjectMeta,
  V1Pod,
  V1PodSpec,
  V1ReplicaSet,
  V1ResourceQuota,
  V1StatefulSet,
  V2HorizontalPodAutoscaler,
} from '@kubernetes/client-node';
import type { Fact } from '../checks/types.js';
import { autoscalerContainer, minorOfTag, parseFlags } from './autoscaler.js';
import { isMovingTag, parseImageReference, type ImagePinning } from './images.js';
import { quantityValue } from '../cluster/quantity.js';

export interface ContainerFact {
  init: boolean;
  image: string;
  registry: string;
  tag?: string;
  digest?: string;
  pinning: ImagePinning;
  pullPolicy: string;
  /** The pull policy of a container whose tag moves (latest or none); unset otherwise. */
  movingTagPullPolicy?: string;
  ecrRegion?: string;
  requests: Record<string, string>;
  limits: Record<string, string>;
}

export interface WorkloadFactData {
  kind: string;
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  /** The namespace is listed in resources.requireDigestNamespaces. */
  requireDigest: boolean;
  /** The region ECR images should come from, if known. */
  region?: string;
  /** Containers pulling from ECR. */
  ecrImages: number;
  containers: Record<string, ContainerFact>;
}

function containerFact(c: V1Container, init: boolean): ContainerFact {
  const image = parseImageReference(c.image ?? '');
  // The API server defaults the policy this way; objects read from it always carry one.
  const pullPolicy = c.imagePullPolicy ?? (isMovingTag(image) ? 'Always' : 'IfNotPresent');
  return {
    init,
    image: image.reference,
    registry: image.registry,
    ...(image.tag === undefined ? {} : { tag: image.tag }),
    ...(image.digest === undefined ? {} : { digest: image.digest }),
    pinning: image.pinning,
    pullPolicy,
    ...(isMovingTag(image) ? { movingTagPullPolicy: pullPolicy } : {}),
    ...(image.ecrRegion === undefined ? {} : { ecrRegion: image.ecrRegion }),
    requests: { ...c.resources?.requests },
    limits: { ...c.resources?.limits },
  };
}

export function containersOf(pod: V1PodSpec | undefined): Record<string, ContainerFact> {
  const out: Record<string, ContainerFact> = {};
  for (const c of pod?.initContainers ?? []) out[c.name] = containerFact(c, true);
  for (const c of pod?.containers ?? []) out[c.name] = containerFact(c, false);
  return out;
}

export interface AuditScope {
  requireDigestNamespaces: readonly string[];
  region?: string;
}

export function workloadFact(kind: string, meta: V1ObjectMeta | undefined, pod: V1PodSpec | undefined, scope: AuditScope): Fact {
  const name = meta?.name ?? '?';
  const namespace = meta?.namespace ?? '';
  const containers = containersOf(pod);
  const data: WorkloadFactData = {
    kind,
    metadata: { name, namespace, labels: { ...meta?.labels } },
    requireDigest: scope.requireDigestNamespaces.includes(namespace),
    ...(scope.region === undefined ? {} : { region: scope.region }),
    ecrImages: Object.values(containers).filter((c) => c.ecrRegion !== undefined).length,
    containers,
  };
  // Named "Workload" in messages ("2 of 6 Workloads ..."): the set mixes Deployments, Jobs and pods.
  return { kind: 'Workload', name, namespace, data };
}

export interface Workloads {
  deployments: V1Deployment[];
  statefulsets: V1StatefulSet[];
  daemonsets: V1DaemonSet[];
  cronjobs: V1CronJob[];
  jobs: V1Job[];
  pods: V1Pod[];
}

const owned = (meta: V1ObjectMeta | undefined): boolean => (meta?.ownerReferences ?? []).some((o) => o.controller === true);

/** One fact per workload: controllers, Jobs no CronJob owns, and pods no controller owns. */
export function workloadFacts(w: Workloads, scope: AuditScope): Fact[] {
  return [
    ...w.deployments.map((d) => workloadFact('Deployment', d.metadata, d.spec?.template.spec, scope)),
    ...w.statefulsets.map((s) => workloadFact('StatefulSet', s.metadata, s.spec?.template.spec, scope)),
    ...w.daemonsets.map((d) => workloadFact('DaemonSet', d.metadata, d.spec?.template.spec, scope)),
    ...w.cronjobs.map((c) => workloadFact('CronJob', c.metadata, c.spec?.jobTemplate.spec?.template.spec, scope)),
    ...w.jobs.filter((j) => !owned(j.metadata)).map((j) => workloadFact('Job', j.metadata, j.spec?.template.spec, scope)),
    ...w.pods.filter((p) => !owned(p.metadata)).map((p) => workloadFact('Pod', p.metadata, p.spec, scope)),
  ];
}

/** Pods as the API returns them (status.qosClass, status.phase). */
export function podFacts(pods: readonly V1Pod[]): Fact[] {
  return pods.map((p) => ({ kind: 'Pod', name: p.metadata?.name ?? '?', namespace: p.metadata?.namespace ?? '', data: p }));
}

const ACTIVE_PHASES = new Set(['Pending', 'Running']);

export function namespaceFacts(namespaces: readonly V1Namespace[], pods: readonly V1Pod[], quotas: readonly V1ResourceQuota[], limitRanges: readonly V1LimitRange[]): Fact[] {
  const inNs = <T extends { metadata?: V1ObjectMeta }>(items: readonly T[], ns: string): T[] => items.filter((i) => i.metadata?.namespace === ns);
  return namespaces.map((n) => {
    const name = n.metadata?.name ?? '?';
    return {
      kind: 'Namespace',
      name,
      data: {
        metadata: { name, labels: { ...n.metadata?.labels } },
        pods: inNs(pods, name).filter((p) => ACTIVE_PHASES.has(p.status?.phase ?? 'Pending')).length,
        resourceQuotas: inNs(quotas, name).map((q) => q.metadata?.name ?? '?'),
        limitRanges: inNs(limitRanges, name).map((l) => l.metadata?.name ?? '?'),
      },
    };
  });
}

/** Percentage of `hard` that `used` takes, rounded down to a tenth (89.99% is 89.9, not 90). */
export function usedPercent(used: string | undefined, hard: string | undefined): number | undefined {
  const u = quantityValue(used ?? '0');
  const h = quantityValue(hard);
  if (u === undefined || h === undefined) return undefined;
  if (h === 0) return u > 0 ? 100 : 0;
  return Math.floor((u / h) * 1000) / 10;
}

export function quotaFacts(quotas: readonly V1ResourceQuota[]): Fact[] {
  return quotas.map((q) => {
    const usage: Record<string, { used: string; hard: string; percent?: number }> = {};
    for (const [resource, hard] of Object.entries(q.status?.hard ?? {})) {
      const used = q.status?.used?.[resource] ?? '0';
      const percent = usedPercent(used, hard);
      usage[resource] = { used, hard, ...(percent === undefined ? {} : { percent }) };
    }
    return { kind: 'ResourceQuota', name: q.metadata?.name ?? '?', namespace: q.metadata?.namespace ?? '', data: { metadata: q.metadata, spec: q.spec, usage } };
  });
}

/** `False (FailedGetResourceMetric: ...)`: a condition with its reason, as rules and tables show it. */
function conditionText(hpa: V2HorizontalPodAutoscaler, type: string): string | undefined {
  const c = hpa.status?.conditions?.find((x) => x.type === type);
  if (c === undefined) return undefined;
  return `${c.status}${c.reason === undefined ? '' : ` (${c.reason}${c.message === undefined ? '' : `: ${c.message}`})`}`;
}

export interface ScaleTargets {
  deployments: V1Deployment[];
  statefulsets: V1StatefulSet[];
  replicasets: V1ReplicaSet[];
}

function targetPod(hpa: V2HorizontalPodAutoscaler, targets: ScaleTargets): V1PodSpec | undefined | null {
  const ref = hpa.spec?.scaleTargetRef;
  const ns = hpa.metadata?.namespace;
  const match = (o: { metadata?: V1ObjectMeta }): boolean => o.metadata?.name === ref?.name && o.metadata?.namespace === ns;
  const found =
    ref?.kind === 'Deployment' ? targets.deployments.find(match) : ref?.kind === 'StatefulSet' ? targets.statefulsets.find(match) : ref?.kind === 'ReplicaSet' ? targets.replicasets.find(match) : undefined;
  if (found === undefined) return null;
  return found.spec?.template?.spec;
}

export function hpaFacts(hpas: readonly V2HorizontalPodAutoscaler[], targets: ScaleTargets): Fact[] {
  return hpas.map((hpa) => {
    const pod = targetPod(hpa, targets);
    const containers: Record<string, { cpuRequest?: string }> = {};
    for (const c of pod?.containers ?? []) containers[c.name] = c.resources?.requests?.cpu === undefined ? {} : { cpuRequest: c.resources.requests.cpu };
    const usesCpuUtilisation = (hpa.spec?.metrics ?? []).some((m) => m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource.target.type === 'Utilization');
    const writtenWith = [
      ...new Set([
        ...(hpa.metadata?.managedFields ?? []).map((f) => f.apiVersion ?? ''),
        ...lastAppliedApiVersion(hpa.metadata?.annotations?.['kubectl.kubernetes.io/last-applied-configuration']),
      ]),
    ].filter((v) => v !== '');
    const conditions: Record<string, string> = {};
    for (const type of ['AbleToScale', 'ScalingActive', 'ScalingLimited']) {
      const text = conditionText(hpa, type);
      if (text !== undefined) conditions[type] = text;
    }
    const ref = hpa.spec?.scaleTargetRef;
    return {
      kind: 'HorizontalPodAutoscaler',
      name: hpa.metadata?.name ?? '?',
      namespace: hpa.metadata?.namespace ?? '',
      data: {
        metadata: { name: hpa.metadata?.name, namespace: hpa.metadata?.namespace },
        spec: hpa.spec,
        status: { currentReplicas: hpa.status?.currentReplicas, desiredReplicas: hpa.status?.desiredReplicas },
        target: { ref: `${ref?.kind ?? '?'}/${ref?.name ?? '?'}`, found: pod !== null, containers },
        usesCpuUtilisation,
        conditions,
        writtenWith,
      },
    };
  });
}

function lastAppliedApiVersion(annotation: string | undefined): string[] {
  if (annotation === undefined) return [];
  try {
    const parsed: unknown = JSON.parse(annotation);
    return typeof parsed === 'object' && parsed !== null && typeof (parsed as { apiVersion?: unknown }).apiVersion === 'string' ? [(parsed as { apiVersion: string }).apiVersion] : [];
  } catch {
    return [];
  }
}

export interface AutoscalerContext {
  clusterMinor?: number;
  /** Pods with a NotTriggerScaleUp event that are still Pending, `ns/name`. */
  pendingUnhelped: string[];
  /** Nodes annotated cluster-autoscaler.kubernetes.io/scale-down-disabled=true. */
  scaleDownDisabledNodes: string[];
}

/** One fact per cluster-autoscaler Deployment found among `deployments` (of kube-system). */
export function autoscalerFacts(deployments: readonly V1Deployment[], context: AutoscalerContext): Fact[] {
  const facts: Fact[] = [];
  for (const d of deployments) {
    const container = autoscalerContainer(d);
    if (container === undefined) continue;
    const image = parseImageReference(container.image ?? '');
    const minor = minorOfTag(image.tag);
    const flags = parseFlags([...(container.command ?? []), ...(container.args ?? [])]);
    facts.push({
      kind: 'Deployment',
      name: d.metadata?.name ?? '?',
      namespace: d.metadata?.namespace ?? '',
      data: {
        image: image.reference,
        version: image.tag ?? 'unknown',
        clusterVersion: context.clusterMinor === undefined ? 'unknown' : `1.${context.clusterMinor}`,
        ...(minor === undefined || context.clusterMinor === undefined ? {} : { minorSkew: Math.abs(minor - context.clusterMinor) }),
        flags,
        pendingUnhelped: context.pendingUnhelped,
        pendingUnhelpedCount: context.pendingUnhelped.length,
        scaleDownDisabledNodes: context.scaleDownDisabledNodes,
        readyReplicas: d.status?.readyReplicas ?? 0,
      },
    });
  }
  return facts;
}
