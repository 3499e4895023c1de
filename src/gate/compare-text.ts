// The comparison as terminal text: one line per check that changed or still fails, then the
// counts and the gate's decision.
import type { Change, CheckComparison, Comparison } from './compare.js';
import { countsUnderFailOn } from './compare.js';

export const CHANGE_LABEL: Readonly<Record<Change, string>> = {
  'newly-failing': 'newly failing',
  'still-failing': 'still failing',
  fixed: 'fixed',
  'newly-skipped': 'newly skipped',
  'new-check': 'new check',
  'removed-check': 'removed check',
  waived: 'waived',
  unchanged: 'unchanged',
};

export function waiverNote(waiver: NonNullable<CheckComparison['waiver']>): string {
  const who = `${waiver.check} (owner ${waiver.owner}, until ${waiver.expires})`;
  if (waiver.effect === 'expired') return `waiver ${waiver.check} expired on ${waiver.expires}`;
  if (waiver.effect === 'partial') return `${waiver.offenders?.length ?? 0} offender(s) waived by ${who}`;
  return `waived by ${who}`;
}

/** Notes for one check: offender changes, flakiness, waiver, and whether it fails the gate. */
export function comparisonNotes(check: CheckComparison, comparison: Pick<Comparison, 'failOn'>): string[] {
  const notes: string[] = [];
  if (check.newOffenders.length > 0) notes.push(`+${check.newOffenders.length} offender(s): ${check.newOffenders.join('; ')}`);
  if (check.goneOffenders.length > 0) notes.push(`-${check.goneOffenders.length} offender(s): ${check.goneOffenders.join('; ')}`);
  if (check.current === 'flaky') notes.push('flaky: passed only on a retry');
  if (check.waiver !== undefined) notes.push(waiverNote(check.waiver));
  if (countsUnderFailOn(check, comparison.failOn)) notes.push('REGRESSION');
  return notes;
}

export function renderComparisonText(comparison: Comparison): string {
  const shown = comparison.checks.filter((c) => c.change !== 'unchanged' || c.current === 'flaky');
  const rows = shown.map((c) => [CHANGE_LABEL[c.change], c.id, c.baseline ?? '-', c.current ?? '-', comparisonNotes(c, comparison).join('; ')]);
  const header = ['CHANGE', 'CHECK', 'BASELINE', 'CURRENT', 'NOTES'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  const { baseline, current, counts } = comparison;
  const lines = [`compare: baseline run ${baseline.runId} (${baseline.version}, ${baseline.file}) -> current run ${current.runId} (${current.version}, ${current.file})`];
  if (rows.length > 0) lines.push(line(header), ...rows.map(line));
  else lines.push('no check changed');
  const parts = (Object.keys(CHANGE_LABEL) as Change[]).filter((c) => counts[c] > 0).map((c) => `${counts[c]} ${CHANGE_LABEL[c]}`);
  if (counts.flaky > 0) parts.push(`${counts.flaky} flaky`);
  lines.push(`${counts.total} checks: ${parts.join(', ') || 'none'}`);
  lines.push(comparison.verdict === 'failed'
    ? `gate FAILED: ${counts.regressions} regression(s) under --fail-on ${comparison.failOn}`
    : `gate passed: no regression under --fail-on ${comparison.failOn}`);
  return `${lines.join('\n')}\n`;
}
