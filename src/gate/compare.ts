// The upgrade gate's comparison of two runs: every check is classified by its status in the
// baseline and in the current run, and a failing check's offenders are compared too, so one new
// bad node shows inside a check that already failed. Pure: the CLI reads, writes and exits.
import type { AppliedWaiver, CheckResult, CheckStatus, RunReport, WaiverUse } from '../report/model.js';
import { offendersOf } from '../report/offenders.js';

/** Version of the compare.json format (schemas/compare.schema.json). */
export const COMPARE_SCHEMA_VERSION = '1.0.0';

export type FailOn = 'new' | 'any' | 'none';
export const FAIL_ON_VALUES: readonly FailOn[] = ['new', 'any', 'none'];

export type Change =
  | 'newly-failing'
  | 'still-failing'
  | 'fixed'
  | 'newly-skipped'
  | 'new-check'
  | 'removed-check'
  | 'waived'
  | 'unchanged';

export const CHANGES: readonly Change[] = ['newly-failing', 'still-failing', 'fixed', 'newly-skipped', 'new-check', 'removed-check', 'waived', 'unchanged'];

export interface CheckComparison {
  id: string;
  title: string;
  suite: string;
  change: Change;
  /** Status in each run; null when the check is not in that run. */
  baseline: CheckStatus | null;
  current: CheckStatus | null;
  /** `new`: the upgrade broke it (fails under every --fail-on but none); `known`: it failed
   *  before too (fails only under --fail-on any); null: not a regression. */
  regression: 'new' | 'known' | null;
  /** Offender keys failing now but not in the baseline, and the other way round. */
  newOffenders: string[];
  goneOffenders: string[];
  /** The current run's message for a failing, waived or flaky check. */
  message?: string;
  waiver?: AppliedWaiver;
}

export interface RunRef {
  file: string;
  runId: string;
  startedAt: string;
  context: string;
  version: string;
}

export interface Comparison {
  schemaVersion: string;
  failOn: FailOn;
  /** `failed` when some regression counts under failOn. */
  verdict: 'passed' | 'failed';
  baseline: RunRef;
  current: RunRef;
  counts: Record<Change, number> & { total: number; regressions: number; newOffenders: number; flaky: number };
  checks: CheckComparison[];
  /** The current run's waivers and what each did, when it had any. */
  waivers?: WaiverUse[];
}

/** Failing in the sense of "was broken": a waived check failed too, it was only accepted. */
const isFailing = (status: CheckStatus | undefined): boolean => status === 'failed' || status === 'waived';

export function countsUnderFailOn(check: Pick<CheckComparison, 'regression'>, failOn: FailOn): boolean {
  if (failOn === 'none' || check.regression === null) return false;
  return failOn === 'any' || check.regression === 'new';
}

interface Located {
  suite: string;
  check: CheckResult;
}

function checksById(report: RunReport): Map<string, Located> {
  const map = new Map<string, Located>();
  for (const suite of report.suites) for (const check of suite.checks) map.set(check.id, { suite: suite.name, check });
  return map;
}

function classify(base: CheckResult | undefined, cur: CheckResult | undefined): Change {
  if (base === undefined) return 'new-check';
  if (cur === undefined) return 'removed-check';
  if (cur.status === 'waived') return 'waived';
  if (cur.status === 'failed') return isFailing(base.status) ? 'still-failing' : 'newly-failing';
  if (cur.status === 'skipped') return base.status === 'skipped' ? 'unchanged' : 'newly-skipped';
  return isFailing(base.status) ? 'fixed' : 'unchanged';
}

/** Offender keys of a failing check, without those a waiver accepted. */
function failingOffenders(check: CheckResult | undefined, excludeWaived: boolean): Set<string> {
  if (check === undefined || !isFailing(check.status)) return new Set();
  const waived = excludeWaived && check.waiver?.effect !== 'expired' ? new Set(check.waiver?.offenders ?? []) : new Set<string>();
  if (excludeWaived && check.status === 'waived') return new Set();
  return new Set(offendersOf(check).map((o) => o.key).filter((k) => !waived.has(k)));
}

function compareCheck(id: string, base: Located | undefined, cur: Located | undefined): CheckComparison {
  const change = classify(base?.check, cur?.check);
  const before = failingOffenders(base?.check, false);
  const after = failingOffenders(cur?.check, true);
  const newOffenders = [...after].filter((k) => !before.has(k));
  const goneOffenders = [...before].filter((k) => !after.has(k));
  let regression: CheckComparison['regression'] = null;
  // A check that proved something before and now proves nothing (skipped, or gone) is lost
  // coverage: the gate must not pass because the change stopped a check from running.
  const provedBefore = base !== undefined && ['passed', 'warn', 'flaky'].includes(base.check.status);
  if (change === 'newly-failing' || (change === 'new-check' && cur?.check.status === 'failed')) regression = 'new';
  else if ((change === 'newly-skipped' || change === 'removed-check') && provedBefore) regression = 'new';
  else if (change === 'still-failing') regression = newOffenders.length > 0 ? 'new' : 'known';
  const source = cur ?? base;
  const entry: CheckComparison = {
    id,
    title: source?.check.title ?? id,
    suite: source?.suite ?? id.split('/')[0] ?? '',
    change,
    baseline: base?.check.status ?? null,
    current: cur?.check.status ?? null,
    regression,
    newOffenders,
    goneOffenders,
  };
  const status = cur?.check.status;
  if (cur?.check.message !== undefined && status !== undefined && ['failed', 'waived', 'flaky', 'warn', 'skipped'].includes(status)) {
    entry.message = cur.check.message;
  }
  if (cur?.check.waiver !== undefined) entry.waiver = cur.check.waiver;
  return entry;
}

function runRef(report: RunReport, file: string): RunRef {
  const { metadata } = report;
  return { file, runId: metadata.runId, startedAt: metadata.startedAt, context: metadata.cluster.context, version: metadata.cluster.version };
}

/** Compares `current` with `baseline`. Checks keep the current run's order; removed checks follow. */
export function compareRuns(
  baseline: { report: RunReport; file: string },
  current: { report: RunReport; file: string },
  failOn: FailOn,
): Comparison {
  const before = checksById(baseline.report);
  const after = checksById(current.report);
  const ids = [...after.keys(), ...[...before.keys()].filter((id) => !after.has(id))];
  const checks = ids.map((id) => compareCheck(id, before.get(id), after.get(id)));
  const counts = Object.fromEntries(CHANGES.map((c) => [c, 0])) as Comparison['counts'];
  counts.total = checks.length;
  counts.regressions = 0;
  counts.newOffenders = 0;
  counts.flaky = 0;
  for (const check of checks) {
    counts[check.change] += 1;
    if (countsUnderFailOn(check, failOn)) counts.regressions += 1;
    counts.newOffenders += check.newOffenders.length;
    if (check.current === 'flaky') counts.flaky += 1;
  }
  const comparison: Comparison = {
    schemaVersion: COMPARE_SCHEMA_VERSION,
    failOn,
    // A current run in which no check ran proves nothing, so it never passes the gate.
    verdict: counts.regressions > 0 || (failOn !== 'none' && current.report.summary.verdict === 'unknown') ? 'failed' : 'passed',
    baseline: runRef(baseline.report, baseline.file),
    current: runRef(current.report, current.file),
    counts,
    checks,
  };
  if (current.report.waivers !== undefined) comparison.waivers = current.report.waivers.entries;
  return comparison;
}
