// persistentVolumeClaimRetentionPolicy: what happens to a replica's claim when the set is
// deleted (whenDeleted) or scaled below that replica (whenScaled). Both default to Retain.
// With Delete, the controller makes the set (whenDeleted) or the condemned pod (whenScaled) an
// owner of the claim, and the garbage collector removes it.
import type { V1OwnerReference, V1PersistentVolumeClaim, V1StatefulSet } from '@kubernetes/client-node';

export type RetentionAction = 'Retain' | 'Delete';

export interface RetentionPolicy {
  whenDeleted: RetentionAction;
  whenScaled: RetentionAction;
}

function action(value: string | undefined): RetentionAction {
  return value === 'Delete' ? 'Delete' : 'Retain';
}

export function retentionPolicy(set: V1StatefulSet): RetentionPolicy {
  const p = set.spec?.persistentVolumeClaimRetentionPolicy;
  return { whenDeleted: action(p?.whenDeleted), whenScaled: action(p?.whenScaled) };
}

export type ClaimFate = 'kept' | 'deleted';

export function claimFate(policy: RetentionPolicy, event: 'set-deleted' | 'scaled-down'): ClaimFate {
  const a = event === 'set-deleted' ? policy.whenDeleted : policy.whenScaled;
  return a === 'Delete' ? 'deleted' : 'kept';
}

export function ownerOf(claim: V1PersistentVolumeClaim, uid: string | undefined): V1OwnerReference | undefined {
  return claim.metadata?.ownerReferences?.find((o) => o.uid === uid);
}

/** Problems with a claim that must be kept: it is being deleted, lost its volume, or is owned
 *  by the set (so the garbage collector would remove it with the set). */
export function keptClaimProblems(claim: V1PersistentVolumeClaim | undefined, name: string, expected: { volume?: string; setUid?: string }): string[] {
  if (claim === undefined) return [`claim ${name} is gone`];
  const problems: string[] = [];
  if (claim.metadata?.deletionTimestamp !== undefined) problems.push(`claim ${name} is being deleted`);
  if (claim.status?.phase !== 'Bound') problems.push(`claim ${name} is ${claim.status?.phase ?? 'in no phase'}, not Bound`);
  if (expected.volume !== undefined && claim.spec?.volumeName !== expected.volume) problems.push(`claim ${name} is bound to ${claim.spec?.volumeName ?? 'nothing'}, expected ${expected.volume}`);
  const owner = ownerOf(claim, expected.setUid);
  if (owner !== undefined) problems.push(`claim ${name} is owned by ${owner.kind} ${owner.name}, so it would be deleted with it`);
  return problems;
}
