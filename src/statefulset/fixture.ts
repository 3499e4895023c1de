// The statefulset suite's shared fixture: one namespace with two StatefulSets started at the
// same time, `web` (3 replicas, default retention: Retain) for identity, DNS, replacement and
// scaling, and `ephemeral` (2 replicas, whenDeleted/whenScaled: Delete) for the retention
// policy. A pod recorder runs from before the first pod exists, so start order is observed.
import type { V1PersistentVolumeClaim } from '@kubernetes/client-node';
import { dumpNamespace } from '../cluster/dump.js';
import { createService } from '../cluster/services.js';
import type { CheckContext, SetupContext } from '../harness/context.js';
import { CheckFailure } from '../harness/errors.js';
import { containerOf, execOk } from '../harness/probes.js';
import { SUITE_LABEL, describeClaims, suiteClaimSelector, volumeSize } from '../storage/claims.js';
import { storageDeadline } from '../storage/timeouts.js';
import { guardProvisioning } from '../storage/watchdog.js';
import { claimName, headlessService, IDENTITY_FILE, ordinals, parseIdentity, podName, statefulSetManifest, type Identity } from './manifests.js';
import { allReadyRecorded } from './order.js';
import { PodTransitionRecorder } from './recorder.js';
import type { RetentionPolicy } from './retention.js';
import { createStatefulSet, waitForSetPods } from './workload.js';

export const SUITE = 'statefulset';
export const SET_LABEL = 'kube-assay.io/set';
export const CLAIM_TEMPLATE = 'data';

export interface ReplicaFacts {
  uid: string;
  ip: string;
  node: string;
}

export interface VolumeFacts {
  claim: string;
  volume: string;
  volumeUid: string;
  reclaimPolicy: string;
}

export interface SetFixture {
  name: string;
  service: string;
  replicas: number;
  selector: string;
  setUid: string;
  podManagementPolicy: string;
  /** Replicas as first started (name -> facts). */
  pods: Map<string, ReplicaFacts>;
  /** Claims as first bound (claim name -> volume). */
  volumes: Map<string, VolumeFacts>;
}

export interface StatefulSetFixture {
  namespace: string;
  web: SetFixture;
  ephemeral: SetFixture;
  recorder: PodTransitionRecorder;
  /** Transitions recorded while the sets started (a copy; the recorder keeps going). */
  startTransitions: ReturnType<PodTransitionRecorder['since']>;
}

export function podsOf(set: Pick<SetFixture, 'name'>, replicas: number): string[] {
  return ordinals(replicas).map((n) => podName(set.name, n));
}

export function claimsOf(set: Pick<SetFixture, 'name'>, replicas: number): string[] {
  return ordinals(replicas).map((n) => claimName(CLAIM_TEMPLATE, set.name, n));
}

export async function listSetClaims(s: SetupContext, namespace: string, set?: string): Promise<V1PersistentVolumeClaim[]> {
  const labelSelector = `${suiteClaimSelector(s.runId, SUITE)}${set === undefined ? '' : `,${SET_LABEL}=${set}`}`;
  return (await s.clients.core.listNamespacedPersistentVolumeClaim({ namespace, labelSelector })).items;
}

/** Waits for exactly these pods of a set to be Ready, with the claim watchdog: a set stuck on
 *  its volumes fails with the provisioning diagnosis instead of a bare pod timeout. */
export async function waitForReplicas(s: SetupContext, namespace: string, set: SetFixture | { name: string; selector: string }, names: readonly string[], notUids: ReadonlySet<string> = new Set()): ReturnType<typeof waitForSetPods> {
  const guard = { clients: s.clients, namespace, listClaims: () => listSetClaims(s, namespace, set.name), silence: storageDeadline(s.timeouts, 'provisionerSilence'), signal: s.signal };
  return guardProvisioning(guard, (signal) => waitForSetPods(s.clients, namespace, set.selector, names, storageDeadline(s.timeouts, 'statefulSetReady'), signal, notUids));
}

export async function volumesOf(s: SetupContext, claims: readonly V1PersistentVolumeClaim[]): Promise<Map<string, VolumeFacts>> {
  const out = new Map<string, VolumeFacts>();
  await Promise.all(
    claims.map(async (c) => {
      const volume = c.spec?.volumeName;
      if (volume === undefined || volume === '') return;
      const pv = await s.clients.core.readPersistentVolume({ name: volume });
      out.set(c.metadata?.name ?? '?', { claim: c.metadata?.name ?? '?', volume, volumeUid: pv.metadata?.uid ?? '', reclaimPolicy: pv.spec?.persistentVolumeReclaimPolicy ?? '?' });
    }),
  );
  return out;
}

