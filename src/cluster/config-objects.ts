// ConfigMaps and Secrets for checks.
import type { V1ConfigMap, V1Secret } from '@kubernetes/client-node';
import { describeApiError } from './api-errors.js';
import type { ClusterClients } from './client.js';
import type { Labels } from './labels.js';

export async function createConfigMap(clients: ClusterClients, spec: { name: string; namespace: string; labels: Labels; data: Record<string, string> }): Promise<V1ConfigMap> {
  try {
    return await clients.core.createNamespacedConfigMap({
      namespace: spec.namespace,
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: spec.name, namespace: spec.namespace, labels: spec.labels }, data: spec.data },
    });
  } catch (err) {
    throw new Error(describeApiError(`create configmap ${spec.namespace}/${spec.name}`, err), { cause: err });
  }
}

export async function createSecret(clients: ClusterClients, spec: { name: string; namespace: string; labels: Labels; stringData: Record<string, string> }): Promise<V1Secret> {
  try {
    return await clients.core.createNamespacedSecret({
      namespace: spec.namespace,
      body: { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: spec.name, namespace: spec.namespace, labels: spec.labels }, stringData: spec.stringData },
    });
  } catch (err) {
    throw new Error(describeApiError(`create secret ${spec.namespace}/${spec.name}`, err), { cause: err });
  }
}
