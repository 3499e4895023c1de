// ConfigMaps and Secrets for checks.
import type { V1ConfigMap, V1Secret } from '@kubernetes/client-node';
import { createWithContext } from './create.js';
import type { ClusterClients } from './client.js';
import type { Labels } from './labels.js';

export function createConfigMap(clients: ClusterClients, spec: { name: string; namespace: string; labels: Labels; data: Record<string, string> }): Promise<V1ConfigMap> {
  const body: V1ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: spec.name, namespace: spec.namespace, labels: spec.labels }, data: spec.data };
  return createWithContext('configmap', `${spec.namespace}/${spec.name}`, () => clients.core.createNamespacedConfigMap({ namespace: spec.namespace, body }));
}

export function createSecret(clients: ClusterClients, spec: { name: string; namespace: string; labels: Labels; stringData: Record<string, string> }): Promise<V1Secret> {
  const body: V1Secret = { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: spec.name, namespace: spec.namespace, labels: spec.labels }, stringData: spec.stringData };
  return createWithContext('secret', `${spec.namespace}/${spec.name}`, () => clients.core.createNamespacedSecret({ namespace: spec.namespace, body }));
}
