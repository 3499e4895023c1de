// Cluster side of iam/namespace-isolation: a tenant ServiceAccount in the check's namespace A,
// a second namespace B holding a pod, a secret and a configmap, and the tenant's requests against
// B, the cluster and the audited namespaces, sent with a 10-minute token of the tenant.
import { createWithContext } from '../cluster/create.js';
import type { CheckContext } from '../harness/context.js';
import { startProbe } from '../harness/probes.js';
import { SLEEP_FOREVER } from '../cluster/pods.js';
import { iamSettings } from './config.js';
import { isolationRequests, outcomeOf, rulesReviewRows, type RequestOutcome, type TenantRequest } from './isolation.js';
import { listAuditedNamespaces } from './namespaces.js';
import { rawRequest } from './raw-request.js';
import { createTenantServiceAccount, TENANT_SERVICE_ACCOUNT } from './tenant-pods.js';
import { clientsWithToken, mintToken } from './tokens.js';

/** Audited namespaces probed read-only; more would only lengthen the run. */
export const MAX_AUDITED_PROBED = 10;

export interface IsolationResult {
  requests: Array<TenantRequest & { status: number | string; outcome: RequestOutcome }>;
  reviewRows: string[][];
  tenant: string;
}

export async function probeIsolation(t: CheckContext): Promise<IsolationResult> {
  const a = t.namespace;
  const b = await t.createNamespace('b');
  const labels = t.labels();
  await createWithContext('secret', `${b}/victim`, () => t.clients.core.createNamespacedSecret({ namespace: b, body: { metadata: { name: 'victim', labels }, stringData: { note: 'not for tenants of other namespaces' } } }));
  await createWithContext('configmap', `${b}/victim`, () => t.clients.core.createNamespacedConfigMap({ namespace: b, body: { metadata: { name: 'victim', labels }, data: { note: 'not for tenants of other namespaces' } } }));
  await startProbe(t, 'victim', SLEEP_FOREVER, { namespace: b });
  await createTenantServiceAccount(t, a);
  const token = await mintToken(t, a, TENANT_SERVICE_ACCOUNT);
  const tenant = clientsWithToken(t.clients.kc, token, `system:serviceaccount:${a}:${TENANT_SERVICE_ACCOUNT}`);
  const { audited } = await listAuditedNamespaces(() => t.clients.core.listNamespace(), iamSettings(t));
  const plan = isolationRequests({ other: b, pod: 'victim', secret: 'victim', configMap: 'victim', image: t.probeImage, audited: audited.slice(0, MAX_AUDITED_PROBED) });
  const requests: IsolationResult['requests'] = [];
  for (const r of plan) {
    t.step(`as the tenant of ${a}: ${r.action} in ${r.scope}`);
    const answer = await rawRequest(tenant.kc, r.method, r.path, { body: r.body });
    requests.push({ ...r, status: answer.status, outcome: outcomeOf(answer.status) });
  }
  const reviewRows: string[][] = [];
  for (const namespace of [a, b]) {
    const review = await tenant.authz.createSelfSubjectRulesReview({ body: { spec: { namespace } } });
    reviewRows.push(...rulesReviewRows(namespace, review));
  }
  return { requests, reviewRows, tenant: `system:serviceaccount:${a}:${TENANT_SERVICE_ACCOUNT}` };
}
