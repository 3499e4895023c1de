import { expect } from 'chai';
import { compareRuns } from '../../../src/gate/compare.js';
import { offendersOf } from '../../../src/report/offenders.js';
import { renderComparisonText } from '../../../src/gate/compare-text.js';
import { renderComparisonHtml } from '../../../src/gate/compare-html.js';
import { baselineReport, currentReport, findCheck } from './gate-fixtures.js';

const run = (failOn: 'new' | 'any' | 'none') =>
  compareRuns({ report: baselineReport(), file: 'before.json' }, { report: currentReport(), file: 'after.json' }, failOn);

describe('compareRuns: the upgrade gate', () => {
  it('classifies every check of both runs by how its status changed', () => {
    const changes = Object.fromEntries(run('new').checks.map((c) => [c.id, c.change]));
    expect(changes).to.deep.equal({
      'conformance/api-version': 'newly-failing',
      'conformance/nodes-ready': 'unchanged',
      'conformance/pod-exec-logs': 'newly-skipped',
      'conformance/dns-service': 'still-failing',
      'conformance/emptydir-restart': 'unchanged',
      'conformance/node-kubelet-config': 'still-failing',
      'conformance/service-endpoints': 'waived',
      'conformance/job-completes': 'unchanged',
      'netpol/default-deny-ingress': 'fixed',
      'netpol/allow-same-namespace': 'unchanged',
      'netpol/new-check': 'new-check',
      'netpol/egress-dns': 'removed-check',
    });
  });

  it('shows one new bad node inside a check that already failed, and the one that recovered', () => {
    const kubelet = run('new').checks.find((c) => c.id === 'conformance/node-kubelet-config');
    expect(kubelet?.newOffenders).to.deep.equal(['node=kind-worker3, field=readOnlyPort']);
    expect(kubelet?.goneOffenders).to.deep.equal(['node=kind-worker2, field=authentication.anonymous.enabled']);
    expect(kubelet?.regression).to.equal('new');
  });

  it('--fail-on new counts newly failing checks, new offenders, failing new checks and lost coverage, not known failures', () => {
    const comparison = run('new');
    const regressions = comparison.checks.filter((c) => c.regression === 'new').map((c) => c.id);
    // pod-exec-logs passed before and is skipped now, egress-dns passed before and is gone:
    // a gate that passed because the change stopped checks from running would prove nothing.
    expect(regressions).to.deep.equal(['conformance/api-version', 'conformance/pod-exec-logs', 'conformance/node-kubelet-config', 'netpol/new-check', 'netpol/egress-dns']);
    expect(comparison.counts.regressions).to.equal(5);
    expect(comparison.verdict).to.equal('failed');
  });

  it('--fail-on any also counts what still fails; --fail-on none never fails', () => {
    expect(run('any').counts.regressions).to.equal(6);
    expect(run('none')).to.deep.include({ verdict: 'passed' });
    expect(run('none').counts.regressions).to.equal(0);
  });

  it('GIVEN a current run in which no check ran THEN the gate fails under new and any, not under none', () => {
    const empty = baselineReport();
    empty.suites = [];
    empty.summary = { ...empty.summary, total: 0, passed: 0, failed: 0, skipped: 0, warn: 0, verdict: 'unknown' };
    for (const failOn of ['new', 'any'] as const) expect(compareRuns({ report: baselineReport(), file: 'a' }, { report: empty, file: 'b' }, failOn).verdict, failOn).to.equal('failed');
    expect(compareRuns({ report: baselineReport(), file: 'a' }, { report: empty, file: 'b' }, 'none').verdict).to.equal('passed');
  });

  it('passes when the current run only repeats the baseline failures under --fail-on new', () => {
    const comparison = compareRuns({ report: baselineReport(), file: 'a' }, { report: baselineReport(), file: 'b' }, 'new');
    expect(comparison.verdict).to.equal('passed');
    expect(comparison.counts['still-failing']).to.equal(3);
  });

  it('marks a flaky check in the summary table', () => {
    expect(run('new').counts.flaky).to.equal(1);
    expect(renderComparisonText(run('new'))).to.match(/unchanged\s+conformance\/job-completes\s+flaky\s+flaky\s+flaky: passed only on a retry/);
  });

  it('prints changed checks, counts and the decision', () => {
    const text = renderComparisonText(run('new'));
    expect(text).to.match(/newly failing\s+conformance\/api-version\s+passed\s+failed\s+REGRESSION/);
    expect(text).to.include('+1 offender(s): node=kind-worker3, field=readOnlyPort');
    expect(text).not.to.match(/conformance\/nodes-ready/);
    expect(text).to.include('gate FAILED: 5 regression(s) under --fail-on new');
  });
});

