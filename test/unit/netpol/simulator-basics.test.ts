import { expect } from 'chai';
import type { V1NetworkPolicy, V1NetworkPolicyIngressRule } from '@kubernetes/client-node';
import { allowFrom, allowTo, networkPolicy, peer, port, select } from '../../../src/netpol/policies.js';
import { effectivePolicyTypes } from '../../../src/netpol/simulator.js';
import { buildTopology } from '../../../src/netpol/topology.js';
import { Expectation, simulate, topologyWithIPs } from './fixture.js';

const pod = (name: string) => select.labels({ pod: name });

describe('netpol simulator: isolation, policyTypes and the union of policies', () => {
  const topology = topologyWithIPs();

  it('GIVEN no policies WHEN any pod probes any pod THEN every cell is allowed and nothing is isolated', () => {
    const sim = simulate([], topology);
    new Expectation(topology).check(sim, 80, 'TCP');
    new Expectation(topology).check(sim, 81, 'UDP');
    const why = sim.explain('x/a', 'y/b', 80, 'TCP');
    expect(why.egress.isolatedBy).to.deep.equal([]);
    expect(why.ingress.isolatedBy).to.deep.equal([]);
    expect(why.reason).to.equal('allowed: egress of x/a is not isolated (no policy selects it for Egress); ingress of y/b is not isolated (no policy selects it for Ingress)');
  });

  describe('policyTypes defaults', () => {
    it('GIVEN policyTypes omitted and no egress rules THEN the policy is Ingress only', () => {
      expect(effectivePolicyTypes(networkPolicy({ name: 'p', namespace: 'x' }))).to.deep.equal(['ingress']);
    });
    it('GIVEN policyTypes omitted and an egress rule THEN the policy is Ingress and Egress', () => {
      expect(effectivePolicyTypes(networkPolicy({ name: 'p', namespace: 'x', egress: [allowTo()] }))).to.deep.equal(['ingress', 'egress']);
    });
    it('GIVEN policyTypes omitted and `egress: []` THEN the policy is Ingress only (an empty list is not "rules present")', () => {
      expect(effectivePolicyTypes(networkPolicy({ name: 'p', namespace: 'x', egress: [] }))).to.deep.equal(['ingress']);
    });
    it('GIVEN policyTypes [Egress] THEN ingress rules in the same policy are ignored', () => {
      expect(effectivePolicyTypes(networkPolicy({ name: 'p', namespace: 'x', policyTypes: ['Egress'] }))).to.deep.equal(['egress']);
      const sim = simulate([networkPolicy({ name: 'egress-only', namespace: 'x', policyTypes: ['Egress'], ingress: [], egress: [allowTo()] })], topology);
      new Expectation(topology).check(sim, 80, 'TCP');
    });

    it('GIVEN an egress-rule policy with policyTypes omitted THEN it also isolates ingress of the pods it selects', () => {
      // The trap: adding an egress rule without policyTypes makes the policy an ingress deny too.
      const sim = simulate([networkPolicy({ name: 'egress-80', namespace: 'x', podSelector: pod('a'), egress: [allowTo(undefined, [port.tcp(80)])] })], topology);
      new Expectation(topology).allIngress('x/a', false).check(sim, 80, 'TCP');
      new Expectation(topology).allIngress('x/a', false).allEgress('x/a', false).check(sim, 81, 'TCP');
    });
  });

  it('GIVEN a default-deny-ingress policy in x WHEN probing THEN nothing reaches x but x still reaches everyone (upstream default-deny-ingress)', () => {
    const sim = simulate([networkPolicy({ name: 'deny-ingress', namespace: 'x', policyTypes: ['Ingress'] })], topology);
    new Expectation(topology).peer({}, { ns: 'x' }, false).check(sim, 80, 'TCP');
    const why = sim.explain('y/a', 'x/b', 80, 'TCP');
    expect(why.blockedBy.map((p) => p.display)).to.deep.equal(['x/deny-ingress']);
    expect(why.reason).to.equal('blocked: ingress of x/b is isolated by x/deny-ingress and no rule allows y/a on 80/TCP');
  });

  it('GIVEN a deny-all policy with both types THEN x neither sends nor receives (upstream default-deny-all)', () => {
    const sim = simulate([networkPolicy({ name: 'deny-all', namespace: 'x', policyTypes: ['Ingress', 'Egress'] })], topology);
    new Expectation(topology).peer({}, { ns: 'x' }, false).peer({ ns: 'x' }, {}, false).check(sim, 80, 'TCP');
  });

  it('GIVEN `ingress: []` versus `ingress: [{}]` THEN the first allows nothing and the second allows everything', () => {
    const deny = simulate([networkPolicy({ name: 'p', namespace: 'x', ingress: [] })], topology);
    const allow = simulate([networkPolicy({ name: 'p', namespace: 'x', ingress: [allowFrom()] })], topology);
    expect(deny.outcome('y/a', 'x/a', 80, 'TCP')).to.equal('blocked');
    expect(allow.outcome('y/a', 'x/a', 80, 'TCP')).to.equal('allowed');
    expect(allow.outcome('z/c', 'x/b', 81, 'UDP')).to.equal('allowed');
  });

  it('GIVEN a rule whose `from` is an empty list THEN it matches all sources, like a missing `from` (API semantics)', () => {
    const emptyList = simulate([networkPolicy({ name: 'p', namespace: 'x', ingress: [allowFrom([], [port.tcp(80)])] })], topology);
    new Expectation(topology).check(emptyList, 80, 'TCP');
    new Expectation(topology).peer({}, { ns: 'x' }, false).check(emptyList, 81, 'TCP');
  });

  it('GIVEN a policy parsed from YAML (wire key `from`, not `_from`) THEN its peers are still honoured', () => {
    const rule = { from: [{ podSelector: { matchLabels: { pod: 'b' } } }] } as unknown as V1NetworkPolicyIngressRule;
    const sim = simulate([networkPolicy({ name: 'p', namespace: 'x', podSelector: pod('a'), ingress: [rule] })], topology);
    expect(sim.outcome('x/b', 'x/a', 80, 'TCP')).to.equal('allowed');
    expect(sim.outcome('x/c', 'x/a', 80, 'TCP')).to.equal('blocked');
  });

  it('GIVEN a policy whose podSelector picks x/a only THEN x/b and x/c stay open', () => {
    const sim = simulate([networkPolicy({ name: 'p', namespace: 'x', podSelector: pod('a'), ingress: [] })], topology);
    new Expectation(topology).allIngress('x/a', false).check(sim, 80, 'TCP');
  });

  it('GIVEN a policy in namespace y selecting pod=a THEN x/a (same labels, other namespace) is not affected', () => {
    const sim = simulate([networkPolicy({ name: 'p', namespace: 'y', podSelector: pod('a'), ingress: [] })], topology);
    new Expectation(topology).allIngress('y/a', false).check(sim, 80, 'TCP');
  });

  it('GIVEN a policy without podSelector THEN it selects every pod of its namespace (the field is required and defaults to {})', () => {
    const policy: V1NetworkPolicy = { metadata: { name: 'p', namespace: 'z' }, spec: { ingress: [] } };
    const sim = simulate([policy], topology);
    new Expectation(topology).peer({}, { ns: 'z' }, false).check(sim, 80, 'TCP');
  });

  describe('several policies combine as a union', () => {
    it('GIVEN a deny-all and an allow-to-a policy THEN x/a is open and x/b, x/c stay closed (upstream "allow ingress traffic for a target")', () => {
      const sim = simulate([
        networkPolicy({ name: 'deny-all', namespace: 'x', ingress: [] }),
        networkPolicy({ name: 'allow-all-to-a', namespace: 'x', podSelector: pod('a'), ingress: [allowFrom([peer.podsInNamespaces(select.all(), select.all())])] }),
      ], topology);
      new Expectation(topology).allIngress('x/b', false).allIngress('x/c', false).check(sim, 80, 'TCP');
    });

    it('GIVEN a port-80 allow then an allow-all policy THEN the allow-all one wins on 81 (upstream "allow-all taking precedence")', () => {
      const only80 = networkPolicy({ name: 'allow-80', namespace: 'x', ingress: [allowFrom(undefined, [port.number(80)])] });
      new Expectation(topology).peer({}, { ns: 'x' }, false).check(simulate([only80], topology), 81, 'TCP');
      const both = simulate([only80, networkPolicy({ name: 'allow-all', namespace: 'x', ingress: [allowFrom()] })], topology);
      new Expectation(topology).check(both, 81, 'TCP');
    });

    it('GIVEN two policies on x/a allowing y on 80 and z/c anywhere THEN the explanation names the policy and rule that matched', () => {
      const sim = simulate([
        networkPolicy({ name: 'allow-y-80', namespace: 'x', podSelector: pod('a'), ingress: [allowFrom([peer.namespaces(select.labels({ ns: 'y' }))], [port.tcp(80)])] }),
        networkPolicy({ name: 'allow-z-c', namespace: 'x', podSelector: pod('a'), ingress: [allowFrom([peer.pods(pod('x-only'))]), allowFrom([peer.podsInNamespaces(select.labels({ ns: 'z' }), pod('c'))])] }),
      ], topology);
      expect(sim.outcome('y/b', 'x/a', 80, 'TCP')).to.equal('allowed');
      expect(sim.outcome('y/b', 'x/a', 81, 'TCP')).to.equal('blocked');
      expect(sim.outcome('z/c', 'x/a', 81, 'TCP')).to.equal('allowed');
      expect(sim.outcome('z/b', 'x/a', 80, 'TCP')).to.equal('blocked');
      const why = sim.explain('z/c', 'x/a', 81, 'TCP');
      expect(why.ingress.isolatedBy.map((p) => p.display)).to.deep.equal(['x/allow-y-80', 'x/allow-z-c']);
      expect(why.ingress.allowedBy).to.have.length(1);
      expect(why.ingress.allowedBy[0]).to.deep.include({ ruleIndex: 1 });
      expect(why.reason).to.contain('ingress of x/a is allowed by x/allow-z-c rule 2');
    });
  });

  describe('egress and ingress must both allow', () => {
    it('GIVEN x/a may send only to y/a and y/a, y/b accept only x/a THEN x/a to y/b is blocked by egress (upstream "denying of egress traffic on the client side")', () => {
      const fromXA = [peer.podsInNamespaces(select.labels({ ns: 'x' }), pod('a'))];
      const sim = simulate([
        networkPolicy({ name: 'to-y-a', namespace: 'x', podSelector: pod('a'), egress: [allowTo([peer.podsInNamespaces(select.labels({ ns: 'y' }), pod('a'))])] }),
        networkPolicy({ name: 'a-from-x-a', namespace: 'y', podSelector: pod('a'), ingress: [allowFrom(fromXA)] }),
        networkPolicy({ name: 'b-from-x-a', namespace: 'y', podSelector: pod('b'), ingress: [allowFrom(fromXA)] }),
      ], topology);
      // Upstream's expectation, transcribed: x/a only reaches y/a; y/a and y/b accept only x/a;
      // the egress policy omits policyTypes, so it also isolates x/a's ingress.
      new Expectation(topology)
        .peer({ ns: 'x', pod: 'a' }, {}, false)
        .peer({}, { ns: 'y', pod: 'a' }, false)
        .peer({ ns: 'x', pod: 'a' }, { ns: 'y', pod: 'a' }, true)
        .peer({}, { ns: 'y', pod: 'b' }, false)
        .allIngress('x/a', false)
        .check(sim, 80, 'TCP', { skipLoopback: true });
      const why = sim.explain('x/a', 'y/b', 80, 'TCP');
      expect(why.ingress.outcome).to.equal('allowed');
      expect(why.egress.outcome).to.equal('blocked');
      expect(why.blockedBy.map((p) => p.display)).to.deep.equal(['x/to-y-a']);
    });

    it('GIVEN ingress and egress in one policy on x/a (80 out, from x/b in) THEN 81 egress from x/a is blocked but x/b still reaches x/a (upstream "Ingress, Egress specified together")', () => {
      const sim = simulate([networkPolicy({
        name: 'both', namespace: 'x', podSelector: pod('a'), policyTypes: ['Egress', 'Ingress'],
        ingress: [allowFrom([peer.pods(pod('b'))])], egress: [allowTo(undefined, [port.number(80)])],
      })], topology);
      new Expectation(topology).allIngress('x/a', false).set('x/b', 'x/a', true).check(sim, 80, 'TCP', { skipLoopback: true });
      new Expectation(topology).allIngress('x/a', false).allEgress('x/a', false).set('x/b', 'x/a', true).check(sim, 81, 'TCP', { skipLoopback: true });
    });

    it('GIVEN both directions block THEN blockedBy names the egress and the ingress policy', () => {
      const sim = simulate([
        networkPolicy({ name: 'no-egress', namespace: 'x', policyTypes: ['Egress'] }),
        networkPolicy({ name: 'no-ingress', namespace: 'y', policyTypes: ['Ingress'] }),
      ], topology);
      expect(sim.explain('x/a', 'y/a', 80, 'TCP').blockedBy.map((p) => p.display)).to.deep.equal(['x/no-egress', 'y/no-ingress']);
    });
  });

  describe('loopback and bad input', () => {
    it('GIVEN a deny-all ingress policy WHEN a pod probes itself THEN the cell follows the policy but is flagged as loopback', () => {
      const sim = simulate([networkPolicy({ name: 'deny', namespace: 'x', ingress: [] })], topology);
      const why = sim.explain('x/a', 'x/a', 80, 'TCP');
      expect(why.loopback).to.equal(true);
      expect(why.outcome).to.equal('blocked');
      expect(why.reason).to.match(/pod to itself/);
      expect(sim.explain('x/a', 'x/b', 80, 'TCP').loopback).to.equal(false);
    });

    it('GIVEN a policy without a namespace THEN building the simulator fails with the policy named', () => {
      expect(() => simulate([{ metadata: { name: 'lost' }, spec: {} }])).to.throw(/metadata.namespace.*lost/);
    });

    it('GIVEN an unknown pod or an external source THEN the simulator refuses with context', () => {
      const sim = simulate([], buildTopology({ externals: [{ name: 'meta', description: 'm', ip: '169.254.169.254' }] }));
      expect(() => sim.outcome('x/q', 'x/a', 80, 'TCP')).to.throw(/"x\/q" is neither a pod nor an external target/);
      expect(() => sim.outcome('meta', 'x/a', 80, 'TCP')).to.throw(/probes start in topology pods/);
    });

    it('GIVEN real run-scoped namespace names THEN policies are matched by the real name and displayed by the logical one', () => {
      const scoped = buildTopology({}, { namespaceName: (n) => `ka-run1-${n}` });
      const sim = simulate([networkPolicy({ name: 'deny', namespace: 'ka-run1-y', ingress: [] })], scoped);
      expect(sim.outcome('x/a', 'y/a', 80, 'TCP')).to.equal('blocked');
      expect(sim.explain('x/a', 'y/a', 80, 'TCP').blockedBy[0]).to.deep.equal({ namespace: 'ka-run1-y', name: 'deny', display: 'y/deny' });
      const logicalOnly = simulate([networkPolicy({ name: 'deny', namespace: 'y', ingress: [] })], scoped);
      expect(logicalOnly.outcome('x/a', 'y/a', 80, 'TCP')).to.equal('allowed');
    });
  });
});
