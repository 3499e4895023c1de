import { expect } from 'chai';
import { detectNonEnforcement } from '../../../src/netpol/enforcement.js';
import { allowFrom, networkPolicy, peer, select } from '../../../src/netpol/policies.js';
import { planProbes, probeKey, SimulatedProbeRunner, type Probe, type ProbeOutcome, type ProbeRunner } from '../../../src/netpol/probe.js';
import { buildTopology } from '../../../src/netpol/topology.js';
import { compareReachability, type CellComparison } from '../../../src/netpol/truth-table.js';

/** What a CNI without NetworkPolicy support does: every connection goes through. */
const nothingEnforced: ProbeRunner = {
  probeAll: (probes) => Promise.resolve(new Map(probes.map((p) => [probeKey(p), 'allowed' as ProbeOutcome]))),
};

describe('netpol enforcement detection', () => {
  const topology = buildTopology({ ports: [{ port: 80, protocol: 'TCP' }] });
  const probes = planProbes(topology, { ports: [{ port: 80, protocol: 'TCP' }] });

  async function compare(policies: Parameters<typeof networkPolicy>[0][], observedRunner: ProbeRunner) {
    const expectedRunner = new SimulatedProbeRunner(topology, policies.map(networkPolicy));
    const expected = await expectedRunner.probeAll(probes);
    const observed = await observedRunner.probeAll(probes);
    return compareReachability(probes, expected, observed, { explain: (p) => expectedRunner.simulator.explain(p.from, p.to, p.port, p.protocol) });
  }

  it('GIVEN a default-deny in y and a cluster that blocks nothing THEN one sentence names the policy and the first cell', async () => {
    const comparison = await compare([{ name: 'default-deny-ingress', namespace: 'y', ingress: [] }], nothingEnforced);
    expect(comparison.counts.differ).to.equal(24); // 9 sources x 3 pods of y, minus 3 ignored loopback cells
    const finding = detectNonEnforcement(comparison.cells);
    expect(finding?.sentence).to.equal('NetworkPolicy objects are accepted but not enforced: traffic that policy y/default-deny-ingress ' +
      'must block was allowed from x/a to y/a on 80/TCP, as were all 23 other cells the policies must block.');
    expect(finding?.policy?.display).to.equal('y/default-deny-ingress');
    expect(finding?.mustBlock).to.equal(24);
  });

  it('GIVEN an egress policy THEN the egress policy is the one named', async () => {
    const finding = detectNonEnforcement((await compare([{ name: 'no-egress-from-a', namespace: 'x', podSelector: select.labels({ pod: 'a' }), policyTypes: ['Egress'] }], nothingEnforced)).cells);
    expect(finding?.sentence).to.contain('traffic that policy x/no-egress-from-a must block was allowed from x/a to x/b on 80/TCP');
  });

  it('GIVEN the policies are enforced THEN there is no finding', async () => {
    const policies = [{ name: 'allow-from-y', namespace: 'x', podSelector: select.labels({ pod: 'a' }), ingress: [allowFrom([peer.namespaces(select.labels({ ns: 'y' }))])] }];
    // A cluster that enforces allow-from-y, written out by hand rather than simulated: into x/a
    // only the pods of y get through; every other cell is open.
    const enforced: ProbeRunner = {
      probeAll: (ps) => Promise.resolve(new Map(ps.map((p) => [probeKey(p), (p.to === 'x/a' && !p.from.startsWith('y/') ? 'blocked' : 'allowed') as ProbeOutcome]))),
    };
    const comparison = await compare(policies, enforced);
    expect(comparison.counts.differ, 'the hand-written cluster agrees with the policies').to.equal(0);
    expect(comparison.counts.agree).to.be.greaterThan(0);
    expect(detectNonEnforcement(comparison.cells)).to.equal(undefined);
  });

  it('GIVEN enforcement works in part (one must-block cell blocked) THEN there is no finding: the mismatch report applies', async () => {
    const partly: ProbeRunner = {
      probeAll: (ps) => Promise.resolve(new Map(ps.map((p) => [probeKey(p), (p.from === 'z/c' && p.to === 'y/a' ? 'blocked' : 'allowed') as ProbeOutcome]))),
    };
    expect(detectNonEnforcement((await compare([{ name: 'deny', namespace: 'y', ingress: [] }], partly)).cells)).to.equal(undefined);
  });

  it('GIVEN no policy that blocks anything THEN there is nothing to detect', async () => {
    expect(detectNonEnforcement((await compare([], nothingEnforced)).cells)).to.equal(undefined);
  });

  describe('cells that cannot tell', () => {
    const cell = (from: string, to: string, expected: ProbeOutcome, observed: ProbeOutcome, status: CellComparison['status']): CellComparison => {
      const probe: Probe = { from, to, port: 80, protocol: 'TCP' };
      return { probe, key: probeKey(probe), expected, observed, status };
    };

    it('GIVEN the must-block cells all failed to probe THEN no verdict is drawn from them', () => {
      expect(detectNonEnforcement([cell('x/a', 'y/a', 'blocked', 'probe-failed', 'probe-failed'), cell('x/a', 'y/b', 'allowed', 'allowed', 'agree')])).to.equal(undefined);
    });

    it('GIVEN the only must-block cell is a pod probing itself THEN it does not count', () => {
      expect(detectNonEnforcement([cell('y/a', 'y/a', 'blocked', 'allowed', 'ignored')])).to.equal(undefined);
    });

    it('GIVEN cells without explanations THEN the sentence speaks of "the policies"', () => {
      expect(detectNonEnforcement([cell('x/a', 'y/a', 'blocked', 'allowed', 'differ')])?.sentence).to.equal(
        'NetworkPolicy objects are accepted but not enforced: traffic that the policies must block was allowed from x/a to y/a on 80/TCP.');
    });
  });
});
