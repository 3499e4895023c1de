// StatefulSet operations (create, scale, delete) with context in every error, and watch-based
// waits on the set's pods: "exactly these pods exist and are Ready", "this pod came back as a
// new pod", "the set is gone".
import { PatchStrategy, setHeaderOptions, type V1Pod, type V1StatefulSet } from '@kubernetes/client-node';
import { describeApiError, isNotFound } from '../cluster/api-errors.js';
import type { ClusterClients } from '../cluster/client.js';
import { createWithContext } from '../cluster/create.js';
import { describePods } from '../cluster/dump-format.js';
import { isOwnedByKubeAssay } from '../cluster/labels.js';
import { isPodRunningAndReady } from '../cluster/pods.js';
import { watchUntil, type Deadline } from '../cluster/wait.js';
import { watchNamed } from '../cluster/watch-named.js';

export function createStatefulSet(clients: ClusterClients, set: V1StatefulSet): Promise<V1StatefulSet> {
  const namespace = set.metadata?.namespace ?? '';
  return createWithContext('statefulset', `${namespace}/${set.metadata?.name ?? '?'}`, () => clients.apps.createNamespacedStatefulSet({ namespace, body: set }));
}

export async function readStatefulSet(clients: ClusterClients, namespace: string, name: string): Promise<V1StatefulSet | undefined> {
  try {
    return await clients.apps.readNamespacedStatefulSet({ namespace, name });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw new Error(describeApiError(`read statefulset ${namespace}/${name}`, err), { cause: err });
  }
}

export async function scaleStatefulSet(clients: ClusterClients, namespace: string, name: string, replicas: number): Promise<void> {
  try {
    await clients.apps.patchNamespacedStatefulSet({ namespace, name, body: { spec: { replicas } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
  } catch (err) {
    throw new Error(describeApiError(`scale statefulset ${namespace}/${name} to ${replicas}`, err), { cause: err });
  }
}

/** Deletes the set (only if it carries our labels for this run); its pods go by garbage
 *  collection, and so do claims the retention policy made it the owner of. */
export async function deleteOwnedStatefulSet(clients: ClusterClients, namespace: string, name: string, runId: string): Promise<boolean> {
  const set = await readStatefulSet(clients, namespace, name);
  if (set === undefined) return false;
  if (!isOwnedByKubeAssay(set.metadata?.labels, runId)) throw new Error(`refusing to delete statefulset ${namespace}/${name}: it does not carry kube-assay's labels for run ${runId}`);
  try {
    await clients.apps.deleteNamespacedStatefulSet({ namespace, name, propagationPolicy: 'Background' });
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw new Error(describeApiError(`delete statefulset ${namespace}/${name}`, err), { cause: err });
  }
}

/** Live pods (not being deleted), by name. */
export function livePods(pods: readonly V1Pod[]): Map<string, V1Pod> {
  return new Map(pods.filter((p) => p.metadata?.deletionTimestamp === undefined).map((p) => [p.metadata?.name ?? '?', p]));
}

/** Exactly `names` exist (no other pod of the selector, not even a terminating one), all
 *  Running and Ready, and none of them has a UID listed in `notUids` (replaced pods). */
export function exactlyReady(pods: readonly V1Pod[], names: readonly string[], notUids: ReadonlySet<string> = new Set()): boolean {
  if (pods.length !== names.length) return false;
  const live = livePods(pods);
  return names.every((n) => {
    const pod = live.get(n);
    return pod !== undefined && isPodRunningAndReady(pod) && !notUids.has(pod.metadata?.uid ?? '');
  });
}

export async function waitForSetPods(
  clients: ClusterClients,
  namespace: string,
  labelSelector: string,
  names: readonly string[],
  deadline: Deadline,
  signal?: AbortSignal,
  notUids: ReadonlySet<string> = new Set(),
): Promise<Map<string, V1Pod>> {
  const pods = await watchUntil<V1Pod>(
    { kc: clients.kc, path: `/api/v1/namespaces/${namespace}/pods`, labelSelector, list: () => clients.core.listNamespacedPod({ namespace, labelSelector }) },
    (items) => exactlyReady(items, names, notUids),
    {
      expectation: `exactly ${names.length === 0 ? 'no pods' : names.join(', ')} (${labelSelector}) to be Running and Ready${notUids.size > 0 ? ' as new pods' : ''}`,
      deadline,
      signal,
      describe: (items) => (items === undefined || items.length === 0 ? 'no pod' : describePods(items)),
    },
  );
  return livePods(pods);
}

export async function waitForStatefulSetGone(clients: ClusterClients, namespace: string, name: string, deadline: Deadline, signal?: AbortSignal): Promise<void> {
  await watchNamed<V1StatefulSet>(
    { kc: clients.kc, path: `/apis/apps/v1/namespaces/${namespace}/statefulsets`, name, list: (fieldSelector) => clients.apps.listNamespacedStatefulSet({ namespace, fieldSelector }) },
    (sets) => sets.length === 0,
    { expectation: `statefulset ${namespace}/${name} to be deleted`, deadline, signal, describe: (sets) => (sets === undefined ? 'never listed' : `${sets.length} present`) },
  );
}
