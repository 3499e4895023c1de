import { expect } from 'chai';
import { allowFrom, allowTo, networkPolicy, peer, port, select } from '../../../src/netpol/policies.js';
import { buildTopology, CLOUD_METADATA, withIPs } from '../../../src/netpol/topology.js';
import { Expectation, ipsFor, simulate, topologyWithIPs } from './fixture.js';

const pod = (name: string) => select.labels({ pod: name });
const egressFromXA = (...peers: ReturnType<typeof peer.ipBlock>[]) =>
  networkPolicy({ name: 'cidr', namespace: 'x', podSelector: pod('a'), policyTypes: ['Egress'], egress: [allowTo(peers)] });

describe('netpol simulator: ipBlock, except and external addresses', () => {
  const topology = topologyWithIPs(); // x/a 10.0.1.1, y/b 10.0.2.2, ...

  it("GIVEN egress to y/b's /32 only THEN x/a reaches y/b and nothing else (upstream \"egress access to server in CIDR block\")", () => {
    const sim = simulate([egressFromXA(peer.ipBlock('10.0.2.2/32'))], topology);
    new Expectation(topology).allEgress('x/a', false).set('x/a', 'y/b', true).check(sim, 80, 'TCP');
  });

  it('GIVEN egress to a block around x/a except y/b THEN only x/a to y/b is blocked (upstream "except clause")', () => {
    const sim = simulate([egressFromXA(peer.ipBlock('10.0.0.0/16', ['10.0.2.2/32']))], topology);
    new Expectation(topology).set('x/a', 'y/b', false).check(sim, 80, 'TCP');
  });

  it('GIVEN the except policy is replaced by one allowing exactly y/b THEN only y/b is reachable (upstream "IP overlapping both CIDR and except")', () => {
    const before = simulate([egressFromXA(peer.ipBlock('10.0.0.0/16', ['10.0.2.2/32']))], topology);
    expect(before.outcome('x/a', 'y/b', 80, 'TCP')).to.equal('blocked');
    const after = simulate([egressFromXA(peer.ipBlock('10.0.2.2/32'))], topology);
    new Expectation(topology).allEgress('x/a', false).set('x/a', 'y/b', true).check(after, 80, 'TCP');
  });

  it('GIVEN a block that includes host bits (10.0.1.1/4, as upstream writes it) THEN the network is what counts', () => {
    const sim = simulate([egressFromXA(peer.ipBlock('10.0.1.1/4', ['10.0.2.0/24']))], topology);
    new Expectation(topology).peer({ ns: 'x', pod: 'a' }, { ns: 'y' }, false).check(sim, 80, 'TCP');
  });

  it('GIVEN two ipBlock peers, one except-range each THEN an address matching either peer is allowed (peers are ORed)', () => {
    const sim = simulate([egressFromXA(peer.ipBlock('10.0.0.0/16', ['10.0.2.0/24']), peer.ipBlock('10.0.2.0/24', ['10.0.2.3/32']))], topology);
    expect(sim.outcome('x/a', 'y/a', 80, 'TCP')).to.equal('allowed');
    expect(sim.outcome('x/a', 'y/c', 80, 'TCP')).to.equal('blocked');
    expect(sim.outcome('x/a', 'z/c', 80, 'TCP')).to.equal('allowed');
  });

  it("GIVEN an ingress ipBlock holding x/b's address THEN pod IPs count as sources too: only x/b reaches x/a", () => {
    const sim = simulate([networkPolicy({ name: 'p', namespace: 'x', podSelector: pod('a'), ingress: [allowFrom([peer.ipBlock('10.0.1.2/32')])] })], topology);
    new Expectation(topology).allIngress('x/a', false).set('x/b', 'x/a', true).check(sim, 80, 'TCP');
  });

  it('GIVEN ipBlock plus ports in one rule THEN both must match', () => {
    const sim = simulate([networkPolicy({ name: 'p', namespace: 'x', podSelector: pod('a'), policyTypes: ['Egress'], egress: [allowTo([peer.ipBlock('10.0.0.0/16')], [port.tcp(81)])] })], topology);
    expect(sim.outcome('x/a', 'y/a', 81, 'TCP')).to.equal('allowed');
    expect(sim.outcome('x/a', 'y/a', 80, 'TCP')).to.equal('blocked');
  });

  it('GIVEN ipBlock and a selector in ONE peer (rejected by the API) THEN the peer matches nothing', () => {
    const bad = { ipBlock: { cidr: '0.0.0.0/0' }, podSelector: select.all() };
    const sim = simulate([networkPolicy({ name: 'p', namespace: 'x', podSelector: pod('a'), policyTypes: ['Egress'], egress: [allowTo([bad])] })], topology);
    expect(sim.outcome('x/a', 'y/a', 80, 'TCP')).to.equal('blocked');
  });

  it('GIVEN a malformed CIDR THEN the peer matches nothing', () => {
    const sim = simulate([egressFromXA(peer.ipBlock('10.0.0.0/33'))], topology);
    expect(sim.outcome('x/a', 'y/a', 80, 'TCP')).to.equal('blocked');
  });

  describe('pod IPs not known yet', () => {
    const noIPs = buildTopology();

    it('GIVEN an ipBlock rule and no pod IPs THEN the cell is unknown and says why', () => {
      const sim = simulate([egressFromXA(peer.ipBlock('10.0.2.2/32'))], noIPs);
      const why = sim.explain('x/a', 'y/b', 80, 'TCP');
      expect(why.outcome).to.equal('unknown');
      expect(why.egress.undecidedBy.map((r) => r.policy.display)).to.deep.equal(['x/cidr']);
      expect(why.reason).to.contain('needs an IP that is not known yet');
    });

    it('GIVEN another rule already allows the cell THEN the missing IP does not matter', () => {
      const sim = simulate([networkPolicy({
        name: 'p', namespace: 'x', podSelector: pod('a'), policyTypes: ['Egress'],
        egress: [allowTo([peer.ipBlock('10.0.2.2/32')]), allowTo([peer.namespaces(select.labels({ ns: 'y' }))])],
      })], noIPs);
      expect(sim.outcome('x/a', 'y/b', 80, 'TCP')).to.equal('allowed');
    });

    it('GIVEN the other direction blocks THEN the cell is blocked regardless of the unknown side', () => {
      const sim = simulate([egressFromXA(peer.ipBlock('10.0.2.2/32')), networkPolicy({ name: 'deny', namespace: 'y', ingress: [] })], noIPs);
      expect(sim.outcome('x/a', 'y/b', 80, 'TCP')).to.equal('blocked');
    });
  });

  describe('the cloud metadata address 169.254.169.254', () => {
    const withMetadata = withIPs(buildTopology({ externals: [CLOUD_METADATA] }), ipsFor(buildTopology()));
    const denyMetadata = networkPolicy({ name: 'deny-metadata', namespace: 'x', policyTypes: ['Egress'], egress: [allowTo([peer.ipBlock('0.0.0.0/0', ['169.254.169.254/32'])])] });

    it('GIVEN no policy THEN pods reach the metadata address', () => {
      expect(simulate([], withMetadata).outcome('x/a', 'cloud-metadata', 80, 'TCP')).to.equal('allowed');
    });

    it('GIVEN egress to 0.0.0.0/0 except 169.254.169.254/32 THEN metadata is blocked for x, pods stay reachable, y is unaffected', () => {
      const sim = simulate([denyMetadata], withMetadata);
      expect(sim.outcome('x/a', 'cloud-metadata', 80, 'TCP')).to.equal('blocked');
      expect(sim.outcome('y/a', 'cloud-metadata', 80, 'TCP')).to.equal('allowed');
      new Expectation(withMetadata).check(sim, 80, 'TCP');
      expect(sim.explain('x/b', 'cloud-metadata', 80, 'TCP').reason).to.equal(
        'blocked: egress of x/b is isolated by x/deny-metadata and no rule allows cloud-metadata on 80/TCP');
    });

    it('GIVEN a default-deny egress THEN metadata is blocked as well', () => {
      const sim = simulate([networkPolicy({ name: 'deny-egress', namespace: 'x', policyTypes: ['Egress'] })], withMetadata);
      expect(sim.outcome('x/c', 'cloud-metadata', 80, 'TCP')).to.equal('blocked');
    });
  });

  it('GIVEN IPv6 pod addresses THEN ipBlock math works on them and an IPv4 block never matches', () => {
    const base = buildTopology({ namespaces: ['x', 'y'], pods: ['a', 'b'], ports: [{ port: 80, protocol: 'TCP' }] });
    const v6 = withIPs(base, { 'x/a': 'fd00:1::a', 'x/b': 'fd00:1::b', 'y/a': 'fd00:2::a', 'y/b': 'fd00:2::b' });
    const sim = simulate([egressFromXA(peer.ipBlock('fd00::/16', ['fd00:2::/64']))], v6);
    expect(sim.outcome('x/a', 'x/b', 80, 'TCP')).to.equal('allowed');
    expect(sim.outcome('x/a', 'y/a', 80, 'TCP')).to.equal('blocked');
    const v4 = simulate([egressFromXA(peer.ipBlock('0.0.0.0/0'))], v6);
    expect(v4.outcome('x/a', 'x/b', 80, 'TCP')).to.equal('blocked');
  });
});
