import { expect } from 'chai';
import {
  ACTION_KINDS, DIRECTION_KINDS, generateCase, generatedCases, PEER_KINDS, PORT_KINDS, TARGET_KINDS, type CaseDimensions, type GeneratedCase,
} from '../../../src/netpol/generator.js';
import { bindPolicies } from '../../../src/netpol/binding.js';
import { coverageNote } from '../../../src/netpol/cluster-generated.js';
import { planProbes, probeKey } from '../../../src/netpol/probe.js';
import { ReachabilitySimulator } from '../../../src/netpol/simulator.js';
import { stepTopology } from '../../../src/netpol/step-state.js';
import { buildTopology, withIPs } from '../../../src/netpol/topology.js';
import { ipsFor } from './fixture.js';

const NO_SCTP = { sctp: false };

/** Expected outcome of every judged cell of every step, with the lane's IPs (x/d gets 10.0.1.9). */
function expectations(c: GeneratedCase): Array<Map<string, string>> {
  const lane = buildTopology(c.topology);
  const base = withIPs(lane, ipsFor(lane));
  return c.steps.map((step) => {
    const topology = stepTopology(base, step, new Map(Object.keys(step.addedPods ?? {}).map((id) => [id, '10.0.1.9'])));
    const simulator = new ReachabilitySimulator(topology, bindPolicies(step.policies, topology));
    return new Map(planProbes(topology, c.probes).map((p) => [probeKey(p), simulator.outcome(p.from, p.to, p.port, p.protocol)]));
  });
}

