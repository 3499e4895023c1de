// netpol/enforcement: runs ENFORCEMENT_SCENARIO and records what it learnt (enforcementFinding), so the
// scenario checks after it can skip (with a pointer here) instead of failing cell by cell when
// nothing is enforced. The failure message is then exactly the sentence of
// detectNonEnforcement, e.g. "NetworkPolicy objects are accepted but not enforced: traffic
// that policy y/enforcement-deny-ingress must block was allowed from x/a to y/a on 80/TCP, ...".
import type { CheckContext } from '../harness/context.js';
import { CheckFailure } from '../harness/errors.js';
import { formatDuration } from '../cluster/timeouts.js';
import { enforcementFinding, type NetpolLab } from './cluster-lab.js';
import { checkScenario, ScenarioStepFailure } from './cluster-scenario.js';
import { ENFORCEMENT_SCENARIO } from './enforcement-scenario.js';

export async function checkEnforcement(t: CheckContext, lab: NetpolLab): Promise<void> {
  const finding = enforcementFinding.of(t);
  finding.current = { state: 'not-checked' };
  try {
    const records = await checkScenario(t, lab, ENFORCEMENT_SCENARIO);
    const effectMs = records[records.length - 1]?.observation.elapsedMs ?? 0;
    finding.current = { state: 'enforced', effectMs };
    t.attachText('enforcement', `the deny-all ingress policy showed in every probed cell after ${formatDuration(effectMs)}`);
  } catch (err) {
    if (err instanceof ScenarioStepFailure && err.nonEnforcement !== undefined) {
      finding.current = { state: 'not-enforced', sentence: err.nonEnforcement.sentence };
      throw new CheckFailure(err.nonEnforcement.sentence, { details: `${err.step}: ${err.details ?? ''}` });
    }
    // Partly enforced, or the probes could not tell: the scenarios run and show the details.
    finding.current = { state: 'unclear', reason: err instanceof Error ? err.message : String(err) };
    throw err;
  }
}
