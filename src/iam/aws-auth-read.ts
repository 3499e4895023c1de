// Reads kube-system/aws-auth; undefined when it does not exist (a 404 is an answer, not an error).
import type { V1ConfigMap } from '@kubernetes/client-node';
import { describeApiError, isNotFound } from '../cluster/api-errors.js';
import type { SetupContext } from '../harness/context.js';

export const AWS_AUTH = { namespace: 'kube-system', name: 'aws-auth' } as const;

export async function readAwsAuth(t: SetupContext): Promise<V1ConfigMap | undefined> {
  try {
    return await t.clients.core.readNamespacedConfigMap(AWS_AUTH);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw new Error(describeApiError('read configmap kube-system/aws-auth', err), { cause: err });
  }
}
