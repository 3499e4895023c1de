import { expect } from 'chai';
import { allowFrom, allowTo, networkPolicy, peer, port, select, where } from '../../../src/netpol/policies.js';
import { buildTopology, CLUSTER_DNS, NAMESPACE_NAME_LABEL, withIPs } from '../../../src/netpol/topology.js';
import { Expectation, ipsFor, simulate, topologyWithIPs } from './fixture.js';

const pod = (name: string) => select.labels({ pod: name });
const ns = (name: string) => select.labels({ ns: name });

describe('netpol simulator: peers (podSelector, namespaceSelector, AND versus OR)', () => {
  const topology = topologyWithIPs();
  const toXA = (...peers: Parameters<typeof allowFrom>[0][]) =>
    simulate([networkPolicy({ name: 'p', namespace: 'x', podSelector: pod('a'), ingress: peers.map((p) => allowFrom(p)) })], topology);

  it('GIVEN a podSelector-only peer THEN it picks pods of the policy namespace only (y/b is not x/b)', () => {
    const sim = toXA([peer.pods(pod('b'))]);
    new Expectation(topology).allIngress('x/a', false).set('x/b', 'x/a', true).check(sim, 80, 'TCP');
  });

  it('GIVEN a namespaceSelector-only peer THEN every pod of the matching namespaces is allowed (upstream "only from a different namespace")', () => {
    const sim = toXA([peer.namespaces(ns('y'))]);
    new Expectation(topology).peer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false).peer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false).check(sim, 80, 'TCP');
  });

  describe('the AND/OR trap', () => {
    it('GIVEN namespaceSelector ns=y AND podSelector pod=b in ONE peer THEN only y/b gets in', () => {
      const sim = toXA([peer.podsInNamespaces(ns('y'), pod('b'))]);
      new Expectation(topology).allIngress('x/a', false).set('y/b', 'x/a', true).check(sim, 80, 'TCP');
    });

    it('GIVEN the same two selectors as TWO peers THEN all of y gets in, and so does x/b', () => {
      const sim = toXA([peer.namespaces(ns('y')), peer.pods(pod('b'))]);
      new Expectation(topology).allIngress('x/a', false).peer({ ns: 'y' }, { ns: 'x', pod: 'a' }, true).set('x/b', 'x/a', true).check(sim, 80, 'TCP');
    });

    it('GIVEN the same two selectors as two RULES THEN the result equals two peers (rules are ORed too)', () => {
      const twoRules = toXA([peer.namespaces(ns('y'))], [peer.pods(pod('b'))]);
      new Expectation(topology).allIngress('x/a', false).peer({ ns: 'y' }, { ns: 'x', pod: 'a' }, true).set('x/b', 'x/a', true).check(twoRules, 80, 'TCP');
    });

    it('GIVEN ns NotIn (x) AND pod=b in one peer THEN y/b and z/b get in (upstream "PodSelector and NamespaceSelector")', () => {
      const sim = toXA([peer.podsInNamespaces(select.expressions(where(NAMESPACE_NAME_LABEL, 'NotIn', ['x'])), pod('b'))]);
      new Expectation(topology).allIngress('x/a', false).set('y/b', 'x/a', true).set('z/b', 'x/a', true).check(sim, 80, 'TCP');
    });

    it('GIVEN ns NotIn (x) OR pod=b as two peers THEN only x/a and x/c are kept out (upstream "PodSelector or NamespaceSelector")', () => {
      const sim = toXA([peer.namespaces(select.expressions(where(NAMESPACE_NAME_LABEL, 'NotIn', ['x']))), peer.pods(pod('b'))]);
      new Expectation(topology).set('x/a', 'x/a', false).set('x/c', 'x/a', false).check(sim, 80, 'TCP');
    });

    it('GIVEN ns NotIn (x) AND pod In (b, c) in one peer THEN y/b, y/c, z/b, z/c get in (upstream "Multiple PodSelectors and NamespaceSelectors")', () => {
      const sim = toXA([peer.podsInNamespaces(
        select.expressions(where(NAMESPACE_NAME_LABEL, 'NotIn', ['x'])), select.expressions(where('pod', 'In', ['b', 'c'])))]);
      new Expectation(topology).peer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false).set('y/a', 'x/a', false).set('z/a', 'x/a', false).check(sim, 80, 'TCP');
    });
  });

  describe('empty selectors', () => {
    it('GIVEN podSelector {} as a peer THEN every pod of the policy namespace gets in, no other namespace (upstream "deny ingress from pods on other namespaces")', () => {
      const sim = simulate([networkPolicy({ name: 'p', namespace: 'x', ingress: [allowFrom([peer.pods(select.all())])] })], topology);
      new Expectation(topology).peer({ ns: 'y' }, { ns: 'x' }, false).peer({ ns: 'z' }, { ns: 'x' }, false).check(sim, 80, 'TCP');
    });

    it('GIVEN namespaceSelector {} as a peer THEN pods of every namespace get in (upstream "from pods in all namespaces")', () => {
      const sim = toXA([peer.namespaces(select.all())]);
      new Expectation(topology).check(sim, 80, 'TCP');
    });

    it('GIVEN {} for both selectors in one peer THEN every pod of every namespace gets in', () => {
      new Expectation(topology).check(toXA([peer.podsInNamespaces(select.all(), select.all())]), 80, 'TCP');
    });

    it('GIVEN a peer with no selector and no ipBlock (rejected by the API) THEN it matches nothing rather than everything', () => {
      const sim = toXA([{}]);
      new Expectation(topology).allIngress('x/a', false).check(sim, 80, 'TCP');
    });
  });

  describe('matchExpressions operators', () => {
    it('GIVEN pod In (b) THEN only x/b reaches x/a (upstream "PodSelector with MatchExpressions")', () => {
      const sim = toXA([peer.pods(select.expressions(where('pod', 'In', ['b'])))]);
      new Expectation(topology).allIngress('x/a', false).set('x/b', 'x/a', true).check(sim, 80, 'TCP');
    });

    it('GIVEN pod NotIn (a, b) THEN only x/c gets in', () => {
      const sim = toXA([peer.pods(select.expressions(where('pod', 'NotIn', ['a', 'b'])))]);
      new Expectation(topology).allIngress('x/a', false).set('x/c', 'x/a', true).check(sim, 80, 'TCP');
    });

    it('GIVEN Exists on a label every pod has, and DoesNotExist on it THEN all of x, then nobody', () => {
      const exists = toXA([peer.pods(select.expressions(where('pod', 'Exists')))]);
      new Expectation(topology).allIngress('x/a', false).peer({ ns: 'x' }, { ns: 'x', pod: 'a' }, true).check(exists, 80, 'TCP');
      const missing = toXA([peer.pods(select.expressions(where('pod', 'DoesNotExist')))]);
      new Expectation(topology).allIngress('x/a', false).check(missing, 80, 'TCP');
    });

    it('GIVEN matchLabels and matchExpressions in one selector THEN both must hold', () => {
      const sim = toXA([peer.namespaces({ matchLabels: { ns: 'y' }, matchExpressions: [where(NAMESPACE_NAME_LABEL, 'In', ['z'])] })]);
      new Expectation(topology).allIngress('x/a', false).check(sim, 80, 'TCP');
    });
  });

  describe('the kubernetes.io/metadata.name label', () => {
    const scoped = withIPs(buildTopology({}, { namespaceName: (n) => `ka-r7-${n}` }), ipsFor(buildTopology()));

    it('GIVEN run-scoped names WHEN a selector uses the real name THEN it matches, and the logical name does not', () => {
      const policy = (value: string) => networkPolicy({
        name: 'p', namespace: 'ka-r7-x', podSelector: pod('a'), ingress: [allowFrom([peer.namespaces(select.labels({ [NAMESPACE_NAME_LABEL]: value }))])],
      });
      expect(simulate([policy('ka-r7-y')], scoped).outcome('y/c', 'x/a', 80, 'TCP')).to.equal('allowed');
      expect(simulate([policy('y')], scoped).outcome('y/c', 'x/a', 80, 'TCP')).to.equal('blocked');
    });

    it('GIVEN an egress selector NotIn the real name of y THEN x/a reaches everyone but y (upstream "MatchExpressions using default ns label")', () => {
      const sim = simulate([networkPolicy({
        name: 'p', namespace: 'ka-r7-x', podSelector: pod('a'),
        egress: [allowTo([peer.namespaces(select.expressions(where(NAMESPACE_NAME_LABEL, 'NotIn', ['ka-r7-y'])))])],
      })], scoped);
      new Expectation(scoped).peer({ ns: 'x', pod: 'a' }, { ns: 'y' }, false).allIngress('x/a', false).check(sim, 80, 'TCP', { skipLoopback: true });
    });
  });

  describe('targets outside the topology', () => {
    const withDns = withIPs(buildTopology({ externals: [CLUSTER_DNS, { name: 'web', description: 'an address', ip: '93.184.216.34' }] }),
      { ...ipsFor(buildTopology()), 'cluster-dns': '10.0.9.9' });
    const dnsPolicy = networkPolicy({
      name: 'dns-only', namespace: 'x', policyTypes: ['Egress'],
      egress: [allowTo([peer.podsInNamespaces(select.labels({ [NAMESPACE_NAME_LABEL]: 'kube-system' }), select.labels({ 'k8s-app': 'kube-dns' }))], [port.udp(53), port.tcp(53)])],
    });

    it('GIVEN egress allowed only to kube-dns pods THEN x reaches cluster DNS on 53 UDP and TCP but no pod and no other address', () => {
      const sim = simulate([dnsPolicy], withDns);
      expect(sim.outcome('x/a', 'cluster-dns', 53, 'UDP')).to.equal('allowed');
      expect(sim.outcome('x/a', 'cluster-dns', 53, 'TCP')).to.equal('allowed');
      expect(sim.outcome('x/a', 'cluster-dns', 80, 'TCP')).to.equal('blocked');
      expect(sim.outcome('x/a', 'web', 53, 'UDP')).to.equal('blocked');
      expect(sim.outcome('x/b', 'y/a', 80, 'TCP')).to.equal('blocked');
      expect(sim.outcome('y/b', 'y/a', 80, 'TCP')).to.equal('allowed');
    });

    it('GIVEN a selector peer THEN it never matches a plain address, whose ingress side is not modelled', () => {
      const sim = simulate([networkPolicy({ name: 'p', namespace: 'x', policyTypes: ['Egress'], egress: [allowTo([peer.namespaces(select.all())])] })], withDns);
      expect(sim.outcome('x/a', 'web', 80, 'TCP')).to.equal('blocked');
      const toWeb = simulate([], withDns).explain('x/a', 'web', 80, 'TCP');
      expect(toWeb.outcome).to.equal('allowed');
      expect(toWeb.ingress.modelled).to.equal(false);
      expect(toWeb.reason).to.contain('web is outside the probe topology');
    });
  });
});
