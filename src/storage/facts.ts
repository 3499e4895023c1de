// Reads what the diagnosis of an unbound claim needs from the cluster: the claim's events, the
// StorageClasses, the consumer pod, and where the provisioner runs (or does not). Read-only; a
// read that fails leaves its part empty rather than hiding the original problem.
import type { CoreV1Event, V1Deployment, V1PersistentVolumeClaim, V1Pod, V1StorageClass } from '@kubernetes/client-node';
import type { ClusterClients } from '../cluster/client.js';
import { isPodRunningAndReady } from '../cluster/pods.js';
import { className, isDefaultClass } from './class-audit.js';
import type { ClaimFacts, ProvisionerPod, ProvisionerPresence } from './diagnosis.js';
import { knownProvisioner, selectorCovers } from './provisioners.js';

export async function listStorageClasses(clients: ClusterClients): Promise<V1StorageClass[]> {
  return (await clients.storage.listStorageClass()).items;
}

export async function eventsOf(clients: ClusterClients, namespace: string, uid: string | undefined): Promise<CoreV1Event[]> {
  if (uid === undefined) return [];
  try {
    return (await clients.core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.uid=${uid}` })).items;
  } catch {
    return [];
  }
}

function podState(pod: V1Pod): string {
  const phase = pod.status?.phase ?? 'Unknown';
  const waiting = pod.status?.containerStatuses?.find((s) => s.state?.waiting !== undefined)?.state?.waiting?.reason;
  if (pod.metadata?.deletionTimestamp !== undefined) return `${phase}, terminating`;
  if (waiting !== undefined) return `${phase} (${waiting})`;
  return isPodRunningAndReady(pod) ? phase : `${phase}, not ready`;
}

function toProvisionerPod(pod: V1Pod): ProvisionerPod {
  return { namespace: pod.metadata?.namespace ?? '?', name: pod.metadata?.name ?? '?', ready: isPodRunningAndReady(pod), state: podState(pod) };
}

export async function findProvisionerPresence(clients: ClusterClients, provisioner: string): Promise<ProvisionerPresence> {
  const known = knownProvisioner(provisioner);
  // A 404 means no CSI driver of that name is registered; other errors leave it undecided (false).
  const csiDriverRegistered = await clients.storage.readCSIDriver({ name: provisioner }).then(
    () => true,
    () => false,
  );
  if (known === undefined) return { provisioner, pods: [], workloads: [], csiDriverRegistered };
  const pods = (await clients.core.listPodForAllNamespaces({ labelSelector: known.podSelector }).catch(() => ({ items: [] as V1Pod[] }))).items;
  const deployments = (await clients.apps.listDeploymentForAllNamespaces().catch(() => ({ items: [] as V1Deployment[] }))).items;
  const workloads = deployments
    .filter((d) => selectorCovers(d.spec?.selector?.matchLabels, known.podSelector))
    .map((d) => ({ kind: 'Deployment', namespace: d.metadata?.namespace ?? '?', name: d.metadata?.name ?? '?', replicas: d.spec?.replicas ?? 1, ready: d.status?.readyReplicas ?? 0 }));
  return { provisioner, known, pods: pods.map(toProvisionerPod), workloads, csiDriverRegistered };
}

/** The provisioner responsible for a claim: its class's, or the default class's. */
export function provisionerOfClaim(claim: V1PersistentVolumeClaim, classes: readonly V1StorageClass[]): string | undefined {
  const requested = claim.spec?.storageClassName;
  const sc = requested === undefined ? classes.find(isDefaultClass) : classes.find((c) => className(c) === requested);
  return sc?.provisioner;
}

export async function gatherClaimFacts(
  clients: ClusterClients,
  claim: V1PersistentVolumeClaim,
  options: { consumer?: string; waitedMs?: number; provisioner?: string } = {},
): Promise<ClaimFacts> {
  const namespace = claim.metadata?.namespace ?? '';
  const [events, classes] = await Promise.all([eventsOf(clients, namespace, claim.metadata?.uid), listStorageClasses(clients).catch(() => [] as V1StorageClass[])]);
  let consumer: ClaimFacts['consumer'];
  if (options.consumer !== undefined) {
    try {
      const pod = await clients.core.readNamespacedPod({ namespace, name: options.consumer });
      consumer = { pod, events: await eventsOf(clients, namespace, pod.metadata?.uid) };
    } catch {
      consumer = undefined;
    }
  }
  const provisioner = options.provisioner ?? provisionerOfClaim(claim, classes);
  const presence = provisioner === undefined ? undefined : await findProvisionerPresence(clients, provisioner);
  return { claim, events, classes, consumer, presence, waitedMs: options.waitedMs };
}

/** The pod that mounts a claim, if any (for the consumer-not-scheduled diagnosis). */
export function consumerOf(claimName: string, pods: readonly V1Pod[]): string | undefined {
  return pods.find((p) => (p.spec?.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === claimName))?.metadata?.name;
}
