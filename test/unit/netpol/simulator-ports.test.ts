import { expect } from 'chai';
import { allowFrom, allowTo, networkPolicy, port, select } from '../../../src/netpol/policies.js';
import type { V1NetworkPolicyPort } from '@kubernetes/client-node';
import { buildTopology, withIPs, type PortProtocol } from '../../../src/netpol/topology.js';
import { Expectation, ipsFor, simulate, topologyWithIPs } from './fixture.js';

const pod = (name: string) => select.labels({ pod: name });
const tcp = (...ports: number[]): PortProtocol[] => ports.map((p) => ({ port: p, protocol: 'TCP' as const }));

describe('netpol simulator: ports, named ports, ranges and protocols', () => {
  const topology = topologyWithIPs();
  const ingressToXA = (ports: V1NetworkPolicyPort[]) =>
    simulate([networkPolicy({ name: 'p', namespace: 'x', podSelector: pod('a'), ingress: [allowFrom(undefined, ports)] })], topology);

  it('GIVEN an ingress rule on 81/TCP THEN 81/TCP is open to x/a and 80/TCP is not (upstream "based on Ports")', () => {
    const sim = ingressToXA([port.tcp(81)]);
    new Expectation(topology).check(sim, 81, 'TCP');
    new Expectation(topology).allIngress('x/a', false).check(sim, 80, 'TCP');
  });

  it('GIVEN a port without protocol THEN it means TCP: UDP on the same number stays blocked', () => {
    const sim = ingressToXA([port.number(80)]);
    expect(sim.outcome('y/a', 'x/a', 80, 'TCP')).to.equal('allowed');
    expect(sim.outcome('y/a', 'x/a', 80, 'UDP')).to.equal('blocked');
  });

  it('GIVEN a rule for 81/UDP only WHEN probing 81/TCP THEN it is blocked (upstream "not allow access by TCP when a policy specifies only UDP")', () => {
    const sim = ingressToXA([port.udp(81)]);
    new Expectation(topology).allIngress('x/a', false).check(sim, 81, 'TCP');
    new Expectation(topology).check(sim, 81, 'UDP');
  });

  it("GIVEN a rule for SCTP on 80 WHEN probing TCP THEN it is blocked (upstream: never mistake 'protocol: SCTP' for TCP)", () => {
    const sim = ingressToXA([port.sctp(80)]);
    new Expectation(topology).allIngress('x/a', false).check(sim, 80, 'TCP');
    expect(sim.outcome('y/a', 'x/a', 80, 'SCTP')).to.equal('allowed');
  });

  it('GIVEN a protocol without a port THEN every port of that protocol is open and no other protocol (upstream "any port ... on a specific protocol")', () => {
    const sim = ingressToXA([port.anyOf('TCP')]);
    new Expectation(topology).check(sim, 80, 'TCP');
    new Expectation(topology).check(sim, 81, 'TCP');
    new Expectation(topology).allIngress('x/a', false).check(sim, 80, 'UDP');
  });

  it('GIVEN several ports in one rule THEN any of them matches (OR), others stay blocked', () => {
    const sim = ingressToXA([port.tcp(80), port.udp(81)]);
    expect(sim.outcome('z/c', 'x/a', 80, 'TCP')).to.equal('allowed');
    expect(sim.outcome('z/c', 'x/a', 81, 'UDP')).to.equal('allowed');
    expect(sim.outcome('z/c', 'x/a', 81, 'TCP')).to.equal('blocked');
    expect(sim.outcome('z/c', 'x/a', 80, 'UDP')).to.equal('blocked');
  });

  it('GIVEN `ports: []` THEN the rule matches every port, like a missing `ports`', () => {
    const sim = ingressToXA([]);
    expect(sim.outcome('z/c', 'x/a', 81, 'UDP')).to.equal('allowed');
  });

  describe('port ranges (endPort)', () => {
    const wide = withIPs(buildTopology({ ports: tcp(79, 80, 81, 82) }), ipsFor(buildTopology()));
    const rangeToXA = (p: V1NetworkPolicyPort) =>
      simulate([networkPolicy({ name: 'p', namespace: 'x', podSelector: pod('a'), ingress: [allowFrom(undefined, [p])] })], wide);

    it('GIVEN port 80 endPort 81 THEN both bounds are open and 79, 82 just outside are blocked', () => {
      const sim = rangeToXA(port.range(80, 81));
      expect([79, 80, 81, 82].map((p) => sim.outcome('y/a', 'x/a', p, 'TCP'))).to.deep.equal(['blocked', 'allowed', 'allowed', 'blocked']);
    });

    it('GIVEN endPort equal to port THEN exactly that port is open', () => {
      const sim = rangeToXA(port.range(81, 81));
      expect([80, 81, 82].map((p) => sim.outcome('y/a', 'x/a', p, 'TCP'))).to.deep.equal(['blocked', 'allowed', 'blocked']);
    });

    it('GIVEN a UDP range THEN TCP in the range stays blocked', () => {
      const sim = rangeToXA(port.range(79, 82, 'UDP'));
      expect(sim.outcome('y/a', 'x/a', 80, 'TCP')).to.equal('blocked');
    });

    it('GIVEN endPort below port (rejected by the API) THEN nothing is opened', () => {
      const sim = rangeToXA({ protocol: 'TCP', port: 82, endPort: 80 });
      expect([80, 81, 82].map((p) => sim.outcome('y/a', 'x/a', p, 'TCP'))).to.deep.equal(['blocked', 'blocked', 'blocked']);
    });
  });

  describe('named ports', () => {
    it('GIVEN the named port serve-81-tcp THEN 81/TCP is open and 80/TCP blocked (upstream "ingress access on one named port")', () => {
      const sim = simulate([networkPolicy({ name: 'p', namespace: 'x', ingress: [allowFrom(undefined, [port.named('serve-81-tcp')])] })], topology);
      new Expectation(topology).check(sim, 81, 'TCP');
      new Expectation(topology).peer({}, { ns: 'x' }, false).check(sim, 80, 'TCP');
    });

    it('GIVEN serve-80-udp with the default protocol TCP THEN the name and protocol disagree and nothing on 80 opens', () => {
      const sim = ingressToXA([port.named('serve-80-udp')]);
      expect(sim.outcome('y/a', 'x/a', 80, 'TCP')).to.equal('blocked');
      expect(sim.outcome('y/a', 'x/a', 80, 'UDP')).to.equal('blocked');
      const fixed = ingressToXA([port.named('serve-80-udp', 'UDP')]);
      expect(fixed.outcome('y/a', 'x/a', 80, 'UDP')).to.equal('allowed');
      expect(fixed.outcome('y/a', 'x/a', 80, 'TCP')).to.equal('blocked');
    });

    it('GIVEN a name no container port has THEN nothing opens', () => {
      const sim = ingressToXA([port.named('http')]);
      expect(sim.outcome('y/a', 'x/a', 80, 'TCP')).to.equal('blocked');
      expect(sim.outcome('y/a', 'x/a', 81, 'TCP')).to.equal('blocked');
    });

    it('GIVEN the named port on a rule with a peer THEN both must match (upstream "from namespace on one named port")', () => {
      const sim = simulate([networkPolicy({
        name: 'p', namespace: 'x', podSelector: pod('a'),
        ingress: [allowFrom([{ namespaceSelector: select.labels({ ns: 'y' }) }], [port.named('serve-80-tcp', 'TCP')])],
      })], topology);
      new Expectation(topology).peer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false).peer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false).check(sim, 80, 'TCP');
      new Expectation(topology).allIngress('x/a', false).check(sim, 81, 'TCP');
    });

    it('GIVEN an egress rule on serve-80-tcp THEN it resolves on each destination: 80 open everywhere, 81 closed (upstream "egress access on one named port")', () => {
      const sim = simulate([networkPolicy({ name: 'p', namespace: 'x', policyTypes: ['Egress'], egress: [allowTo(undefined, [port.named('serve-80-tcp')])] })], topology);
      new Expectation(topology).check(sim, 80, 'TCP');
      new Expectation(topology).peer({ ns: 'x' }, {}, false).check(sim, 81, 'TCP');
    });

    it('GIVEN destinations that name port 80 differently THEN an egress named port opens only the pods using that name', () => {
      const base = buildTopology({ ports: tcp(80) });
      const renamed = withIPs({
        ...base,
        pods: base.pods.map((p) => (p.namespace === 'y' ? { ...p, ports: [{ port: 80, protocol: 'TCP' as const, name: 'http' }] } : p)),
      }, ipsFor(base));
      const sim = simulate([networkPolicy({ name: 'p', namespace: 'x', policyTypes: ['Egress'], egress: [allowTo(undefined, [port.named('http')])] })], renamed);
      expect(sim.outcome('x/a', 'y/b', 80, 'TCP')).to.equal('allowed');
      expect(sim.outcome('x/a', 'z/b', 80, 'TCP')).to.equal('blocked');
      expect(sim.outcome('x/a', 'x/b', 80, 'TCP')).to.equal('blocked');
    });

    it('GIVEN an egress named port WHEN the destination is a plain address THEN it never matches', () => {
      const withWeb = withIPs(buildTopology({ externals: [{ name: 'web', description: 'web', ip: '192.0.2.10' }] }), { web: '192.0.2.10' });
      const sim = simulate([networkPolicy({ name: 'p', namespace: 'x', policyTypes: ['Egress'], egress: [allowTo(undefined, [port.named('serve-80-tcp')])] })], withWeb);
      expect(sim.outcome('x/a', 'web', 80, 'TCP')).to.equal('blocked');
    });
  });
});
