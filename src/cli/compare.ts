// `kube-assay compare BASELINE CURRENT` and the end of `kube-assay run --baseline`: read both
// reports, apply the waivers to the current one, classify, print, write compare.{json,html} and
// compare-junit.xml, and turn the gate's verdict into the exit code.
import { ensureWritableDir } from './writable-dir.js';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { RunReport } from '../report/model.js';
import { compareRuns, FAIL_ON_VALUES, type Comparison, type FailOn } from '../gate/compare.js';
import { renderComparisonText } from '../gate/compare-text.js';
import { writeComparison } from '../gate/compare-write.js';
import { loadReportFile } from '../gate/load-report.js';
import { applyWaivers, waiverNotes } from '../gate/waivers.js';
import { loadWaivers } from '../gate/waivers-file.js';
import { ExitCode } from './exit-codes.js';

export interface CompareFlags {
  failOn?: string;
  out?: string;
  waivers?: string;
  debug?: boolean;
}

export function parseFailOn(value: string | undefined): FailOn {
  if (value === undefined) return 'new';
  const found = FAIL_ON_VALUES.find((v) => v === value);
  if (found === undefined) throw new UsageError(`--fail-on "${value}" is not one of ${FAIL_ON_VALUES.join(', ')}: pass new (regressions only), any (also known failures) or none.`);
  return found;
}

/** Compares, prints the table, writes the three files into `dir` and returns the exit code. */
export async function gate(baseline: { report: RunReport; file: string }, current: { report: RunReport; file: string }, failOn: FailOn, dir: string, out: NodeJS.WritableStream): Promise<{ code: number; comparison: Comparison }> {
  const comparison = compareRuns(baseline, current, failOn);
  const durations = new Map(current.report.suites.flatMap((s) => s.checks.map((c) => [c.id, c.durationMs] as const)));
  out.write(renderComparisonText(comparison));
  const written = await writeComparison(comparison, dir, durations);
  out.write(`compare reports: ${written.json}, ${written.html}, ${written.junit}\n`);
  return { code: comparison.verdict === 'failed' ? ExitCode.Failed : ExitCode.Passed, comparison };
}

export async function compareCommand(baselineFile: string, currentFile: string, flags: CompareFlags, out: NodeJS.WritableStream, now: Date = new Date()): Promise<number> {
  // Before any work: an unwritable --out is the user's to fix, not an internal error.
  ensureWritableDir(resolve(flags.out ?? 'reports'), '--out');
  const failOn = parseFailOn(flags.failOn);
  const baseline = loadReportFile(baselineFile, 'baseline');
  let current = loadReportFile(currentFile, 'current');
  if (flags.waivers !== undefined) {
    current = applyWaivers(current, loadWaivers(flags.waivers), now);
    for (const note of waiverNotes(current)) out.write(`note: ${note}\n`);
  }
  return (await gate({ report: baseline, file: baselineFile }, { report: current, file: currentFile }, failOn, flags.out ?? 'reports', out)).code;
}
