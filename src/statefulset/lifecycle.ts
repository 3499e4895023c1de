// What a StatefulSet keeps across disruption: a deleted replica returns with the same name,
// claim, volume (by UID) and data and is found at its DNS name again; scaling down keeps the
// claims and scaling up reuses them; deleting the set keeps the claims unless the retention
// policy says Delete, which is then verified on a second set; and finally cleanup removes them.
import { describeApiError } from '../cluster/api-errors.js';
import { containerOf, execIn } from '../harness/probes.js';
import type { CheckContext } from '../harness/context.js';
import { CheckFailure } from '../harness/errors.js';
import { expectEqual, expectThat } from '../harness/expect.js';
import { deleteOwnedClaim, suiteClaimSelector, waitForClaimGone, waitForClaimsGone, waitForVolumesGone } from '../storage/claims.js';
import { statefulSetDeadline } from './timeouts.js';
import { lookupPeer, parseResolvConf } from './dns.js';
import { CLAIM_TEMPLATE, claimsOf, identityOf, listSetClaims, podsOf, SUITE, volumesOf, waitForReplicas, type SetFixture, type StatefulSetFixture } from './fixture.js';
import { claimName, podFqdn, podName } from './manifests.js';
import { allReadyRecorded, orderedStartViolations } from './order.js';
import { claimFate, keptClaimProblems, ownerOf, retentionPolicy } from './retention.js';
import { deleteOwnedStatefulSet, readStatefulSet, scaleStatefulSet, waitForSetPods, waitForStatefulSetGone } from './workload.js';

function volumeOf(set: SetFixture, ordinal: number): { volume?: string; volumeUid?: string } {
  const v = set.volumes.get(claimName(CLAIM_TEMPLATE, set.name, ordinal));
  return { volume: v?.volume, volumeUid: v?.volumeUid };
}

/** Each replica's identity file must still hold what the replica's first pod wrote. */
async function expectIdentities(t: CheckContext, f: StatefulSetFixture, pods: readonly string[]): Promise<string[][]> {
  return Promise.all(
    pods.map(async (pod) => {
      const identity = await identityOf(t, f.namespace, pod);
      const expected = `${pod} ${f.web.pods.get(pod)?.uid ?? '?'}`;
      const seen = identity === undefined ? '(unreadable)' : `${identity.pod} ${identity.uid}`;
      expectEqual(`data on the volume of ${pod} (written by its first pod)`, expected, seen);
      return [pod, seen];
    }),
  );
}

async function expectSameVolumes(t: CheckContext, f: StatefulSetFixture, ordinals: readonly number[]): Promise<string[][]> {
  const now = await volumesOf(t, await listSetClaims(t, f.namespace, f.web.name));
  return ordinals.map((n) => {
    const name = claimName(CLAIM_TEMPLATE, f.web.name, n);
    const before = volumeOf(f.web, n);
    const after = now.get(name);
    expectEqual(`volume UID behind claim ${name}`, before.volumeUid, after?.volumeUid);
    return [name, after?.volume ?? 'missing', after?.volumeUid ?? ''];
  });
}

