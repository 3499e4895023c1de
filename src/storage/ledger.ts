// What the storage checks of this run provisioned, so the last check can prove that cleanup left
// nothing behind: no claim of the run, and no volume whose reclaim policy is Delete. Volumes are
// created by the provisioner, carry none of our labels and are removed by their reclaim policy,
// never by us: we only look.
import type { V1PersistentVolume, V1PersistentVolumeClaim } from '@kubernetes/client-node';
import { suiteFixture } from '../harness/fixture.js';

export interface ProvisionedVolume {
  checkId: string;
  namespace: string;
  claim: string;
  claimUid: string;
  storageClass: string;
  /** Set once the claim is bound. */
  volume?: string;
  reclaimPolicy?: string;
}

export class VolumeLedger {
  private readonly entries = new Map<string, ProvisionedVolume>();

  /** Called when a claim is created, so even a claim that never binds is checked for removal. */
  recordClaim(entry: Omit<ProvisionedVolume, 'volume' | 'reclaimPolicy'>): void {
    this.entries.set(entry.claimUid, { ...entry });
  }

  recordVolume(claimUid: string, volume: string, reclaimPolicy: string): void {
    const entry = this.entries.get(claimUid);
    if (entry !== undefined) this.entries.set(claimUid, { ...entry, volume, reclaimPolicy });
  }

  all(): ProvisionedVolume[] {
    return [...this.entries.values()];
  }
}

/**
 * The storage suite's ledger, one per run: storage/dynamic-provisioning and storage/volume-expansion
 * record into it, storage/cleanup-leaves-nothing reads it. That reader must run after them; it
 * does because it is declared in suites/storage/teardown.spec.ts, which sorts after the other
 * spec files of the suite (see src/harness/fixture.ts on order).
 */
export const volumeLedger = suiteFixture('storage', 'volume ledger', () => new VolumeLedger());

export interface CleanupVerdict {
  /** Claims of the run still present (namespace/name). */
  claims: string[];
  /** Volumes with reclaim policy Delete that still exist. */
  undeleted: string[];
  /** Volumes with another policy (Retain): left by design, reported. */
  retained: string[];
}

/** Compares the ledger with what the cluster still holds. `claimsNow` are the run's claims
 *  (selected by our labels), `volumesNow` all PersistentVolumes. */
export function cleanupVerdict(ledger: readonly ProvisionedVolume[], claimsNow: readonly V1PersistentVolumeClaim[], volumesNow: readonly V1PersistentVolume[]): CleanupVerdict {
  const present = new Map(volumesNow.map((v) => [v.metadata?.name ?? '', v]));
  const undeleted: string[] = [];
  const retained: string[] = [];
  for (const entry of ledger) {
    if (entry.volume === undefined) continue;
    const volume = present.get(entry.volume);
    if (volume === undefined) continue;
    // The policy on the volume is what the PV controller acts on (it may differ from the class).
    const policy = volume.spec?.persistentVolumeReclaimPolicy ?? entry.reclaimPolicy ?? 'Delete';
    if (policy === 'Delete') undeleted.push(entry.volume);
    else retained.push(`${entry.volume} (${policy})`);
  }
  return { claims: claimsNow.map((c) => `${c.metadata?.namespace ?? '?'}/${c.metadata?.name ?? '?'}`), undeleted, retained };
}

export function cleanupClean(v: CleanupVerdict): boolean {
  return v.claims.length === 0 && v.undeleted.length === 0;
}
