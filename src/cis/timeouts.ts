// Named timeouts of the cis suite (declared with the suite; scaled by --timeout-scale).
import { deadlinesOf } from '../cluster/timeouts.js';

export const CIS_TIMEOUTS = {
  nodeRead: { ms: 10_000, description: "one node's kubelet /configz answers through the API server" },
} as const;

export const cisDeadline = deadlinesOf(CIS_TIMEOUTS);