export async function checkPodReplacement(t: CheckContext, f: StatefulSetFixture): Promise<void> {
  const pod = podName(f.web.name, 1);
  const old = await t.clients.core.readNamespacedPod({ namespace: f.namespace, name: pod });
  const oldUid = old.metadata?.uid ?? '';
  t.step(`delete pod ${pod} (uid ${oldUid})`);
  try {
    await t.clients.core.deleteNamespacedPod({ namespace: f.namespace, name: pod });
  } catch (err) {
    throw new Error(describeApiError(`delete pod ${f.namespace}/${pod}`, err), { cause: err });
  }
  const pods = await waitForReplicas(t, f.namespace, f.web, podsOf(f.web, f.web.replicas), new Set([oldUid]));
  const fresh = pods.get(pod);
  const newIp = fresh?.status?.podIP ?? '?';
  const mounted = fresh?.spec?.volumes?.find((v) => v.name === CLAIM_TEMPLATE)?.persistentVolumeClaim?.claimName;
  const [volumeRow] = await expectSameVolumes(t, f, [1]);
  const [identityRow] = await expectIdentities(t, f, [pod]);
  t.step(`resolve ${pod} from ${podName(f.web.name, 0)}: it must answer the new IP ${newIp}`);
  const from = containerOf(f.namespace, podName(f.web.name, 0));
  const conf = parseResolvConf((await execIn(t, from, ['cat', '/etc/resolv.conf'])).stdout);
  const lookup = await lookupPeer(t, from, podFqdn(pod, f.web.service, f.namespace, t.config.clusterDomain), newIp, conf);
  t.attachTable('pod -1 before and after deletion', ['', 'before', 'after'], [
    ['pod uid', oldUid, fresh?.metadata?.uid ?? '?'],
    ['pod IP', old.status?.podIP ?? '?', newIp],
    ['claim', claimName(CLAIM_TEMPLATE, f.web.name, 1), mounted ?? '?'],
    ['volume (uid)', `${volumeOf(f.web, 1).volume ?? '?'} (${volumeOf(f.web, 1).volumeUid ?? '?'})`, `${volumeRow?.[1] ?? '?'} (${volumeRow?.[2] ?? '?'})`],
    ['identity on the volume', `${pod} ${f.web.pods.get(pod)?.uid ?? '?'}`, identityRow?.[1] ?? '?'],
    ['DNS answer', old.status?.podIP ?? '?', lookup.ok ? (lookup.resolution?.addresses.join(', ') ?? '') : `FAILED: ${lookup.problem ?? ''}`],
  ]);
  expectEqual(`name of the replacement pod`, pod, fresh?.metadata?.name);
  expectEqual(`claim mounted by the replacement ${pod}`, claimName(CLAIM_TEMPLATE, f.web.name, 1), mounted);
  if (!lookup.ok) throw new CheckFailure(`after ${pod} was replaced, ${lookup.name} did not resolve to its new IP ${newIp} within ${t.timeouts.label('dnsResolve')}: the resolver ${lookup.problem ?? 'gave no answer'}`, { details: `reproduce: ${lookup.reproduce}` });
}

export async function checkScaleDownUp(t: CheckContext, f: StatefulSetFixture): Promise<void> {
  const policy = retentionPolicy((await readStatefulSet(t.clients, f.namespace, f.web.name)) ?? {});
  expectEqual(`whenScaled of StatefulSet ${f.web.name} (default)`, 'Retain', policy.whenScaled);
  t.step(`scale ${f.web.name} to 1`);
  await scaleStatefulSet(t.clients, f.namespace, f.web.name, 1);
  await waitForSetPods(t.clients, f.namespace, f.web.selector, podsOf(f.web, 1), statefulSetDeadline(t.timeouts, 'statefulSetReady'), t.signal);
  const afterDown = new Map((await listSetClaims(t, f.namespace, f.web.name)).map((c) => [c.metadata?.name ?? '?', c]));
  const problems = [1, 2].flatMap((n) => {
    const name = claimName(CLAIM_TEMPLATE, f.web.name, n);
    return keptClaimProblems(afterDown.get(name), name, { volume: volumeOf(f.web, n).volume, setUid: f.web.setUid });
  });
  expectThat(problems.length === 0, `after scaling ${f.web.name} to 1 the claims of the removed replicas must remain: ${problems.join('; ')}`);

  t.step(`scale ${f.web.name} back to 3`);
  const mark = f.recorder.mark();
  await scaleStatefulSet(t.clients, f.namespace, f.web.name, 3);
  await waitForReplicas(t, f.namespace, f.web, podsOf(f.web, 3));
  const returning = [podName(f.web.name, 1), podName(f.web.name, 2)];
  await f.recorder.settle(() => allReadyRecorded(f.recorder.since(mark), returning), t.deadline('apiRequest'));
  const order = orderedStartViolations(f.recorder.since(mark), returning);
  const volumes = await expectSameVolumes(t, f, [1, 2]);
  const identities = await expectIdentities(t, f, [podName(f.web.name, 1), podName(f.web.name, 2)]);
  t.attachTable('claims of the removed replicas, reused after scaling back up', ['claim', 'volume', 'volume uid (same as at first start)', 'pod', 'identity on the volume'], volumes.map((v, i) => [...v, ...(identities[i] ?? [])]));
  t.attachTable('pod events while scaling up, in watch order', ['#', 'event'], order.sequence.map((e, i) => [String(i + 1), e]));
  expectThat(order.violations.length === 0, `scale-up of ${f.web.name} was not ordered: ${order.violations.join('; ')}`);
}

