import { expect } from 'chai';
import { buildReport, verdictExit } from '../../../src/cli/run.js';
import { formatListing } from '../../../src/cli/list.js';
import { mergeConfig } from '../../../src/config/resolve.js';
import { mergeSuiteResults } from '../../../src/harness/collector.js';
import type { CheckStatus, SuiteResult } from '../../../src/report/model.js';

const cluster = { context: 'c', server: 'https://s', version: 'v1.36.3', platform: 'testbed' as const, nodeCount: 1 };
const suite = (statuses: Array<CheckStatus>): SuiteResult => ({
  name: 'conformance',
  title: 'Conformance',
  durationMs: 10,
  checks: statuses.map((status, i) => ({ id: `conformance/c${i}`, title: 't', status, durationMs: 1, tags: [], attachments: [] })),
});

function report(suites: SuiteResult[], grep?: string) {
  return buildReport({ runId: 'r1', startedAt: new Date(0), finishedAt: new Date(2500), cluster, config: mergeConfig({ grep }, {}, '/'), suiteNames: ['conformance'], suites });
}

describe('run verdict and report', () => {
  it('builds run metadata from the run', () => {
    const r = report([suite(['passed'])]);
    expect(r.metadata).to.deep.include({ runId: 'r1', startedAt: '1970-01-01T00:00:00.000Z', finishedAt: '1970-01-01T00:00:02.500Z', durationMs: 2500, cluster });
    expect(r.metadata.options).to.deep.equal({ suites: ['conformance'], parallel: 1, timeoutScale: 1 });
    expect(r.metadata.tool.name).to.equal('kube-assay');
  });

  it('exits 0 when everything passed or warned, 1 when anything failed', () => {
    expect(verdictExit(report([suite(['passed', 'warn', 'skipped'])]))).to.deep.equal({ code: 0 });
    expect(verdictExit(report([suite(['passed', 'failed'])]))).to.deep.equal({ code: 1 });
  });

  it('GIVEN zero results THEN the run is unknown: exit 1 with "no checks ran"', () => {
    const none = verdictExit(report([]));
    expect(none.code).to.equal(1);
    expect(none.sentence).to.equal('no checks ran: the selected suites declare no checks, so the run proves nothing (exit 1).');
    expect(verdictExit(report([], 'nomatch')).sentence).to.include('--grep "nomatch" matched no check');
    expect(verdictExit(report([suite(['skipped', 'skipped'])])).sentence).to.include('all 2 checks were skipped');
    // Waived failures are accepted, not proof: a run of only those and skips still proves nothing.
    expect(verdictExit(report([suite(['waived', 'skipped'])]))).to.deep.equal({
      code: 1,
      sentence: 'no checks ran: none of the 2 checks passed (1 failed but waived, 1 skipped), so the run proves nothing (exit 1).',
    });
  });

  it('merges the parts of a parallel run by suite', () => {
    const merged = mergeSuiteResults([[suite(['passed'])], [{ ...suite(['failed']), durationMs: 30 }], [{ ...suite(['passed']), name: 'netpol' }]]);
    expect(merged.map((s) => [s.name, s.checks.length, s.durationMs])).to.deep.equal([
      ['conformance', 2, 30],
      ['netpol', 1, 10],
    ]);
  });

  it('lists suites with check IDs, titles and tags', () => {
    const lines = formatListing([{ name: 'conformance', title: 'Conformance smoke test' }], [
      { id: 'conformance/api-version', title: 'API answers', suite: 'conformance', tags: ['control-plane'], namespace: false, podSecurity: 'baseline', timeout: 'check' },
      { id: 'conformance/dns', title: 'DNS', suite: 'conformance', tags: [], namespace: true, podSecurity: 'baseline', timeout: 'check' },
    ]);
    expect(lines).to.deep.equal([
      'conformance: Conformance smoke test (2 checks)',
      '  conformance/api-version  API answers  [control-plane]',
      '  conformance/dns          DNS',
    ]);
  });
});
