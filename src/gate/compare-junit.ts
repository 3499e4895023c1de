// compare-junit.xml: the comparison for CI test views. Every compared check is a testcase;
// each regression that counts under --fail-on is a failing one, a removed check is skipped.
import { createRequire } from 'node:module';
import type { Builder } from 'junit-report-builder';
import { toSeconds } from '../report/format.js';
import { cdataSafe } from '../report/junit.js';
import type { Comparison } from './compare.js';
import { countsUnderFailOn } from './compare.js';
import { CHANGE_LABEL, comparisonNotes } from './compare-text.js';

// See src/report/junit.ts: the CommonJS export is the real builder instance.
const sharedBuilder = createRequire(import.meta.url)('junit-report-builder') as Builder;

export function renderComparisonJUnit(comparison: Comparison, durations: ReadonlyMap<string, number> = new Map()): string {
  const builder = sharedBuilder.newBuilder().name('kube-assay compare');
  const bySuite = new Map<string, Comparison['checks']>();
  for (const check of comparison.checks) bySuite.set(check.suite, [...(bySuite.get(check.suite) ?? []), check]);
  for (const [suite, checks] of bySuite) {
    const testSuite = builder.testSuite().name(`compare ${suite}`).time(0);
    testSuite.property('kube-assay.baseline.run-id', comparison.baseline.runId);
    testSuite.property('kube-assay.current.run-id', comparison.current.runId);
    testSuite.property('kube-assay.fail-on', comparison.failOn);
    for (const check of checks) {
      const testCase = testSuite.testCase()
        .className(`kube-assay.compare.${suite}`)
        .name(`${check.id} ${check.title}`)
        .time(toSeconds(durations.get(check.id) ?? 0));
      const notes = comparisonNotes(check, comparison);
      const summary = `${CHANGE_LABEL[check.change]}: ${check.baseline ?? 'absent'} -> ${check.current ?? 'absent'}`;
      if (countsUnderFailOn(check, comparison.failOn)) {
        testCase.failure(`${summary}${check.message ? `: ${check.message.split('\n', 1)[0] ?? ''}` : ''}`.slice(0, 300), `regression-${check.change}`);
      } else if (check.change === 'removed-check' || check.current === 'waived' || check.current === 'failed' || check.change === 'newly-skipped') {
        // Not a regression under --fail-on, but not a pass either: a known or accepted failure, or
        // a check that did not run, shows as skipped so no viewer counts it as green.
        testCase.skipped();
      }
      const out = [summary, ...notes, check.message ?? ''].filter((s) => s !== '').join('\n');
      testCase.standardOutput(cdataSafe(out));
    }
  }
  return `${builder.build()}\n`;
}