export async function checkDeleteKeepsClaims(t: CheckContext, f: StatefulSetFixture): Promise<void> {
  const set = await readStatefulSet(t.clients, f.namespace, f.web.name);
  if (set === undefined) throw new CheckFailure(`StatefulSet ${f.web.name} is already gone: an earlier step deleted it`);
  const policy = retentionPolicy(set);
  const fate = claimFate(policy, 'set-deleted');
  t.step(`delete StatefulSet ${f.web.name} (whenDeleted ${policy.whenDeleted}: claims should be ${fate})`);
  await deleteOwnedStatefulSet(t.clients, f.namespace, f.web.name, t.runId);
  await waitForStatefulSetGone(t.clients, f.namespace, f.web.name, t.deadline('podDelete'), t.signal);
  await waitForSetPods(t.clients, f.namespace, f.web.selector, [], t.deadline('podDelete'), t.signal);
  const names = claimsOf(f.web, f.web.replicas);
  if (fate === 'deleted') {
    await Promise.all(names.map((n) => waitForClaimGone(t.clients, f.namespace, n, statefulSetDeadline(t.timeouts, 'volumeDelete'), t.signal)));
    return;
  }
  const claims = new Map((await listSetClaims(t, f.namespace, f.web.name)).map((c) => [c.metadata?.name ?? '?', c]));
  t.attachTable('claims after the StatefulSet and its pods are gone', ['claim', 'phase', 'volume', 'owners'], names.map((n) => {
    const c = claims.get(n);
    return [n, c?.status?.phase ?? 'missing', c?.spec?.volumeName ?? '', (c?.metadata?.ownerReferences ?? []).map((o) => `${o.kind}/${o.name}`).join(', ') || 'none'];
  }));
  const problems = names.flatMap((n, i) => keptClaimProblems(claims.get(n), n, { volume: volumeOf(f.web, i).volume, setUid: f.web.setUid }));
  expectThat(problems.length === 0, `with whenDeleted ${policy.whenDeleted} the claims must outlive StatefulSet ${f.web.name}: ${problems.join('; ')}`);
}

