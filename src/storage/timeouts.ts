// Named timeouts of the storage suite (declared with it in suites/storage/suite.ts). Like every
// timeout they scale with --timeout-scale and their names appear in every timeout message.
import { deadlinesOf } from '../cluster/timeouts.js';

export const STORAGE_TIMEOUTS = {
  volumeBind: { ms: 120_000, description: 'a claim is Bound: the provisioner created a volume (cloud volumes take tens of seconds)' },
  provisionerSilence: {
    ms: 30_000,
    // Healthy provisioners emit `Provisioning` within a second or two, so this much silence means
    // the provisioner is not running or not working.
    description: 'the PV controller handed a claim to an external provisioner and that provisioner has shown no sign of life (no event about the claim)',
  },
  volumeDelete: { ms: 120_000, description: 'a deleted claim is gone, and with reclaim policy Delete its volume too' },
  volumeResize: { ms: 180_000, description: 'a grown claim reports the new capacity and its file system was resized' },
} as const;

export const storageDeadline = deadlinesOf(STORAGE_TIMEOUTS);
