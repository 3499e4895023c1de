import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { PlainRenderer, formatClock, formatResultLines, formatStatusLine, formatSummary, initialState, reduce } from '../../../src/cli/progress.js';
import type { CheckResult } from '../../../src/report/model.js';

const result = (status: CheckResult['status'], extra: Partial<CheckResult> = {}): CheckResult => ({ id: 'conformance/dns-service', title: 'Cluster DNS resolves a Service name', status, durationMs: 1234, tags: [], attachments: [], ...extra });

describe('progress', () => {
  it('counts suites and checks done of total, and shows what runs now with its step and age', () => {
    const state = initialState(0);
    reduce(state, { type: 'run-start', suites: ['conformance'], totalChecks: 9 }, 0);
    reduce(state, { type: 'check-start', suite: 'conformance', id: 'conformance/api-version', title: 't' }, 0);
    reduce(state, { type: 'check-end', suite: 'conformance', result: { ...result('passed'), id: 'conformance/api-version' } }, 500);
    reduce(state, { type: 'check-start', suite: 'conformance', id: 'conformance/dns-service', title: 't' }, 1000);
    reduce(state, { type: 'step', suite: 'conformance', id: 'conformance/dns-service', text: 'resolve the Service name' }, 1500);
    expect(formatStatusLine(state, 13_500)).to.equal('[1/9 checks · 0/1 suites · 00:13] conformance/dns-service: resolve the Service name (12.5s)');
    reduce(state, { type: 'suite-end', suite: 'conformance' }, 14_000);
    expect(formatStatusLine(state, 65_000)).to.equal('[1/9 checks · 1/1 suites · 01:05]');
  });

  it('adds up run-start events of parallel children', () => {
    const state = initialState(0);
    reduce(state, { type: 'run-start', suites: ['a'], totalChecks: 3 }, 0);
    reduce(state, { type: 'run-start', suites: ['b'], totalChecks: 4 }, 0);
    expect([state.suitesTotal, state.checksTotal]).to.deep.equal([2, 7]);
  });

  it('cuts the live line to the terminal width', () => {
    const state = initialState(0);
    reduce(state, { type: 'check-start', suite: 's', id: 's/x', title: 't' }, 0);
    reduce(state, { type: 'step', suite: 's', id: 's/x', text: 'a'.repeat(200) }, 0);
    expect(formatStatusLine(state, 0, 50)).to.have.length(50);
  });

  it('prints one line per result and the reason for anything not passed', () => {
    expect(formatResultLines(result('passed'))).to.deep.equal(['  PASS  conformance/dns-service  Cluster DNS resolves a Service name (1.2s)']);
    expect(formatResultLines(result('failed', { message: 'no answer', remediation: 'check CoreDNS' }))).to.deep.equal([
      '  FAIL  conformance/dns-service  Cluster DNS resolves a Service name (1.2s)',
      '        error: no answer',
      '        remediation: check CoreDNS',
    ]);
    expect(formatResultLines(result('skipped', { message: 'no StorageClass' }))[1]).to.equal('        reason: no StorageClass');
    expect(formatResultLines(result('passed'), true)[0]).to.include('\u001b[32mPASS\u001b[0m');
  });

  it('formats the clock and the summary', () => {
    expect(formatClock(0)).to.equal('00:00');
    expect(formatClock(3_725_000)).to.equal('62:05');
    expect(formatSummary({ passed: 8, failed: 1, skipped: 0, warn: 0 }, 21_300)).to.equal('8 passed, 1 failed, 0 warned, 0 skipped in 21.3s');
  });

  it('GIVEN a non-TTY THEN plain lines name suites, checks, steps, results and notes', () => {
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (c: Buffer) => chunks.push(c.toString()));
    const r = new PlainRenderer(out);
    r.emit({ type: 'suite-start', suite: 'conformance', title: 'Conformance smoke test', totalChecks: 9 });
    r.emit({ type: 'check-start', suite: 'conformance', id: 'conformance/dns-service', title: 'Cluster DNS resolves a Service name' });
    r.emit({ type: 'step', suite: 'conformance', id: 'conformance/dns-service', text: 'resolve' });
    r.emit({ type: 'check-end', suite: 'conformance', result: result('passed') });
    r.emit({ type: 'note', text: 'kept namespace ka-x' });
    expect(chunks.join('')).to.equal(
      [
        'suite conformance: Conformance smoke test (9 checks)',
        '  ....  conformance/dns-service  Cluster DNS resolves a Service name',
        '        - resolve',
        '  PASS  conformance/dns-service  Cluster DNS resolves a Service name (1.2s)',
        'note: kept namespace ka-x',
        '',
      ].join('\n'),
    );
  });
});
