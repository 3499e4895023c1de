// Named timeouts of the netpol suite (declared with it in suites/netpol/suite.ts), scaled by
// --timeout-scale like every timeout.
import { deadlinesOf } from '../cluster/timeouts.js';

export const NETPOL_TIMEOUTS = {
  // Its slowest probe waits 5 s at most; the rest is exec set-up on a busy node.
  netpolProbeBatch: { ms: 20_000, description: 'one batched exec of probes from a source pod returns' },
  netpolPolicyEffect: { ms: 20_000, description: 'policy changes show in probes (enforcers apply them asynchronously)' },
  // Enforcers apply one policy change as a whole: once some cell shows it, the rest follow within moments.
  netpolSettle: { ms: 6_000, description: 'after a step visibly took effect, the cells still differing get this long before they count' },
  // A listener that refuses may be restarting; an address where nothing answers is not asked again.
  netpolMetadataAnswer: { ms: 10_000, description: 'something answers at the cloud metadata address with no policy in place' },
  netpolClusterDnsReady: { ms: 30_000, description: 'cluster DNS answers for the probe lab before probing by name' },
  // The thorough depth runs some 250 cases; its bench target is under 10 minutes on the testbed.
  netpolGeneratedCases: { ms: 1_200_000, description: 'every generated case of the chosen depth has run (the check netpol/generated-cases)' },
} as const;

export const netpolDeadline = deadlinesOf(NETPOL_TIMEOUTS);