export async function checkRetentionPolicy(t: CheckContext, f: StatefulSetFixture): Promise<void> {
  const e = f.ephemeral;
  const set = await readStatefulSet(t.clients, f.namespace, e.name);
  if (set === undefined) throw new CheckFailure(`StatefulSet ${e.name} is gone before the check started`);
  const policy = retentionPolicy(set);
  expectEqual(`persistentVolumeClaimRetentionPolicy of ${e.name} as stored by the API server (dropped when StatefulSetAutoDeletePVC is off)`, { whenDeleted: 'Delete', whenScaled: 'Delete' }, policy);
  const [first, second] = claimsOf(e, 2) as [string, string];
  const before = new Map((await listSetClaims(t, f.namespace, e.name)).map((c) => [c.metadata?.name ?? '?', c]));
  for (const name of [first, second]) {
    expectThat(ownerOf(before.get(name) ?? {}, e.setUid) !== undefined, `with whenDeleted Delete, claim ${name} should be owned by StatefulSet ${e.name} (uid ${e.setUid}); owners: ${(before.get(name)?.metadata?.ownerReferences ?? []).map((o) => `${o.kind}/${o.name}`).join(', ') || 'none'}`);
  }
  const volumeDelete = statefulSetDeadline(t.timeouts, 'volumeDelete');
  t.step(`scale ${e.name} to 1: whenScaled Delete must remove claim ${second}`);
  await scaleStatefulSet(t.clients, f.namespace, e.name, 1);
  await waitForSetPods(t.clients, f.namespace, e.selector, podsOf(e, 1), statefulSetDeadline(t.timeouts, 'statefulSetReady'), t.signal);
  await waitForClaimGone(t.clients, f.namespace, second, volumeDelete, t.signal);
  const kept = (await listSetClaims(t, f.namespace, e.name)).find((c) => c.metadata?.name === first);
  const problems = keptClaimProblems(kept, first, { volume: e.volumes.get(first)?.volume });
  expectThat(problems.length === 0, `scaling ${e.name} to 1 must keep the claim of the remaining replica: ${problems.join('; ')}`);

  t.step(`delete ${e.name}: whenDeleted Delete must remove claim ${first}, and reclaim policy Delete their volumes`);
  await deleteOwnedStatefulSet(t.clients, f.namespace, e.name, t.runId);
  await waitForClaimGone(t.clients, f.namespace, first, volumeDelete, t.signal);
  const deleteVolumes = [...e.volumes.values()].filter((v) => v.reclaimPolicy === 'Delete').map((v) => v.volume);
  await waitForVolumesGone(t.clients, deleteVolumes, volumeDelete, t.signal);
  t.attachTable(`claims of ${e.name} (whenScaled: Delete, whenDeleted: Delete)`, ['claim', 'volume', 'removed when'], [
    [second, e.volumes.get(second)?.volume ?? '?', 'scaled from 2 to 1'],
    [first, e.volumes.get(first)?.volume ?? '?', 'StatefulSet deleted'],
  ]);
}

export async function checkClaimsCleanup(t: CheckContext, f: StatefulSetFixture): Promise<void> {
  for (const set of [f.web, f.ephemeral]) {
    if (await deleteOwnedStatefulSet(t.clients, f.namespace, set.name, t.runId)) {
      t.step(`delete StatefulSet ${set.name}, still present`);
      await waitForSetPods(t.clients, f.namespace, set.selector, [], t.deadline('podDelete'), t.signal);
    }
  }
  const claims = await listSetClaims(t, f.namespace);
  t.step(`delete ${claims.length} claim(s) left by the StatefulSets`);
  for (const c of claims) await deleteOwnedClaim(t.clients, f.namespace, c.metadata?.name ?? '', t.runId);
  const deadline = statefulSetDeadline(t.timeouts, 'volumeDelete');
  await waitForClaimsGone(t.clients, suiteClaimSelector(t.runId, SUITE), deadline, t.signal, `the claims of suite ${SUITE}`);
  const volumes = [...f.web.volumes.values(), ...f.ephemeral.volumes.values()];
  await waitForVolumesGone(t.clients, volumes.filter((v) => v.reclaimPolicy === 'Delete').map((v) => v.volume), deadline, t.signal);
  t.attachTable('claims removed by the suite cleanup', ['claim', 'volume', 'reclaim policy', 'volume now'], volumes.map((v) => [v.claim, v.volume, v.reclaimPolicy, v.reclaimPolicy === 'Delete' ? 'deleted' : 'retained by policy']));
  for (const v of volumes.filter((x) => x.reclaimPolicy !== 'Delete')) t.warn(`volume ${v.volume} (${v.reclaimPolicy}) outlives its claim ${v.claim}: delete it by hand when done`);
}
