import { expect } from 'chai';
import { networkPolicy } from '../../../src/netpol/policies.js';
import { planProbes, probeKey, SimulatedProbeRunner, type Probe, type ProbeOutcome } from '../../../src/netpol/probe.js';
import { buildTopology, withIPs } from '../../../src/netpol/topology.js';
import {
  cellsNeedingAttention, compareReachability, comparisonTables, expectedTables, reachabilityAttachments, toTableAttachment,
} from '../../../src/netpol/truth-table.js';
import { renderTableText } from '../../../src/report/plain-text.js';

const probe = (from: string, to: string, port = 80): Probe => ({ from, to, port, protocol: 'TCP' });
const outcomes = (entries: Array<[Probe, ProbeOutcome]>) => new Map(entries.map(([p, o]) => [probeKey(p), o]));

describe('netpol truth tables and comparison', () => {
  const probes = [probe('x/a', 'x/a'), probe('x/a', 'x/b'), probe('x/b', 'x/a'), probe('x/b', 'x/b')];

  it('GIVEN expected and observed THEN each cell is agree, differ, probe-failed, unknown or ignored (loopback), and counted', () => {
    const expected = outcomes([[probes[0] as Probe, 'blocked'], [probes[1] as Probe, 'allowed'], [probes[2] as Probe, 'blocked'], [probes[3] as Probe, 'allowed']]);
    const observed = outcomes([[probes[0] as Probe, 'allowed'], [probes[1] as Probe, 'allowed'], [probes[2] as Probe, 'allowed'], [probes[3] as Probe, 'probe-failed']]);
    const comparison = compareReachability(probes, expected, observed);
    expect(comparison.cells.map((c) => c.status)).to.deep.equal(['ignored', 'agree', 'differ', 'ignored']);
    expect(comparison.counts).to.deep.equal({ total: 4, agree: 1, differ: 1, probeFailed: 0, unknown: 0, ignored: 2 });
    expect(comparison.verdict).to.equal('failed');
    const strict = compareReachability(probes, expected, observed, { ignoreLoopback: false });
    expect(strict.cells.map((c) => c.status)).to.deep.equal(['differ', 'agree', 'differ', 'probe-failed']);
  });

  it('GIVEN a probe-failed or missing observation and no difference THEN the verdict is unknown, never passed', () => {
    const expected = outcomes([[probes[1] as Probe, 'allowed'], [probes[2] as Probe, 'blocked']]);
    const failed = compareReachability(probes.slice(1, 3), expected, outcomes([[probes[1] as Probe, 'allowed'], [probes[2] as Probe, 'probe-failed']]));
    expect(failed.counts.probeFailed).to.equal(1);
    expect(failed.verdict).to.equal('unknown');
    const missing = compareReachability(probes.slice(1, 3), expected, outcomes([[probes[1] as Probe, 'allowed']]));
    expect(missing.cells[1]?.observed).to.equal('unknown');
    expect(missing.verdict).to.equal('unknown');
    expect(compareReachability([], expected, expected).verdict).to.equal('unknown');
    const good = compareReachability(probes.slice(1, 3), expected, expected);
    expect(good.verdict).to.equal('passed');
  });

  it('GIVEN outcomes THEN the table as report text is aligned, rows = from, columns = to, with blanks for unprobed pairs', () => {
    const ps = [probe('x/a', 'x/a'), probe('x/a', 'cloud-metadata'), probe('x/b', 'x/a')];
    const o = outcomes([[ps[0] as Probe, 'allowed'], [ps[1] as Probe, 'blocked'], [ps[2] as Probe, 'probe-failed']]);
    const [table] = expectedTables(compareReachability(ps, o, o));
    if (!table) throw new Error('one table expected');
    expect(table.title).to.equal('expected 80/TCP');
    expect(renderTableText(toTableAttachment(table))).to.equal([
      'from \\ to  x/a  cloud-metadata',
      '---------  ---  --------------',
      'x/a        .    X',
      'x/b        !',
    ].join('\n'));
  });

  it('GIVEN probes on two ports THEN there is one table per port/protocol', () => {
    const both = [probe('x/a', 'x/b', 80), probe('x/a', 'x/b', 81)];
    const o = outcomes([[both[0] as Probe, 'allowed'], [both[1] as Probe, 'unknown']]);
    const tables = expectedTables(compareReachability(both, o, o));
    expect(tables.map((t) => t.title)).to.deep.equal(['expected 80/TCP', 'expected 81/TCP']);
    expect(tables[1]?.cells).to.deep.equal([['?']]);
  });

  it('GIVEN a comparison THEN the report attachment has a header column, symbols, and bad marks on differing and failed cells', () => {
    const expected = outcomes(probes.map((p) => [p, 'allowed']));
    const observed = outcomes([[probes[0] as Probe, 'blocked'], [probes[1] as Probe, 'blocked'], [probes[2] as Probe, 'probe-failed'], [probes[3] as Probe, 'allowed']]);
    const comparison = compareReachability(probes, expected, observed);
    const [table] = comparisonTables(comparison);
    if (!table) throw new Error('one table expected');
    expect(toTableAttachment(table)).to.deep.equal({
      kind: 'table',
      title: 'comparison 80/TCP',
      columns: ['from \\ to', 'x/a', 'x/b'],
      rows: [['x/a', '-', 'X'], ['x/b', '!', '-']],
      marks: [[null, null, 'bad'], [null, 'bad', null]],
    });
    const attachments = reachabilityAttachments(comparison);
    expect(attachments.map((a) => a.title)).to.deep.equal(['expected 80/TCP', 'observed 80/TCP', 'comparison 80/TCP']);
    expect(attachments[1]?.rows).to.deep.equal([['x/a', 'X', 'X'], ['x/b', '!', '.']]);
    expect(attachments[1]?.marks).to.deep.equal([[null, null, 'bad'], [null, 'bad', null]]);
    expect(attachments[0]?.marks).to.equal(undefined);
  });

  describe('the failure report', () => {
    const topology = withIPs(buildTopology({ namespaces: ['x', 'y'], pods: ['a', 'b'], ports: [{ port: 80, protocol: 'TCP' }] }, { namespaceName: (n) => `ka-r-${n}` }),
      { 'x/a': '10.0.1.1', 'x/b': '10.0.1.2', 'y/a': '10.0.2.1', 'y/b': '10.0.2.2' });
    const runner = new SimulatedProbeRunner(topology, [networkPolicy({ name: 'deny', namespace: 'ka-r-y', ingress: [] })]);
    const all = planProbes(topology, { ports: [{ port: 80, protocol: 'TCP' }] });

    it('GIVEN one wrongly allowed cell and one failed probe THEN both cells need attention, each with its command and reason', async () => {
      const expected = await runner.probeAll(all);
      const observed = new Map(expected);
      observed.set('x/a -> y/b 80/TCP', 'allowed');
      observed.set('x/b -> y/a 80/TCP', 'probe-failed');
      const comparison = compareReachability(all, expected, observed, { explain: (p) => runner.simulator.explain(p.from, p.to, p.port, p.protocol) });
      expect(comparison.counts).to.deep.equal({ total: 16, agree: 10, differ: 1, probeFailed: 1, unknown: 0, ignored: 4 });
      const attention = cellsNeedingAttention(comparison, topology);
      expect(attention).to.deep.equal([
        {
          key: 'x/a -> y/b 80/TCP', expected: 'blocked', observed: 'allowed', status: 'differ',
          command: 'kubectl exec -n ka-r-x a -c cont-80-tcp -- /agnhost connect 10.0.2.2:80 --timeout=1s --protocol=tcp',
          reason: 'blocked: ingress of y/b is isolated by y/deny and no rule allows x/a on 80/TCP',
        },
        {
          key: 'x/b -> y/a 80/TCP', expected: 'blocked', observed: 'probe-failed', status: 'probe-failed',
          command: 'kubectl exec -n ka-r-x b -c cont-80-tcp -- /agnhost connect 10.0.2.1:80 --timeout=1s --protocol=tcp',
          reason: 'blocked: ingress of y/a is isolated by y/deny and no rule allows x/b on 80/TCP',
        },
      ]);
    });

    it('GIVEN full agreement THEN no cell needs attention', async () => {
      const expected = await runner.probeAll(all);
      expect(cellsNeedingAttention(compareReachability(all, expected, expected), topology)).to.deep.equal([]);
    });
  });
});
