// The generated cases (generator.ts) as ONE check, netpol/generated-cases: each case runs its
// steps in a lane (its own namespaces x and y with pods a and b), several lanes at once, since
// policies in one lane's namespaces cannot change traffic between another lane's pods. Every
// case keeps its own stable ID: the failure names the failing cases grouped by what they have
// in common, lists them as offender rows (so a waiver can accept exactly the known ones while
// any other failing case still fails the check), and attaches each one's cells to look at.
import { errorSentence } from '../cluster/api-errors.js';
import type { Deadline } from '../cluster/wait.js';
import type { CheckContext } from '../harness/context.js';
import { CheckFailure } from '../harness/errors.js';
import { formatDuration } from '../report/format.js';
import { formatGroupedFailures, groupFailures, groupSentence, type CaseOutcome } from './case-groups.js';
import { assertLabHealthy, enforcementFinding, type NetpolLab } from './cluster-lab.js';
import { mismatchText, policyEffectDeadline, runScenario, scenarioTopology, type ScenarioRun } from './cluster-scenario.js';
import type { GeneratedCase } from './generator.js';

export const GENERATED_CASES_ID = 'netpol/generated-cases';

export interface CaseResult {
  generated: GeneratedCase;
  lane: number;
  durationMs: number;
  /** How the steps went; undefined when the case could not run (error). */
  run?: ScenarioRun;
  /** Why the case could not be judged (an API error, a pod that did not start). */
  error?: string;
}

export function caseFailed(result: CaseResult): boolean {
  return result.error !== undefined || result.run?.agreed !== true;
}

/** Runs `cases` over `lanes`, each lane taking the next case when it is free. */
export async function runGeneratedCases(
  t: CheckContext, lanes: readonly NetpolLab[], cases: readonly GeneratedCase[], deadline: Deadline,
): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  let next = 0;
  let done = 0;
  const report = Math.max(1, Math.ceil(cases.length / 10));
  await Promise.all(lanes.map(async (lab, lane) => {
    for (;;) {
      const index = next++;
      const generated = cases[index];
      if (generated === undefined) return;
      const started = Date.now();
      const topology = scenarioTopology(lab.topology, generated.topology);
      let result: CaseResult;
      try {
        const run = await runScenario(t, lab, generated, topology, { log: () => undefined, deadline });
        result = { generated, lane, durationMs: Date.now() - started, run };
      } catch (err) {
        if (t.signal.aborted) throw err;
        result = { generated, lane, durationMs: Date.now() - started, error: errorSentence(err) };
      }
      results[index] = result;
      done += 1;
      if (caseFailed(result)) t.step(`case ${generated.id} failed: ${result.error ?? (result.run?.agreed === false ? result.run.where : '?')}`);
      if (done % report === 0 || done === cases.length) t.step(`${done}/${cases.length} cases done`);
    }
  }));
  return results;
}

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

/** The check body of netpol/generated-cases. */
export async function checkGeneratedCases(t: CheckContext, createLanes: () => Promise<NetpolLab[]>, cases: readonly GeneratedCase[]): Promise<void> {
  const enforcement = enforcementFinding.of(t).current;
  if (enforcement.state === 'not-enforced') {
    t.skip(`NetworkPolicy is not enforced in this cluster (see netpol/enforcement), so none of the ${cases.length} generated cases can be tested`);
  }
  const lanes = await createLanes();
  if (lanes.length === 0) throw new Error('no lane to run the generated cases in');
  // The lanes are fresh namespaces of this check (removed with it); runScenario cleans up after each case.
  await Promise.all(lanes.map((lab) => assertLabHealthy(t, lab)));
  const started = Date.now();
  t.step(`run ${cases.length} generated cases in ${lanes.length} lane(s)`);
  const results = await runGeneratedCases(t, lanes, cases, policyEffectDeadline(t));
  const elapsed = formatDuration(Date.now() - started);
  t.attachTable('generated cases', INVENTORY_COLUMNS, inventoryRows(results), results.map((r) => INVENTORY_COLUMNS.map((c) => (c !== 'result' ? null : caseFailed(r) ? 'bad' : 'ok'))));
  const failing = results.filter(caseFailed);
  if (failing.length === 0) {
    t.attachText('summary', `${results.length} generated cases agree with the policies, in ${elapsed} over ${lanes.length} lane(s)`);
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
  const lead = grouped.groups[0] !== undefined ? groupSentence(grouped.groups[0]) : `e.g. ${failing[0]?.generated.id ?? '?'}: ${failing[0] === undefined ? '' : caseVerdict(failing[0])}`;
  throw new CheckFailure(`${failing.length} of ${results.length} generated cases differ from the policies: ${lead}`, {
    details: `${groupedText}${errorText}\n(${results.length} cases in ${elapsed} over ${lanes.length} lane(s))`,
  });
}
