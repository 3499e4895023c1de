// ServiceAccount tokens the suite mints to act as a tenant: TokenRequest with a 10-minute
// lifetime, held in memory only (never written, logged or reported), and dead with the
// check's namespace, which takes the ServiceAccount with it.
import { KubeConfig } from '@kubernetes/client-node';
import { describeApiError } from '../cluster/api-errors.js';
import { createClients, type ClusterClients } from '../cluster/client.js';
import { CountingKubeConfig } from '../cluster/kubeconfig.js';
import type { SetupContext } from '../harness/context.js';
import { TOKEN_LIFETIME_SECONDS } from './tenant-pods.js';

export async function mintToken(t: SetupContext, namespace: string, serviceAccount: string): Promise<string> {
  try {
    const r = await t.clients.core.createNamespacedServiceAccountToken({
      name: serviceAccount, namespace, body: { spec: { audiences: [], expirationSeconds: TOKEN_LIFETIME_SECONDS } },
    });
    const token = r.status?.token;
    if (token === undefined || token === '') throw new Error('the TokenRequest came back without a token');
    return token;
  } catch (err) {
    throw new Error(describeApiError(`mint a token for serviceaccount ${namespace}/${serviceAccount}`, err), { cause: err });
  }
}

/** Clients of the same cluster that authenticate with `token` only (no retries of refusals:
 *  a 401/403 is the answer being probed). */
export function clientsWithToken(kc: KubeConfig, token: string, user: string): ClusterClients {
  const cluster = kc.getCurrentCluster();
  if (cluster === null) throw new Error('the kubeconfig has no current cluster');
  const as = new CountingKubeConfig();
  as.loadFromOptions({
    clusters: [cluster],
    users: [{ name: user, token }],
    contexts: [{ name: user, cluster: cluster.name, user }],
    currentContext: user,
  });
  return createClients(as, { retry: false });
}
