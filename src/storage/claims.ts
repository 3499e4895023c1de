// PersistentVolumeClaims and their volumes: manifests, create/read/delete with context in every
// error, and watch-based waits (bound, resized, gone).
import { PatchStrategy, setHeaderOptions, type V1PersistentVolume, type V1PersistentVolumeClaim } from '@kubernetes/client-node';
import { describeApiError, isNotFound } from '../cluster/api-errors.js';
import type { ClusterClients } from '../cluster/client.js';
import { createWithContext } from '../cluster/create.js';
import { isOwnedByKubeAssay, ownershipSelector, type Labels } from '../cluster/labels.js';
import { watchUntil, type Deadline } from '../cluster/wait.js';
import { watchNamed, type NamedTarget } from '../cluster/watch-named.js';
import { quantityBytes } from './quantity.js';

/** Size of a test claim when the storage or statefulset section sets none (applied once, when
 *  the sections are resolved). */
export const DEFAULT_VOLUME_SIZE = '1Gi';

/** Label that tells the claims of the storage and statefulset suites apart: with --parallel
 *  both run under one run id at the same time. */
export const SUITE_LABEL = 'kube-assay.io/suite';

export function suiteClaimSelector(runId: string, suite: string): string {
  return `${ownershipSelector(runId)},${SUITE_LABEL}=${suite}`;
}

export interface ClaimSpec {
  name: string;
  namespace: string;
  labels: Labels;
  size: string;
  /** Undefined: let the DefaultStorageClass admission plugin pick the default class. */
  storageClass?: string;
}

export function claimManifest(spec: ClaimSpec): V1PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: spec.name, namespace: spec.namespace, labels: spec.labels },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: spec.size } },
      ...(spec.storageClass === undefined ? {} : { storageClassName: spec.storageClass }),
    },
  };
}

export function claimRef(claim: V1PersistentVolumeClaim): string {
  return `${claim.metadata?.namespace ?? '?'}/${claim.metadata?.name ?? '?'}`;
}

export function createClaim(clients: ClusterClients, claim: V1PersistentVolumeClaim): Promise<V1PersistentVolumeClaim> {
  const namespace = claim.metadata?.namespace ?? '';
  return createWithContext('claim', claimRef(claim), () => clients.core.createNamespacedPersistentVolumeClaim({ namespace, body: claim }));
}

export async function readClaim(clients: ClusterClients, namespace: string, name: string): Promise<V1PersistentVolumeClaim> {
  try {
    return await clients.core.readNamespacedPersistentVolumeClaim({ namespace, name });
  } catch (err) {
    throw new Error(describeApiError(`read claim ${namespace}/${name}`, err), { cause: err });
  }
}

export async function readVolume(clients: ClusterClients, name: string): Promise<V1PersistentVolume> {
  try {
    return await clients.core.readPersistentVolume({ name });
  } catch (err) {
    throw new Error(describeApiError(`read PersistentVolume ${name}`, err), { cause: err });
  }
}

/** The volume a bound claim points at. */
export async function volumeOfClaim(clients: ClusterClients, claim: V1PersistentVolumeClaim): Promise<V1PersistentVolume> {
  const name = claim.spec?.volumeName;
  if (name === undefined || name === '') throw new Error(`claim ${claimRef(claim)} is not bound to a volume (phase ${claim.status?.phase ?? 'unknown'})`);
  return readVolume(clients, name);
}

export function describeClaims(claims: readonly V1PersistentVolumeClaim[] | undefined): string {
  if (claims === undefined || claims.length === 0) return 'no claim';
  return claims
    .map((c) => `${claimRef(c)}: ${c.status?.phase ?? 'unknown'}${c.spec?.volumeName ? ` (volume ${c.spec.volumeName})` : ''}${c.metadata?.deletionTimestamp ? ', deleting' : ''}`)
    .join('; ');
}

/** One claim, for watchNamed. */
function namedClaim(clients: ClusterClients, namespace: string, name: string): NamedTarget<V1PersistentVolumeClaim> {
  return {
    kc: clients.kc,
    path: `/api/v1/namespaces/${namespace}/persistentvolumeclaims`,
    name,
    list: (fieldSelector) => clients.core.listNamespacedPersistentVolumeClaim({ namespace, fieldSelector }),
  };
}

/** Watches a claim until it is Bound. Callers wrap this in guardProvisioning to get a diagnosis
 *  instead of a bare timeout when it never binds. */
export async function waitForClaimBound(clients: ClusterClients, namespace: string, name: string, deadline: Deadline, signal?: AbortSignal): Promise<V1PersistentVolumeClaim> {
  const items = await watchNamed<V1PersistentVolumeClaim>(
    namedClaim(clients, namespace, name),
    (claims) => claims[0]?.status?.phase === 'Bound',
    { expectation: `claim ${namespace}/${name} to be Bound`, deadline, signal, describe: describeClaims },
  );
  const claim = items[0];
  if (claim === undefined) throw new Error(`claim ${namespace}/${name} vanished while waiting`);
  return claim;
}

/** Capacity the claim reports, in bytes. */
export function claimCapacityBytes(claim: V1PersistentVolumeClaim): number | undefined {
  const q = claim.status?.capacity?.storage;
  return q === undefined ? undefined : quantityBytes(q);
}

/** Resize finished: the reported capacity reached the request and no resize condition is left
 *  (Resizing = controller side, FileSystemResizePending = the kubelet still has to grow the
 *  file system of the mounted volume). */
