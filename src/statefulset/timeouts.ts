// Named timeouts of the statefulset suite (declared with it in suites/statefulset/suite.ts). The
// volume waits are the storage suite's, shared because both wait on the same provisioners.
import { deadlinesOf } from '../cluster/timeouts.js';
import { STORAGE_TIMEOUTS } from '../storage/timeouts.js';

export const STATEFULSET_TIMEOUTS = {
  statefulSetReady: {
    ms: 240_000,
    description: 'all replicas of a StatefulSet are Running and Ready (they start one after another, each waiting for its own volume)',
  },
  provisionerSilence: STORAGE_TIMEOUTS.provisionerSilence,
  volumeDelete: STORAGE_TIMEOUTS.volumeDelete,
} as const;

export const statefulSetDeadline = deadlinesOf(STATEFULSET_TIMEOUTS);
