// Cluster side of iam/default-service-account: in every audited namespace the default
// ServiceAccount must not automount its token, and what a pod using it could do must stop at
// discovery. The rules come from a SelfSubjectRulesReview made with a 10-minute token of that
// account; each rule beyond discovery is confirmed by a real list request before it counts.
import type { V1ServiceAccount } from '@kubernetes/client-node';
import { describeApiError } from '../cluster/api-errors.js';
import type { CheckContext } from '../harness/context.js';
import { iamSettings } from './config.js';
import { outcomeOf, rulesBeyondDiscovery } from './isolation.js';
import { listAuditedNamespaces } from './namespaces.js';
import { rawRequest } from './raw-request.js';
import { clientsWithToken, mintToken } from './tokens.js';

export interface DefaultAccountRow {
  namespace: string;
  automount: string;
  beyondDiscovery: string[];
  /** Real requests that confirmed a rule, e.g. `list secrets: 200`. */
  confirmed: string[];
}

/** The resource of a rule such as `get,list secrets`, as a namespaced list path (core group only). */
function listPathOf(rule: string, namespace: string): { resource: string; path: string } | undefined {
  const m = /^(\S+) ([a-z0-9*,/]+)$/.exec(rule);
  if (m === null || !(m[1] ?? '').split(',').some((v) => v === 'list' || v === '*')) return undefined;
  const resource = (m[2] ?? '').split(',')[0] === '*' ? 'secrets' : (m[2] ?? '').split(',')[0] ?? '';
  return resource === '' ? undefined : { resource, path: `/api/v1/namespaces/${namespace}/${resource}` };
}

export async function auditDefaultAccounts(t: CheckContext): Promise<{ rows: DefaultAccountRow[]; missing: string[] }> {
  const { audited, missing } = await listAuditedNamespaces(() => t.clients.core.listNamespace(), iamSettings(t));
  const rows: DefaultAccountRow[] = [];
  for (const namespace of audited) {
    t.step(`default ServiceAccount of ${namespace}`);
    let account: V1ServiceAccount;
    try {
      account = await t.clients.core.readNamespacedServiceAccount({ name: 'default', namespace });
    } catch (err) {
      throw new Error(describeApiError(`read serviceaccount ${namespace}/default`, err), { cause: err });
    }
    const automount = account.automountServiceAccountToken === false ? 'false' : account.automountServiceAccountToken === true ? 'true' : 'unset (true)';
    const token = await mintToken(t, namespace, 'default');
    const as = clientsWithToken(t.clients.kc, token, `system:serviceaccount:${namespace}:default`);
    const review = await as.authz.createSelfSubjectRulesReview({ body: { spec: { namespace } } });
    const beyond = rulesBeyondDiscovery(review);
    const confirmed: string[] = [];
    for (const rule of beyond) {
      const target = listPathOf(rule, namespace);
      if (target === undefined) continue;
      const answer = await rawRequest(as.kc, 'GET', target.path);
      if (outcomeOf(answer.status) === 'allowed') confirmed.push(`list ${target.resource}: ${answer.status}`);
    }
    rows.push({ namespace, automount, beyondDiscovery: beyond, confirmed });
  }
  return { rows, missing };
}