export function resizeDone(claim: V1PersistentVolumeClaim, wantedBytes: number): boolean {
  const capacity = claimCapacityBytes(claim);
  const pending = (claim.status?.conditions ?? []).some((c) => (c.type === 'Resizing' || c.type === 'FileSystemResizePending') && c.status === 'True');
  return capacity !== undefined && capacity >= wantedBytes && !pending;
}

export async function requestClaimSize(clients: ClusterClients, namespace: string, name: string, size: string): Promise<void> {
  try {
    await clients.core.patchNamespacedPersistentVolumeClaim(
      { namespace, name, body: { spec: { resources: { requests: { storage: size } } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
  } catch (err) {
    throw new Error(describeApiError(`grow claim ${namespace}/${name} to ${size}`, err), { cause: err });
  }
}

export async function waitForClaimResized(clients: ClusterClients, namespace: string, name: string, wantedBytes: number, deadline: Deadline, signal?: AbortSignal): Promise<V1PersistentVolumeClaim> {
  const items = await watchNamed<V1PersistentVolumeClaim>(
    namedClaim(clients, namespace, name),
    (claims) => claims[0] !== undefined && resizeDone(claims[0], wantedBytes),
    {
      expectation: `claim ${namespace}/${name} to report a capacity of at least ${wantedBytes} bytes`,
      deadline,
      signal,
      describe: (claims) => {
        const c = claims?.[0];
        if (c === undefined) return 'claim not found';
        const conditions = (c.status?.conditions ?? []).map((x) => `${x.type}=${x.status}${x.message ? ` (${x.message})` : ''}`).join(', ');
        return `capacity ${c.status?.capacity?.storage ?? 'unknown'}, requested ${c.spec?.resources?.requests?.storage ?? '?'}; conditions: ${conditions || 'none'}`;
      },
    },
  );
  const claim = items[0];
  if (claim === undefined) throw new Error(`claim ${namespace}/${name} vanished while waiting`);
  return claim;
}

/** Deletes claims of this run by name (after re-reading them and finding our labels). */
export async function deleteOwnedClaim(clients: ClusterClients, namespace: string, name: string, runId: string): Promise<boolean> {
  let claim: V1PersistentVolumeClaim;
  try {
    claim = await clients.core.readNamespacedPersistentVolumeClaim({ namespace, name });
  } catch (err) {
    if (isNotFound(err)) return false;
    throw new Error(describeApiError(`read claim ${namespace}/${name} before deleting it`, err), { cause: err });
  }
  if (!isOwnedByKubeAssay(claim.metadata?.labels, runId)) throw new Error(`refusing to delete claim ${namespace}/${name}: it does not carry kube-assay's labels for run ${runId}`);
  try {
    await clients.core.deleteNamespacedPersistentVolumeClaim({ namespace, name });
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw new Error(describeApiError(`delete claim ${namespace}/${name}`, err), { cause: err });
  }
}

/** Waits until none of the claims selected by `labelSelector` (in every namespace) is left. */
export async function waitForClaimsGone(clients: ClusterClients, labelSelector: string, deadline: Deadline, signal?: AbortSignal, what = 'claims'): Promise<void> {
  await watchUntil<V1PersistentVolumeClaim>(
    { kc: clients.kc, path: '/api/v1/persistentvolumeclaims', labelSelector, list: () => clients.core.listPersistentVolumeClaimForAllNamespaces({ labelSelector }) },
    (claims) => claims.length === 0,
    { expectation: `${what} (${labelSelector}) to be deleted`, deadline, signal, describe: (claims) => `still present: ${describeClaims(claims)}` },
  );
}

/** Waits until none of the named PersistentVolumes exists any more. */
export async function waitForVolumesGone(clients: ClusterClients, names: readonly string[], deadline: Deadline, signal?: AbortSignal): Promise<void> {
  if (names.length === 0) return;
  const wanted = new Set(names);
  const present = (volumes: readonly V1PersistentVolume[]): V1PersistentVolume[] => volumes.filter((v) => wanted.has(v.metadata?.name ?? ''));
  await watchUntil<V1PersistentVolume>(
    { kc: clients.kc, path: '/api/v1/persistentvolumes', list: () => clients.core.listPersistentVolume() },
    (volumes) => present(volumes).length === 0,
    {
      expectation: `PersistentVolume(s) ${names.join(', ')} to be deleted by their reclaim policy`,
      deadline,
      signal,
      describe: (volumes) =>
        volumes === undefined
          ? 'never listed'
          : `still present: ${present(volumes).map((v) => `${v.metadata?.name ?? '?'} (${v.status?.phase ?? 'unknown'}, reclaim ${v.spec?.persistentVolumeReclaimPolicy ?? '?'})`).join(', ') || 'none'}`,
    },
  );
}

/** Waits until one claim is gone (deleted by us or by the garbage collector). */
export async function waitForClaimGone(clients: ClusterClients, namespace: string, name: string, deadline: Deadline, signal?: AbortSignal): Promise<void> {
  await watchNamed<V1PersistentVolumeClaim>(
    namedClaim(clients, namespace, name),
    (claims) => claims.length === 0,
    { expectation: `claim ${namespace}/${name} to be deleted`, deadline, signal, describe: (claims) => `still present: ${describeClaims(claims)}` },
  );
}
