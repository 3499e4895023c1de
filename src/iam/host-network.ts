// iam/imds-host-network: host-network pods are zero hops from the metadata service, so hop limits
// never stop them; only admission does. Each audited namespace is asked, by a server-side
// dry-run create (nothing is persisted), whether it would admit a host-network pod.
import { apiStatusCode, apiStatusMessage, describeApiError } from '../cluster/api-errors.js';
import type { CheckContext } from '../harness/context.js';

export interface AdmissionAnswer {
  namespace: string;
  admitted: boolean;
  /** Why it was refused (the admission message), when it was. */
  reason?: string;
}

export async function hostNetworkAdmission(t: CheckContext, namespace: string): Promise<AdmissionAnswer> {
  const body = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'kube-assay-host-network-dry-run', labels: t.labels() },
    spec: { hostNetwork: true, automountServiceAccountToken: false, containers: [{ name: 'probe', image: t.probeImage }] },
  };
  try {
    await t.clients.core.createNamespacedPod({ namespace, body, dryRun: 'All' });
    return { namespace, admitted: true };
  } catch (err) {
    const code = apiStatusCode(err);
    // 403 (Pod Security, or a policy webhook) and 422 (a validating policy) are refusals of the pod.
    if (code === 403 || code === 422) return { namespace, admitted: false, reason: (apiStatusMessage(err) ?? `HTTP ${code}`).slice(0, 200) };
    throw new Error(describeApiError(`dry-run create a host-network pod in namespace ${namespace}`, err), { cause: err });
  }
}
