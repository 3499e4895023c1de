// The audit checks on a live cluster: list namespaces, policies and pods (read-only, paged),
// then report what audit.ts finds. Severity (see suites/netpol/README.md):
// - no default-deny ingress: warn (a hardening recommendation many clusters do not follow yet);
// - a policy selecting no pods: warn (dead configuration, often a typo in a label);
// - pods no ingress policy selects in a namespace that has ingress policies: fail (the namespace
//   claims isolation, yet these pods accept traffic from anywhere).
import { netpolSettings } from './config.js';
import type { V1Namespace, V1NetworkPolicy, V1Pod } from '@kubernetes/client-node';
import { describeApiError } from '../cluster/api-errors.js';
import type { CheckContext } from '../harness/context.js';
import { CheckFailure } from '../harness/errors.js';
import {
  nameList, namespacesWithoutDefaultDeny, podsNotIsolatedForIngress, policiesSelectingNoPods, selectNamespaces, type AuditInput, type NamespaceSelection,
} from './audit.js';

const PAGE = 500;

async function listAll<T>(what: string, page: (cont: string | undefined) => Promise<{ items: T[]; metadata?: { _continue?: string } }>): Promise<T[]> {
  const items: T[] = [];
  let cont: string | undefined;
  do {
    let result: { items: T[]; metadata?: { _continue?: string } };
    try {
      result = await page(cont);
    } catch (err) {
      throw new Error(describeApiError(`list ${what}`, err), { cause: err });
    }
    items.push(...result.items);
    cont = result.metadata?._continue || undefined;
  } while (cont !== undefined);
  return items;
}

export async function readAuditInput(t: CheckContext): Promise<AuditInput> {
  const [namespaces, policies, pods] = await Promise.all([
    listAll<V1Namespace>('namespaces', (c) => t.clients.core.listNamespace({ limit: PAGE, _continue: c })),
    listAll<V1NetworkPolicy>('networkpolicies in all namespaces', (c) => t.clients.networking.listNetworkPolicyForAllNamespaces({ limit: PAGE, _continue: c })),
    listAll<V1Pod>('pods in all namespaces', (c) => t.clients.core.listPodForAllNamespaces({ limit: PAGE, _continue: c })),
  ]);
  return { namespaces, policies, pods };
}

/** Reads the cluster and picks the namespaces to audit, or skips when there are none. */
async function prepare(t: CheckContext): Promise<{ input: AuditInput; selection: NamespaceSelection }> {
  t.step('list namespaces, network policies and pods');
  const input = await readAuditInput(t);
  const selection = selectNamespaces(input.namespaces, netpolSettings(t).excludeNamespaces);
  if (selection.excluded.length > 0) {
    t.attachText('namespaces not audited', selection.excluded.map((e) => `${e.namespace}: ${e.reason}`).join('\n'));
  }
  if (selection.audited.length === 0) t.skip('no namespace to audit: every namespace is a system one, excluded, or created by kube-assay');
  return { input, selection };
}

export async function auditDefaultDeny(t: CheckContext): Promise<void> {
  const { input, selection } = await prepare(t);
  const missing = namespacesWithoutDefaultDeny(input, selection.audited);
  if (missing.length === 0) return;
  t.attachTable('namespaces without a default-deny ingress policy', ['namespace', 'pods', 'policies', 'default-deny egress'],
    missing.map((m) => [m.namespace, String(m.pods), String(m.policies), m.egressDefaultDeny ? 'yes' : 'no']));
  t.warn(`${missing.length} of ${selection.audited.length} audited namespaces have no default-deny ingress policy: ${nameList(missing.map((m) => m.namespace))}`);
}

export async function auditIdlePolicies(t: CheckContext): Promise<void> {
  const { input, selection } = await prepare(t);
  const idle = policiesSelectingNoPods(input, selection.audited);
  if (idle.length === 0) return;
  t.attachTable('policies whose podSelector selects no pod', ['namespace', 'policy', 'podSelector'], idle.map((p) => [p.namespace, p.policy, p.selector]));
  t.warn(`${idle.length} network ${idle.length === 1 ? 'policy selects' : 'policies select'} no pod: ${nameList(idle.map((p) => `${p.namespace}/${p.policy} (${p.selector})`))}`);
}

export async function auditExposedPods(t: CheckContext): Promise<void> {
  const { input, selection } = await prepare(t);
  const exposed = podsNotIsolatedForIngress(input, selection.audited);
  if (exposed.length === 0) return;
  t.attachTable('pods no ingress policy selects, in namespaces with ingress policies', ['namespace', 'pod', 'labels', 'ingress policies of the namespace'],
    exposed.map((p) => [p.namespace, p.pod, p.labels, p.policies.join(', ')]));
  const namespaces = [...new Set(exposed.map((p) => p.namespace))];
  throw new CheckFailure(`${exposed.length} pod(s) in ${nameList(namespaces)} accept ingress from anywhere although their namespace has ingress policies: ${nameList(exposed.map((p) => `${p.namespace}/${p.pod}`))}`);
}