async function startSet(s: SetupContext, namespace: string, name: string, replicas: number, retention?: RetentionPolicy): Promise<SetFixture> {
  const selectorLabels = { [SET_LABEL]: name };
  const labels = s.labels({ [SUITE_LABEL]: SUITE });
  s.step(`create headless Service ${name} and StatefulSet ${name} (${replicas} replicas${retention === undefined ? '' : `, whenDeleted ${retention.whenDeleted}, whenScaled ${retention.whenScaled}`})`);
  await createService(s.clients, headlessService({ name, namespace, labels, selector: selectorLabels }));
  const created = await createStatefulSet(
    s.clients,
    statefulSetManifest({
      name,
      namespace,
      serviceName: name,
      replicas,
      labels,
      selector: selectorLabels,
      claimTemplate: CLAIM_TEMPLATE,
      claimLabels: { ...labels, ...selectorLabels },
      size: volumeSize(s.config.statefulset.size),
      storageClass: s.config.statefulset.storageClass,
      retention,
      image: s.probeImage,
      pullPolicy: s.config.images.pullPolicy,
    }),
  );
  const set: SetFixture = {
    name,
    service: name,
    replicas,
    selector: `${SET_LABEL}=${name}`,
    setUid: created.metadata?.uid ?? '',
    podManagementPolicy: created.spec?.podManagementPolicy ?? '(unset)',
    pods: new Map(),
    volumes: new Map(),
  };
  const pods = await waitForReplicas(s, namespace, set, podsOf(set, replicas));
  for (const [pod, p] of pods) set.pods.set(pod, { uid: p.metadata?.uid ?? '', ip: p.status?.podIP ?? '', node: p.spec?.nodeName ?? '' });
  set.volumes = await volumesOf(s, await listSetClaims(s, namespace, name));
  return set;
}

export async function deployFixture(s: SetupContext): Promise<StatefulSetFixture> {
  const namespace = await s.createNamespace('sets');
  const recorder = await PodTransitionRecorder.start(s.clients, namespace, SET_LABEL);
  s.defer('stop recording pod transitions', async () => recorder.stop());
  // Independent sets: start them together, so the retention set costs no extra wall time.
  const [web, ephemeral] = await Promise.all([startSet(s, namespace, 'web', 3), startSet(s, namespace, 'ephemeral', 2, { whenDeleted: 'Delete', whenScaled: 'Delete' })]);
  await recorder.settle((t) => allReadyRecorded(t, [...podsOf(web, 3), ...podsOf(ephemeral, 2)]), s.deadline('apiRequest'));
  return { namespace, web, ephemeral, recorder, startTransitions: recorder.since(0) };
}

/** Reads what a replica wrote to its volume. */
export async function identityOf(t: SetupContext, namespace: string, pod: string): Promise<Identity | undefined> {
  return parseIdentity(await execOk(t, containerOf(namespace, pod), ['cat', IDENTITY_FILE], `read ${IDENTITY_FILE} in ${pod}`));
}

export function requireFixture(fixture: StatefulSetFixture | undefined): StatefulSetFixture {
  if (fixture === undefined) throw new CheckFailure('the suite setup did not deploy the StatefulSets (see the setup failure above)');
  return fixture;
}

/** Runs a check body against the fixture; on failure, first captures events, pod status and
 *  logs of the fixture's namespace (checks of this suite have no namespace of their own). */
export async function onFixture(t: CheckContext, fixture: StatefulSetFixture | undefined, body: (f: StatefulSetFixture) => Promise<void>): Promise<void> {
  const f = requireFixture(fixture);
  try {
    await body(f);
  } catch (err) {
    if (!t.signal.aborted) {
      t.step('capture events, pod status and logs of the StatefulSets');
      for (const a of await dumpNamespace(t.clients, f.namespace)) t.attach(a);
      const claims = await listSetClaims(t, f.namespace).catch(() => undefined);
      t.attachText('claims of the StatefulSets', describeClaims(claims).replace(/; /g, '\n'));
    }
    throw err;
  }
}