describe('renderComparisonHtml', () => {
  it('escapes IDs, messages and offenders that carry markup', () => {
    const current = currentReport();
    Object.assign(findCheck(current, 'conformance/api-version'), { message: '<img src=x onerror=alert(1)>' });
    const html = renderComparisonHtml(compareRuns({ report: baselineReport(), file: 'a' }, { report: current, file: 'b' }, 'new'));
    expect(html).not.to.include('<img');
    expect(html).to.include('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).to.include('<tr class="change-newly-failing regression" data-id="conformance/api-version">');
  });
});

describe('offendersOf', () => {
  it('keys rows of tables with object columns by those columns and field, not by seen', () => {
    const check = findCheck(baselineReport(), 'conformance/node-kubelet-config');
    expect(offendersOf(check).map((o) => o.key)).to.deep.equal([
      'node=kind-worker, field=readOnlyPort',
      'node=kind-worker2, field=authentication.anonymous.enabled',
    ]);
  });

  it('GIVEN a table with marks THEN only rows with a bad cell are offenders', () => {
    const check = { attachments: [{ kind: 'table' as const, title: 'nodes', columns: ['node', 'field', 'seen'], rows: [['a', 'Ready', 'True'], ['b', 'Ready', 'False']], marks: [[null, null, 'ok' as const], [null, null, 'bad' as const]] }] };
    expect(offendersOf(check).map((o) => o.key)).to.deep.equal(['node=b, field=Ready']);
  });

  it('ignores an inventory of every object (no field, seen or expected column)', () => {
    const check = { attachments: [{ kind: 'table' as const, title: 'nodes', columns: ['node', 'ready', 'kubelet'], rows: [['a', 'True', 'v1.36.3']] }] };
    expect(offendersOf(check)).to.deep.equal([]);
  });

  it("reads the check engine's offender table, with namespace, name and node taken from its object cell", () => {
    const check = { attachments: [{ kind: 'table' as const, title: 'cis/kubelet-anonymous-auth: offenders',
      columns: ['object', 'field', 'value seen', 'value expected', 'severity', 'why'],
      rows: [['kubelet-config (node ip-10-0-1-5)', 'authentication.anonymous.enabled', 'true', 'false', 'fail', ''],
        ['kube-system/coredns', 'spec.replicas', '1', '>= 2', 'fail', '']] }] };
    const offenders = offendersOf(check);
    expect(offenders.map((o) => o.key)).to.deep.equal([
      'object=kubelet-config (node ip-10-0-1-5), field=authentication.anonymous.enabled',
      'object=kube-system/coredns, field=spec.replicas',
    ]);
    expect(offenders[0]?.cells).to.include({ name: 'kubelet-config', node: 'ip-10-0-1-5' });
    expect(offenders[1]?.cells).to.include({ namespace: 'kube-system', name: 'coredns' });
  });

  it('ignores tables without object columns, such as connectivity truth tables', () => {
    expect(offendersOf(findCheck(baselineReport(), 'netpol/default-deny-ingress'))).to.deep.equal([]);
  });
});
