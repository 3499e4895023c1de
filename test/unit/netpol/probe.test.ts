import { expect } from 'chai';
import { networkPolicy } from '../../../src/netpol/policies.js';
import {
  classifyAgnhostConnect, groupBySource, planProbes, probeKey, probeWithRecheck, SimulatedProbeRunner,
  type Probe, type ProbeOutcome, type ProbeRunner,
} from '../../../src/netpol/probe.js';
import { buildTopology, CLOUD_METADATA } from '../../../src/netpol/topology.js';

/** A runner that answers from a script of rounds and records what it was asked. */
class ScriptedRunner implements ProbeRunner {
  readonly calls: Probe[][] = [];
  constructor(private readonly rounds: Array<(p: Probe) => ProbeOutcome | undefined>) {}
  probeAll(probes: readonly Probe[]): Promise<Map<string, ProbeOutcome>> {
    const answer = this.rounds[this.calls.length] ?? (() => 'unknown');
    this.calls.push([...probes]);
    const out = new Map<string, ProbeOutcome>();
    for (const p of probes) {
      const o = answer(p);
      if (o !== undefined) out.set(probeKey(p), o);
    }
    return Promise.resolve(out);
  }
}

describe('netpol probes and runners', () => {
  const topology = buildTopology({ externals: [CLOUD_METADATA] });

  it('GIVEN a probe THEN its key reads from, to, port and protocol', () => {
    expect(probeKey({ from: 'x/a', to: 'y/b', port: 80, protocol: 'UDP' })).to.equal('x/a -> y/b 80/UDP');
  });

  it('GIVEN the full default plan THEN it is 9 x 9 pods x 2 ports x 2 protocols = 324 probes, 36 per source pod', () => {
    const probes = planProbes(topology, { ports: [{ port: 80, protocol: 'TCP' }, { port: 80, protocol: 'UDP' }, { port: 81, protocol: 'TCP' }, { port: 81, protocol: 'UDP' }] });
    expect(probes).to.have.length(324);
    expect(new Set(probes.map(probeKey)).size).to.equal(324);
    expect(probes[0]).to.deep.equal({ from: 'x/a', to: 'x/a', port: 80, protocol: 'TCP' });
    const groups = groupBySource(probes);
    expect(groups.size).to.equal(9);
    expect([...groups.values()].every((g) => g.length === 36)).to.equal(true);
  });

  it('GIVEN external targets and a source subset THEN only those sources probe, externals on their own ports', () => {
    const probes = planProbes(topology, { ports: [{ port: 80, protocol: 'TCP' }], from: ['x/a'], externals: [{ target: 'cloud-metadata', ports: [{ port: 80, protocol: 'TCP' }] }] });
    expect(probes.map(probeKey)).to.include('x/a -> cloud-metadata 80/TCP');
    expect(probes).to.have.length(10);
  });

  it('GIVEN a port no pod serves, an unknown source or external THEN planning refuses (such probes would read as blocked)', () => {
    expect(() => planProbes(topology, { ports: [{ port: 82, protocol: 'TCP' }] })).to.throw(/does not serve 82\/TCP/);
    expect(() => planProbes(topology, { ports: [], from: ['q/q'] })).to.throw(/source "q\/q"/);
    expect(() => planProbes(topology, { ports: [], externals: [{ target: 'nowhere', ports: [] }] })).to.throw(/"nowhere"/);
  });

  it('GIVEN a deny-ingress policy THEN the simulated runner answers every probe from the policies', async () => {
    const runner = new SimulatedProbeRunner(topology, [networkPolicy({ name: 'deny', namespace: 'y', ingress: [] })]);
    const probes = planProbes(topology, { ports: [{ port: 80, protocol: 'TCP' }] });
    const outcomes = await runner.probeAll(probes);
    expect(outcomes.size).to.equal(81);
    expect(outcomes.get('x/a -> y/b 80/TCP')).to.equal('blocked');
    expect(outcomes.get('x/a -> z/b 80/TCP')).to.equal('allowed');
    expect([...outcomes.values()].filter((o) => o === 'blocked')).to.have.length(27);
  });

  describe('probeWithRecheck', () => {
    const probes: Probe[] = [
      { from: 'x/a', to: 'y/a', port: 80, protocol: 'TCP' },
      { from: 'x/a', to: 'y/b', port: 80, protocol: 'TCP' },
      { from: 'x/b', to: 'y/b', port: 80, protocol: 'TCP' },
    ];
    const expected = new Map<string, ProbeOutcome>(probes.map((p) => [probeKey(p), 'allowed']));

    it('GIVEN every cell agrees THEN the runner is asked once', async () => {
      const runner = new ScriptedRunner([() => 'allowed']);
      const result = await probeWithRecheck(runner, probes, expected);
      expect(runner.calls).to.have.length(1);
      expect(result.rechecked).to.deep.equal([]);
    });

    it('GIVEN one slow cell and one failed probe THEN only those are probed again and the second answers are kept', async () => {
      const runner = new ScriptedRunner([
        (p) => (p.to === 'y/b' && p.from === 'x/a' ? 'blocked' : p.from === 'x/b' ? 'probe-failed' : 'allowed'),
        () => 'allowed',
      ]);
      const result = await probeWithRecheck(runner, probes, expected);
      expect(runner.calls[1]?.map(probeKey)).to.deep.equal(['x/a -> y/b 80/TCP', 'x/b -> y/b 80/TCP']);
      expect([...result.observed.values()]).to.deep.equal(['allowed', 'allowed', 'allowed']);
    });

    it('GIVEN a real mismatch THEN it stays after the recheck, and an unanswered probe becomes unknown', async () => {
      const runner = new ScriptedRunner([(p) => (p.to === 'y/a' ? undefined : 'blocked'), (p) => (p.to === 'y/a' ? undefined : 'blocked')]);
      const result = await probeWithRecheck(runner, probes, expected);
      expect(result.observed.get('x/a -> y/b 80/TCP')).to.equal('blocked');
      expect(result.observed.get('x/a -> y/a 80/TCP')).to.equal('unknown');
      expect(result.rechecked).to.have.length(3);
    });
  });

  it('GIVEN agnhost connect results THEN they map to the closed outcome set, infrastructure errors never to blocked', () => {
    const cases: Array<[number | undefined, string, ProbeOutcome]> = [
      [0, '', 'allowed'],
      [1, 'TIMEOUT\n', 'blocked'],
      [1, 'TIMEOUT: read udp 10.0.0.1:5000->10.0.0.2:80: i/o timeout', 'blocked'],
      [1, 'REFUSED\n', 'blocked'],
      [1, 'OTHER: dial tcp 10.0.0.2:80: connect: no route to host', 'blocked'],
      [1, 'OTHER: dial tcp 10.0.0.2:80: connect: operation not permitted', 'blocked'],
      [1, 'OTHER: dial tcp 10.0.0.2:80: connect: network is unreachable', 'probe-failed'],
      [1, 'DNS: lookup s-x-a: no such host', 'probe-failed'],
      [1, 'UNKNOWN: address 10.0.0.2: missing port in address', 'probe-failed'],
      [126, 'OCI runtime exec failed', 'probe-failed'],
      [undefined, '', 'probe-failed'],
    ];
    for (const [code, stderr, outcome] of cases) expect(classifyAgnhostConnect(code, stderr), `${code} ${stderr}`).to.equal(outcome);
  });
});
