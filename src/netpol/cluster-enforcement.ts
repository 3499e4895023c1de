// netpol/enforcement: runs ENFORCEMENT_SCENARIO and records on the lab what it learnt, so the
// scenario checks after it can skip (with a pointer here) instead of failing cell by cell when
// nothing is enforced. The failure message is then exactly the sentence of
// detectNonEnforcement, e.g. "NetworkPolicy objects are accepted but not enforced: traffic
// that policy y/enforcement-deny-ingress must block was allowed from x/a to y/a on 80/TCP, ...".
import type { CheckContext } from '../harness/context.js';
import { CheckFailure } from '../harness/errors.js';
import { formatDuration } from '../cluster/timeouts.js';
import type { EnforcementState, NetpolLab } from './cluster-lab.js';
import { checkScenario } from './cluster-scenario.js';
import { ENFORCEMENT_SCENARIO } from './enforcement-scenario.js';

export async function checkEnforcement(t: CheckContext, lab: NetpolLab): Promise<void> {
  lab.enforcement = { state: 'not-checked' };
  try {
    const records = await checkScenario(t, lab, ENFORCEMENT_SCENARIO);
    const effectMs = records[records.length - 1]?.observation.elapsedMs ?? 0;
    lab.enforcement = { state: 'enforced', effectMs };
    t.attachText('enforcement', `the deny-all ingress policy showed in every probed cell after ${formatDuration(effectMs)}`);
  } catch (err) {
    // checkScenario marks the lab not-enforced when every must-block cell was allowed.
    // Widened on purpose: checkScenario changed it behind TypeScript's back.
    const state = lab.enforcement as EnforcementState;
    if (state.state === 'not-enforced') throw new CheckFailure(state.sentence, { details: err instanceof Error ? err.message : String(err) });
    lab.enforcement = { state: 'unclear', reason: err instanceof Error ? err.message : String(err) };
    throw err;
  }
}
