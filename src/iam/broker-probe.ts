// Cluster side of iam/role-annotation-scoping: finds kube2iam/kiam DaemonSets, annotates the
// check's namespaces (one with an allow-list, one without), starts one probe pod per case on one
// node, runs the broker probe script in each, and lists the role annotations of the audited
// namespaces' pods for iam.intendedRoles.
import { PatchStrategy, setHeaderOptions, type V1DaemonSet, type V1Pod } from '@kubernetes/client-node';
import type { CheckContext } from '../harness/context.js';
import { CheckFailure } from '../harness/errors.js';
import { containerOf, execIn } from '../harness/probes.js';
import { allowListAnnotations, BROKER_CASES, brokerProbeScript, parseBrokerProbe, ROLE_ANNOTATION, type AuditedPod, type BrokerCaseResult } from './broker.js';
import { iamSettings } from './config.js';
import { probeNodes } from './imds-probe.js';
import { listAuditedNamespaces } from './namespaces.js';
import { mapBounded } from './nodes.js';
import { createTenantServiceAccount, POD_CONCURRENCY, startTenantPods } from './tenant-pods.js';

const BROKER_NAME = /kube2iam|kiam/i;

/** `namespace/name (image)` of each DaemonSet whose name, labels or images say kube2iam or kiam. */
export function brokerDaemonSets(items: readonly V1DaemonSet[]): string[] {
  return items.filter((ds) => {
    const labels = Object.values(ds.metadata?.labels ?? {});
    const images = (ds.spec?.template.spec?.containers ?? []).map((c) => c.image ?? '');
    return [ds.metadata?.name ?? '', ...labels, ...images].some((x) => BROKER_NAME.test(x));
  }).map((ds) => `DaemonSet ${ds.metadata?.namespace ?? '?'}/${ds.metadata?.name ?? '?'} (${(ds.spec?.template.spec?.containers ?? []).map((c) => c.image ?? '?').join(', ')})`);
}

async function annotateNamespace(t: CheckContext, name: string, annotations: Record<string, string>): Promise<void> {
  t.step(`annotate namespace ${name} with its allow-list`);
  await t.clients.core.patchNamespace({ name, body: { metadata: { annotations } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
}

export interface BrokerRound {
  results: BrokerCaseResult[];
  daemonSets: string[];
}

/** One probe pod per case, all on the first sampled node, each running the script once. */
export async function observeBroker(t: CheckContext): Promise<BrokerRound> {
  const daemonSets = brokerDaemonSets((await t.clients.apps.listDaemonSetForAllNamespaces()).items);
  const [node] = await probeNodes(t);
  if (node === undefined) throw new CheckFailure('no Ready node to probe from');
  const allowListNs = t.namespace;
  await annotateNamespace(t, allowListNs, allowListAnnotations());
  const bareNs = await t.createNamespace('bare');
  const namespaces = { 'allow-list': allowListNs, 'no allow-list': bareNs } as const;
  await createTenantServiceAccount(t, allowListNs);
  await createTenantServiceAccount(t, bareNs);
  const settled = await mapBounded(BROKER_CASES, POD_CONCURRENCY, async (c): Promise<BrokerCaseResult> => {
    const namespace = namespaces[c.namespace];
    const [pod] = await startTenantPods(t, [node], { namespace, prefix: c.pod, ...(c.role === undefined ? {} : { annotations: { [ROLE_ANNOTATION]: c.role } }) });
    if (pod === undefined) throw new Error(`probe pod ${namespace}/${c.pod} was not started`);
    t.step(`probe ${namespace}/${pod.pod} (annotation ${c.role ?? 'none'})`);
    const r = await execIn(t, containerOf(namespace, pod.pod), ['sh', '-c', brokerProbeScript(c.ask)]);
    // The script always exits 0: anything else is a probe that failed, never "refused".
    if (r.exitCode !== 0) throw new CheckFailure(`the broker probe in ${namespace}/${pod.pod} failed (exit ${r.exitCode}): ${r.stderr.trim().slice(0, 200)}`);
    return { case: c, namespace, observation: parseBrokerProbe(r.stdout) };
  });
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
  return { results: settled.map((r) => (r as PromiseFulfilledResult<BrokerCaseResult>).value), daemonSets };
}

function asAuditedPod(pod: V1Pod): AuditedPod | undefined {
  // Host-network pods bypass the broker's DNAT (they reach the node's own role instead), and
  // finished pods ask for nothing.
  if (pod.spec?.hostNetwork === true || ['Succeeded', 'Failed'].includes(pod.status?.phase ?? '')) return undefined;
  const role = pod.metadata?.annotations?.[ROLE_ANNOTATION];
  return { namespace: pod.metadata?.namespace ?? '?', name: pod.metadata?.name ?? '?', ...(role === undefined ? {} : { role }) };
}

/** The pods of the audited namespaces that iam.intendedRoles names, with their role annotations. */
export async function auditedPods(t: CheckContext): Promise<{ pods: AuditedPod[]; notAudited: string[] }> {
  const settings = iamSettings(t);
  const wanted = Object.keys(settings.intendedRoles);
  if (wanted.length === 0) return { pods: [], notAudited: [] };
  const { audited } = await listAuditedNamespaces(() => t.clients.core.listNamespace(), settings);
  const pods: AuditedPod[] = [];
  for (const namespace of wanted.filter((ns) => audited.includes(ns))) {
    for (const pod of (await t.clients.core.listNamespacedPod({ namespace })).items) {
      const audit = asAuditedPod(pod);
      if (audit !== undefined) pods.push(audit);
    }
  }
  return { pods, notAudited: wanted.filter((ns) => !audited.includes(ns)) };
}
