// Named timeouts of the cis suite (declared with the suite; scaled by --timeout-scale).
import { deadlinesOf } from '../cluster/timeouts.js';

export const CIS_TIMEOUTS = {
  nodeRead: { ms: 10_000, description: "one node's kubelet /configz answers through the API server" },
  namespaceRelabel: { ms: 20_000, description: "one namespace's dry-run Pod Security relabel answers with the pods it would refuse" },
} as const;

export const cisDeadline = deadlinesOf(CIS_TIMEOUTS);
