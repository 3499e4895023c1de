// Applying scenario policies to the cluster: create, update and delete exactly what changed
// between two steps (policyChanges), and removing the policies of a scenario afterwards. Only
// policies carrying kube-assay's labels for this run are ever updated or deleted.
import type { V1NetworkPolicy } from '@kubernetes/client-node';
import { describeApiError, isNotFound } from '../cluster/api-errors.js';
import type { ClusterClients } from '../cluster/client.js';
import { createWithContext } from '../cluster/create.js';
import { isOwnedByKubeAssay, ownershipSelector } from '../cluster/labels.js';
import type { PolicyChanges } from './binding.js';
import { policyKey } from './policies.js';

async function readOwned(clients: ClusterClients, namespace: string, name: string, runId: string): Promise<V1NetworkPolicy | undefined> {
  let current: V1NetworkPolicy;
  try {
    current = await clients.networking.readNamespacedNetworkPolicy({ namespace, name });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw new Error(describeApiError(`read netpol ${namespace}/${name}`, err), { cause: err });
  }
  if (!isOwnedByKubeAssay(current.metadata?.labels, runId)) {
    throw new Error(`refusing to change netpol ${namespace}/${name}: it does not carry kube-assay's labels for run ${runId}`);
  }
  return current;
}

async function createPolicy(clients: ClusterClients, policy: V1NetworkPolicy): Promise<void> {
  const namespace = policy.metadata?.namespace ?? '';
  await createWithContext('netpol', policyKey(policy), () => clients.networking.createNamespacedNetworkPolicy({ namespace, body: policy }));
}

async function replacePolicy(clients: ClusterClients, policy: V1NetworkPolicy, runId: string): Promise<void> {
  const namespace = policy.metadata?.namespace ?? '';
  const name = policy.metadata?.name ?? '';
  const current = await readOwned(clients, namespace, name, runId);
  if (current === undefined) {
    await createPolicy(clients, policy);
    return;
  }
  const body: V1NetworkPolicy = { ...policy, metadata: { ...policy.metadata, resourceVersion: current.metadata?.resourceVersion } };
  try {
    await clients.networking.replaceNamespacedNetworkPolicy({ namespace, name, body });
  } catch (err) {
    throw new Error(describeApiError(`update netpol ${policyKey(policy)}`, err), { cause: err });
  }
}

async function deletePolicy(clients: ClusterClients, namespace: string, name: string, runId: string): Promise<void> {
  if ((await readOwned(clients, namespace, name, runId)) === undefined) return;
  try {
    await clients.networking.deleteNamespacedNetworkPolicy({ namespace, name });
  } catch (err) {
    if (isNotFound(err)) return;
    throw new Error(describeApiError(`delete netpol ${namespace}/${name}`, err), { cause: err });
  }
}

/** Applies one step's changes. Policies must already carry the run's labels (bindPolicies). */
export async function applyPolicyChanges(clients: ClusterClients, changes: PolicyChanges, runId: string): Promise<void> {
  for (const policy of [...changes.create, ...changes.update]) {
    if (!isOwnedByKubeAssay(policy.metadata?.labels, runId)) {
      throw new Error(`netpol ${policyKey(policy)} lacks kube-assay's labels for run ${runId}: bind it with the run labels first`);
    }
  }
  await Promise.all([
    ...changes.delete.map((d) => deletePolicy(clients, d.namespace, d.name, runId)),
    ...changes.create.map((p) => createPolicy(clients, p)),
    ...changes.update.map((p) => replacePolicy(clients, p, runId)),
  ]);
}

/** Deletes every policy of this run in `namespaces` (leftovers of an interrupted scenario included). */
export async function deleteRunPolicies(clients: ClusterClients, namespaces: readonly string[], runId: string): Promise<string[]> {
  const deleted: string[] = [];
  await Promise.all(namespaces.map(async (namespace) => {
    const list = await clients.networking.listNamespacedNetworkPolicy({ namespace, labelSelector: ownershipSelector(runId) });
    for (const policy of list.items) {
      if (!isOwnedByKubeAssay(policy.metadata?.labels, runId)) continue;
      const name = policy.metadata?.name ?? '';
      await deletePolicy(clients, namespace, name, runId);
      deleted.push(`${namespace}/${name}`);
    }
  }));
  return deleted;
}