describe('netpol generated cases', () => {
  const defaults = generatedCases('default', NO_SCTP);
  const thorough = generatedCases('thorough', NO_SCTP);

  it('GIVEN the same dimensions twice THEN the case and its ID are the same; different content gives a different ID', () => {
    const d: CaseDimensions = { target: 'pod', peer: 'any-peer', port: 'named-unserved', protocol: 'TCP', direction: 'ingress', action: 'create-policy' };
    expect(generateCase(d, NO_SCTP)).to.deep.equal(generateCase({ ...d }, NO_SCTP));
    expect(generateCase(d, NO_SCTP).id).to.not.equal(generateCase({ ...d, direction: 'egress' }, NO_SCTP).id);
    expect(generateCase(d, NO_SCTP).id).to.match(/^gen-ingress-pod-anypeer-named-unserved-tcp-create-[0-9a-f]{8}$/);
  });

  it('GIVEN either depth THEN every case ID is unique and the order is stable', () => {
    for (const set of [defaults, thorough]) expect(new Set(set.map((c) => c.id)).size).to.equal(set.length);
    expect(generatedCases('thorough', NO_SCTP).map((c) => c.id)).to.deep.equal(thorough.map((c) => c.id));
  });

  it('GIVEN the default depth THEN it has at least one case of every target, peer, port kind, protocol, direction and action', () => {
    const seen = (pick: (d: CaseDimensions) => string) => new Set(defaults.map((c) => pick(c.dimensions)));
    expect([...seen((d) => d.target)]).to.have.members([...TARGET_KINDS]);
    expect([...seen((d) => d.peer)]).to.include.members([...PEER_KINDS]);
    expect([...seen((d) => d.port)]).to.have.members([...PORT_KINDS]);
    expect([...seen((d) => d.direction)]).to.have.members([...DIRECTION_KINDS]);
    expect([...seen((d) => d.action)]).to.have.members([...ACTION_KINDS]);
    expect([...seen((d) => d.protocol)]).to.include.members(['TCP', 'UDP']);
  });

  it('GIVEN the default depth THEN both unresolvable named-port kinds run for ingress and for egress', () => {
    for (const port of ['named-unserved', 'named-wrong-protocol'] as const) {
      for (const direction of ['ingress', 'egress'] as const) {
        expect(defaults.some((c) => c.dimensions.port === port && c.dimensions.direction === direction), `${port} ${direction}`).to.equal(true);
      }
    }
  });

  it('GIVEN the thorough depth THEN it has at least 150 cases and contains every default case', () => {
    expect(thorough.length).to.be.at.least(150);
    const ids = new Set(thorough.map((c) => c.id));
    for (const c of defaults) expect(ids.has(c.id), c.id).to.equal(true);
  });

  it('GIVEN SCTP support THEN SCTP cases exist, and without it none do', () => {
    expect(thorough.some((c) => c.dimensions.protocol === 'SCTP')).to.equal(false);
    expect(generatedCases('default', { sctp: true }).some((c) => c.dimensions.protocol === 'SCTP')).to.equal(true);
    expect(() => generateCase({ target: 'pod', peer: 'any-peer', port: 'numbered', protocol: 'SCTP', direction: 'ingress', action: 'create-policy' }, NO_SCTP)).to.throw(/SCTP/);
  });

  it('GIVEN any thorough case THEN some step has a cell the policies must block, and every step one they must allow unless both directions isolate every pod (a case that cannot fail proves nothing)', () => {
    for (const c of thorough) {
      const steps = expectations(c);
      expect(steps.some((cells) => [...cells.values()].includes('blocked')), `${c.id} blocks nothing`).to.equal(true);
      // Every pod isolated both ways admits only traffic between two peers: with a one-pod peer, none.
      const everyPodBothWays = c.dimensions.direction === 'both' && c.dimensions.target === 'all';
      if (everyPodBothWays) continue;
      for (const [i, cells] of steps.entries()) expect([...cells.values()].includes('allowed'), `${c.id} step ${i + 1} allows nothing`).to.equal(true);
      for (const cells of steps) expect([...cells.values()]).to.not.include('unknown');
    }
  });

  it('GIVEN an unresolvable named port on ingress to x/a THEN every cell into x/a is blocked, on every port and protocol', () => {
    const c = generateCase({ target: 'pod', peer: 'any-peer', port: 'named-unserved', protocol: 'TCP', direction: 'ingress', action: 'create-policy' }, NO_SCTP);
    const [cells] = expectations(c);
    const intoXA = [...(cells ?? new Map()).entries()].filter(([key]) => key.includes('-> x/a '));
    expect(intoXA.length).to.equal(9);
    for (const [, outcome] of intoXA) expect(outcome).to.equal('blocked');
  });

  it('GIVEN the relabel-pod action THEN x/b is admitted only while it carries role=peer', () => {
    const c = generateCase({ target: 'pod', peer: 'pod-selector', port: 'numbered', protocol: 'TCP', direction: 'ingress', action: 'relabel-pod' }, NO_SCTP);
    const outcome = (i: number) => expectations(c)[i]?.get('x/b -> x/a 80/TCP');
    expect([outcome(0), outcome(1), outcome(2)]).to.deep.equal(['blocked', 'allowed', 'blocked']);
  });

  it('GIVEN the create-pod action THEN the new pod x/d is probed and admitted as the rule says', () => {
    const c = generateCase({ target: 'pod', peer: 'pod-selector', port: 'numbered', protocol: 'TCP', direction: 'ingress', action: 'create-pod' }, NO_SCTP);
    const [before, after] = expectations(c);
    expect(before?.has('x/d -> x/a 80/TCP')).to.equal(false);
    expect(after?.get('x/d -> x/a 80/TCP')).to.equal('allowed');
    expect(after?.get('x/b -> x/a 80/TCP')).to.equal('blocked');
  });

  it('GIVEN any-port with a protocol, or another port kind without one THEN generateCase refuses it', () => {
    expect(() => generateCase({ target: 'pod', peer: 'any-peer', port: 'any-port', protocol: 'TCP', direction: 'ingress', action: 'create-policy' }, NO_SCTP)).to.throw(/any-port/);
    expect(() => generateCase({ target: 'pod', peer: 'any-peer', port: 'numbered', protocol: 'any', direction: 'ingress', action: 'create-policy' }, NO_SCTP)).to.throw(/any-port/);
  });
});

describe('netpol generated cases: what they leave out', () => {
  it('GIVEN a cluster without SCTP support THEN the check says SCTP is not probed; GIVEN support THEN it says nothing', () => {
    expect(coverageNote({ sctp: false })).to.match(/^SCTP is not probed/);
    expect(coverageNote({ sctp: true })).to.equal(undefined);
    expect(generatedCases('default', { sctp: false }).some((c) => c.dimensions.protocol === 'SCTP')).to.equal(false);
  });
});
