import { expect } from 'chai';
import { summarize, type SuiteResult, type CheckResult } from '../../../src/report/model.js';

function check(id: string, status: CheckResult['status']): CheckResult {
  return { id, title: id, status, durationMs: 1, tags: [], attachments: [] };
}

describe('result model summary', () => {
  it('fails the run when any check failed', () => {
    const suites: SuiteResult[] = [{ name: 's', title: 's', durationMs: 2, checks: [check('a', 'passed'), check('b', 'failed')] }];
    expect(summarize(suites)).to.include({ total: 2, passed: 1, failed: 1, verdict: 'failed' });
  });

  it('calls a run with zero results unknown, never passed', () => {
    expect(summarize([]).verdict).to.equal('unknown');
    const onlySkipped: SuiteResult[] = [{ name: 's', title: 's', durationMs: 0, checks: [check('a', 'skipped')] }];
    expect(summarize(onlySkipped)).to.include({ skipped: 1, verdict: 'unknown' });
  });

  it('passes a run whose checks passed or warned', () => {
    const suites: SuiteResult[] = [{ name: 's', title: 's', durationMs: 2, checks: [check('a', 'passed'), check('b', 'warn')] }];
    expect(summarize(suites)).to.include({ passed: 1, warn: 1, verdict: 'passed' });
  });
});
