// The generated cases (generator.ts) as ONE check, netpol/generated-cases: each case runs its
// steps in a lab of its own while it runs (a lane with namespaces x and y and pods a and b, or
// a scenario lab once the scenarios are done), several at once (suite-schedule.ts), since
// policies in one lab's namespaces cannot change traffic between another lab's pods. Every
// case keeps its own stable ID: the failure names the failing cases grouped by what they have
// in common, lists them as offender rows (so a waiver can accept exactly the known ones while
// any other failing case still fails the check), and attaches each one's cells to look at.
import type { CheckContext } from '../harness/context.js';
import { CheckFailure } from '../harness/errors.js';
import { formatDuration } from '../report/format.js';
import { formatGroupedFailures, groupFailures, groupSentence, type CaseOutcome } from './case-groups.js';
import { enforcementFinding } from './cluster-lab.js';
import { mismatchText } from './cluster-scenario.js';
import { caseFailed, type CaseResult, type NetpolSchedule } from './suite-schedule.js';
import type { GeneratorSupport } from './generator.js';

export const GENERATED_CASES_ID = 'netpol/generated-cases';

/** `3 allowed that must be blocked, 0 blocked that must be allowed, 0 probe-failed at step 1/1 (...)`. */
export function caseVerdict(result: CaseResult): string {
  if (result.error !== undefined) return `could not run: ${result.error}`;
  const run = result.run;
  if (run === undefined || run.agreed) return 'agrees with the policies';
  const cells = run.observation.comparison.cells;
  const opened = cells.filter((c) => c.status === 'differ' && c.expected === 'blocked').length;
  const closed = cells.filter((c) => c.status === 'differ' && c.expected === 'allowed').length;
  const failed = cells.filter((c) => c.status === 'probe-failed').length;
  return `${opened} allowed that must be blocked, ${closed} blocked that must be allowed, ${failed} probe-failed at ${run.where}`;
}

const INVENTORY_COLUMNS = ['case', 'direction', 'target', 'peer', 'port', 'protocol', 'action', 'result', 'time', 'rounds'];

function inventoryRows(results: readonly CaseResult[]): string[][] {
  return results.map((r) => {
    const d = r.generated.dimensions;
    const rounds = r.run?.records.reduce((sum, step) => sum + step.observation.rounds, 0) ?? 0;
    return [r.generated.id, d.direction, d.target, d.peer, d.port, d.protocol, d.action, caseFailed(r) ? 'failed' : 'passed', formatDuration(r.durationMs), String(rounds)];
  });
}

/** What the cases leave out, said in the check's steps and summary so no one reads more into it. */
export function coverageNote(support: GeneratorSupport): string | undefined {
  return support.sctp ? undefined : 'SCTP is not probed: SCTP cases are not offered yet (the testbed kernel has no SCTP to prove them on)';
}

/**
 * The check body of netpol/generated-cases: reports the cases the suite schedule ran (they run
 * while the scenario checks are reported, see suite-schedule.ts). The labs must still have been
 * as they were when Ready after their last job: a server that restarted meanwhile makes every
 * result unreliable.
 */
export async function checkGeneratedCases(t: CheckContext, schedule: NetpolSchedule, support: GeneratorSupport): Promise<void> {
  const cases = schedule.cases;
  const enforcement = enforcementFinding.of(t).current;
  if (enforcement.state === 'not-enforced') {
    t.skip(`NetworkPolicy is not enforced in this cluster (see netpol/enforcement), so none of the ${cases.length} generated cases can be tested`);
  }
  t.step(`run ${cases.length} generated cases in up to ${schedule.labs.scenario.length + schedule.labs.cases.length} lab(s) at once`);
  const note = coverageNote(support);
  if (note !== undefined) t.step(note);
  const noteLine = note === undefined ? '' : `\n${note}`;
  const { results, elapsedMs } = await schedule.caseResults(t);
  for (const r of results.filter(caseFailed)) t.step(`case ${r.generated.id} failed: ${r.error ?? (r.run?.agreed === false ? r.run.where : '?')}`);
  t.step(`${results.length}/${cases.length} cases done`);
  // A lane that never started is infrastructure trouble: the cases ran elsewhere, but say so.
  const broken = await schedule.laneFailures();
  if (broken.length > 0) throw new CheckFailure(`${broken.length} lane(s) of the generated cases could not be started: ${broken[0] ?? ''}`, { details: broken.join('\n') });
  // Each lab's health was read when it was released, right after its last job.
  const used = [...new Set(results.map((r) => r.lane))];
  const released = await schedule.released(t);
  const releases = used.map((lane) => released.get(lane));
  const unhealthy = releases.find((r) => r?.unhealthy !== undefined);
  if (unhealthy !== undefined) throw unhealthy.unhealthy;
  const elapsed = formatDuration(elapsedMs);
  t.attachTable('generated cases', INVENTORY_COLUMNS, inventoryRows(results), results.map((r) => INVENTORY_COLUMNS.map((c) => (c !== 'result' ? null : caseFailed(r) ? 'bad' : 'ok'))));
  const failing = results.filter(caseFailed);
  if (failing.length === 0) {
    t.attachText('summary', `${results.length} generated cases agree with the policies, in ${elapsed} over ${used.length} lab(s)${noteLine}`);
    return;
  }
  const outcomes: CaseOutcome[] = results.filter((r) => r.error === undefined).map((r) => ({ id: r.generated.id, dimensions: r.generated.dimensions, failed: caseFailed(r) }));
  const grouped = groupFailures(outcomes);
  const errors = failing.filter((r) => r.error !== undefined);
  const groupedText = formatGroupedFailures(grouped);
  const errorText = errors.length === 0 ? '' : `\n- could not run (${errors.length}): ${errors.map((r) => `${r.generated.id}: ${r.error ?? ''}`).join('; ')}`;
  t.attachText('failing cases, grouped', `${groupedText}${errorText}`);
  t.attachTable('failing cases', ['name', 'field', 'seen', 'expected', 'case'], failing.map((r) => [
    r.generated.id, 'reachability', caseVerdict(r), 'every cell as the policies say', r.generated.title,
  ]));
  for (const r of failing) {
    if (r.run === undefined || r.run.agreed) continue;
    t.attachText(`${r.generated.id}: ${r.run.where}: cells to look at`, `${r.generated.title}\n${mismatchText(r.run.observation, r.run.topology, r.run.evidence)}`);
  }
  // The labs are the suite's, so the harness does not dump them as it does a check's own
  // namespaces: the schedule dumped the labs the failing cases ran in when it released them.
  t.step('attach events, pod status and logs of the labs the failing cases ran in (captured after their last job)');
  for (const release of releases) for (const attachment of release?.dumps ?? []) t.attach(attachment);
  const lead = grouped.groups[0] !== undefined ? groupSentence(grouped.groups[0]) : `e.g. ${failing[0]?.generated.id ?? '?'}: ${failing[0] === undefined ? '' : caseVerdict(failing[0])}`;
  throw new CheckFailure(`${failing.length} of ${results.length} generated cases differ from the policies: ${lead}`, {
    details: `${groupedText}${errorText}\n(${results.length} cases in ${elapsed} over ${used.length} lab(s))${noteLine}`,
  });
}
