// Named timeouts of the storage and statefulset suites. They are not in the shared table
// (src/cluster/timeouts.ts) because only these suites wait for volumes; like every timeout they
// scale with --timeout-scale and their names appear in every timeout message.
import type { Timeouts } from '../cluster/timeouts.js';
import type { Deadline } from '../cluster/wait.js';

export const STORAGE_TIMEOUTS_MS = {
  /** A claim is Bound: the provisioner created a volume (cloud volumes take tens of seconds). */
  volumeBind: 120_000,
  /** The PV controller handed a claim to an external provisioner and that provisioner has shown
   *  no sign of life (no event about the claim). Healthy provisioners emit `Provisioning` within
   *  a second or two, so this much silence means it is not running or not working. */
  provisionerSilence: 30_000,
  /** A deleted claim is gone, and with reclaim policy Delete its volume too. */
  volumeDelete: 120_000,
  /** A grown claim reports the new capacity and its file system was resized. */
  volumeResize: 180_000,
  /** All replicas of a StatefulSet are Running and Ready (they start one after another, each
   *  waiting for its own volume). */
  statefulSetReady: 240_000,
} as const;

export type StorageTimeoutName = keyof typeof STORAGE_TIMEOUTS_MS;

export function storageDeadline(timeouts: Timeouts, name: StorageTimeoutName): Deadline {
  return { name, ms: timeouts.custom(STORAGE_TIMEOUTS_MS[name]) };
}
