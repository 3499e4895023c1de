// `kube-assay cleanup`: removes what crashed runs left behind. It finds objects by our labels,
// checks the labels again on each object before deleting it, and touches nothing else.
import type { V1ObjectMeta } from '@kubernetes/client-node';
import { describeApiError, isNotFound, errorSentence } from './api-errors.js';
import type { ClusterClients } from './client.js';
import { RUN_ID_LABEL, isOwnedByKubeAssay, ownershipSelector } from './labels.js';
import { deleteOwnedNamespace, listRunNamespaces, waitForNamespacesGone } from './namespaces.js';
import type { Deadline } from './wait.js';

interface ClusterScopedKind {
  kind: string;
  list: (c: ClusterClients, selector: string) => Promise<{ items: Array<{ metadata?: V1ObjectMeta }> }>;
  remove: (c: ClusterClients, name: string) => Promise<unknown>;
}

/** Cluster-scoped kinds a suite may create (always labelled); namespaced objects go with their namespace. */
const CLUSTER_SCOPED: readonly ClusterScopedKind[] = [
  {
    kind: 'ClusterRoleBinding',
    list: (c, s) => c.rbac.listClusterRoleBinding({ labelSelector: s }),
    remove: (c, name) => c.rbac.deleteClusterRoleBinding({ name }),
  },
  {
    kind: 'ClusterRole',
    list: (c, s) => c.rbac.listClusterRole({ labelSelector: s }),
    remove: (c, name) => c.rbac.deleteClusterRole({ name }),
  },
  {
    kind: 'StorageClass',
    list: (c, s) => c.storage.listStorageClass({ labelSelector: s }),
    remove: (c, name) => c.storage.deleteStorageClass({ name }),
  },
  {
    kind: 'PersistentVolume',
    list: (c, s) => c.core.listPersistentVolume({ labelSelector: s }),
    remove: (c, name) => c.core.deletePersistentVolume({ name }),
  },
];

export interface SweepResult {
  namespaces: string[];
  clusterObjects: string[];
  errors: string[];
}

export async function sweep(clients: ClusterClients, runId: string | undefined, deadline: Deadline): Promise<SweepResult> {
  const result: SweepResult = { namespaces: [], clusterObjects: [], errors: [] };
  const selector = ownershipSelector(runId);
  for (const ns of await listRunNamespaces(clients, runId)) {
    const name = ns.metadata?.name;
    if (name === undefined) continue;
    try {
      await deleteOwnedNamespace(clients, name, ns.metadata?.labels?.[RUN_ID_LABEL]);
      result.namespaces.push(name);
    } catch (err) {
      result.errors.push(errorSentence(err));
    }
  }
  for (const kind of CLUSTER_SCOPED) {
    let items: Array<{ metadata?: V1ObjectMeta }>;
    try {
      items = (await kind.list(clients, selector)).items;
    } catch (err) {
      result.errors.push(describeApiError(`list ${kind.kind} objects labelled ${selector}`, err));
      continue;
    }
    for (const item of items) {
      const name = item.metadata?.name;
      if (name === undefined || !isOwnedByKubeAssay(item.metadata?.labels, runId)) continue;
      try {
        await kind.remove(clients, name);
        result.clusterObjects.push(`${kind.kind}/${name}`);
      } catch (err) {
        if (!isNotFound(err)) result.errors.push(describeApiError(`delete ${kind.kind} ${name}`, err));
      }
    }
  }
  if (result.namespaces.length > 0) {
    try {
      await waitForNamespacesGone(clients, { runId, ignoreKept: false }, deadline);
    } catch (err) {
      result.errors.push(errorSentence(err));
    }
  }
  return result;
}
