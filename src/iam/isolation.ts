// iam/namespace-isolation as data: the requests a tenant of namespace A makes against namespace B
// (and the audited namespaces), how a status reads (allowed, refused, probe failed), and the
// SelfSubjectRulesReview table. Pure; the cluster side sends the requests with the tenant's token.
import type { V1SelfSubjectRulesReview } from '@kubernetes/client-node';

export interface TenantRequest {
  /** What a person reads, e.g. `list secrets`. */
  action: string;
  /** Namespace, or `(cluster)`. */
  scope: string;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
}

export type RequestOutcome = 'allowed' | 'refused' | 'probe failed';

export interface IsolationTargets {
  other: string;
  pod: string;
  secret: string;
  configMap: string;
  image: string;
  /** Audited user namespaces, probed read-only. */
  audited: readonly string[];
}

const api = (ns: string, rest: string): string => `/api/v1/namespaces/${ns}/${rest}`;

export function isolationRequests(t: IsolationTargets): TenantRequest[] {
  const b = t.other;
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'tenant-dry-run' }, spec: { containers: [{ name: 'c', image: t.image }] } };
  return [
    { action: 'list secrets', scope: b, method: 'GET', path: api(b, 'secrets') },
    { action: `get secret ${t.secret}`, scope: b, method: 'GET', path: api(b, `secrets/${t.secret}`) },
    { action: 'list configmaps', scope: b, method: 'GET', path: api(b, 'configmaps') },
    { action: `get configmap ${t.configMap}`, scope: b, method: 'GET', path: api(b, `configmaps/${t.configMap}`) },
    { action: 'list pods', scope: b, method: 'GET', path: api(b, 'pods') },
    { action: 'create pods (dry run)', scope: b, method: 'POST', path: `${api(b, 'pods')}?dryRun=All`, body: pod },
    { action: `exec in pod ${t.pod}`, scope: b, method: 'POST', path: `${api(b, `pods/${t.pod}/exec`)}?command=true&container=probe&stdout=true` },
    { action: 'list secrets', scope: '(cluster)', method: 'GET', path: '/api/v1/secrets' },
    ...t.audited.flatMap((ns): TenantRequest[] => [
      { action: 'list secrets', scope: ns, method: 'GET', path: api(ns, 'secrets') },
      { action: 'list configmaps', scope: ns, method: 'GET', path: api(ns, 'configmaps') },
      { action: 'list pods', scope: ns, method: 'GET', path: api(ns, 'pods') },
    ]),
  ];
}

/** Authorization runs before the handler: 401/403 is a refusal; any other answer (2xx, a 404 of
 *  an object, the 400 "Upgrade request required" of an authorized exec) got past it. */
export function outcomeOf(status: number | string): RequestOutcome {
  if (typeof status !== 'number') return 'probe failed';
  if (status === 401 || status === 403) return 'refused';
  if (status >= 500) return 'probe failed';
  return 'allowed';
}

/** The review as rows: namespace, verbs, API groups, resources, resource names. */
export function rulesReviewRows(namespace: string, review: V1SelfSubjectRulesReview): string[][] {
  const rows = (review.status?.resourceRules ?? []).map((r) => [
    namespace, r.verbs.join(','), (r.apiGroups ?? []).map((g) => g || '""').join(','), (r.resources ?? []).join(','), (r.resourceNames ?? []).join(','),
  ]);
  for (const r of review.status?.nonResourceRules ?? []) rows.push([namespace, r.verbs.join(','), '(non-resource)', (r.nonResourceURLs ?? []).join(','), '']);
  if (review.status?.incomplete === true) rows.push([namespace, '', '', `(incomplete: ${review.status.evaluationError ?? 'the authorizer could not list every rule'})`, '']);
  return rows;
}

/** Resource rules beyond what every authenticated identity has (discovery and self reviews). */
export function rulesBeyondDiscovery(review: V1SelfSubjectRulesReview): string[] {
  const selfReviews = new Set(['selfsubjectaccessreviews', 'selfsubjectrulesreviews', 'selfsubjectreviews']);
  return (review.status?.resourceRules ?? [])
    .filter((r) => !(r.verbs.every((v) => v === 'create') && (r.resources ?? []).every((res) => selfReviews.has(res))))
    .map((r) => `${r.verbs.join(',')} ${(r.resources ?? []).join(',')}${(r.apiGroups ?? []).some((g) => g !== '') ? ` (${(r.apiGroups ?? []).join(',')})` : ''}`);
}
