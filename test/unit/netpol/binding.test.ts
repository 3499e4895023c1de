import { expect } from 'chai';
import { bindPolicies, placeholder, policyChanges } from '../../../src/netpol/binding.js';
import { allowFrom, allowTo, networkPolicy, peer, select } from '../../../src/netpol/policies.js';
import { buildTopology, NAMESPACE_NAME_LABEL, withIPs } from '../../../src/netpol/topology.js';

describe('netpol binding scenario policies to one run', () => {
  const topology = withIPs(buildTopology({}, { namespaceName: (n) => `ka-run-${n}` }), { 'x/a': '10.0.1.1', 'y/b': '10.0.2.2' });
  const authored = networkPolicy({
    name: 'cidr', namespace: 'x', podSelector: select.labels({ pod: 'a' }),
    ingress: [allowFrom([peer.namespaces(select.labels({ [NAMESPACE_NAME_LABEL]: placeholder.namespace('y') }))])],
    egress: [allowTo([peer.ipBlock(placeholder.net('x/a', 16), [placeholder.host('y/b')])])],
    labels: { team: 'net' },
  });

  it('GIVEN logical names and placeholders THEN binding gives real namespaces, resolved addresses and run labels', () => {
    const [bound] = bindPolicies([authored], topology, { labels: { 'kube-assay.io/run-id': 'run' } });
    expect(bound?.metadata).to.deep.equal({ name: 'cidr', namespace: 'ka-run-x', labels: { team: 'net', 'kube-assay.io/run-id': 'run' } });
    expect(bound?.spec?.egress?.[0]?.to?.[0]?.ipBlock).to.deep.equal({ cidr: '10.0.0.0/16', except: ['10.0.2.2/32'] });
    expect(bound?.spec?.ingress?.[0]?._from?.[0]?.namespaceSelector?.matchLabels).to.deep.equal({ [NAMESPACE_NAME_LABEL]: 'ka-run-y' });
    expect(authored.metadata?.namespace).to.equal('x');
    expect(authored.spec?.egress?.[0]?.to?.[0]?.ipBlock?.cidr).to.equal('{{net x/a 16}}');
  });

  it('GIVEN an address that is not known yet THEN binding fails naming the policy and the pod', () => {
    const noIPs = buildTopology();
    expect(() => bindPolicies([authored], noIPs)).to.throw('bind policy x/cidr: bind: the IP of x/a is not known yet');
  });

  it('GIVEN an unknown placeholder, pod or namespace THEN binding fails with the reason', () => {
    const bad = (cidr: string) => networkPolicy({ name: 'p', namespace: 'x', egress: [allowTo([peer.ipBlock(cidr)])] });
    expect(() => bindPolicies([bad('{{pod x/a}}')], topology)).to.throw(/unknown placeholder/);
    expect(() => bindPolicies([bad('{{host q/q}}')], topology)).to.throw(/"q\/q" is neither/);
    expect(() => bindPolicies([bad('{{net x/a}}')], topology)).to.throw(/needs a prefix/);
    expect(() => bindPolicies([networkPolicy({ name: 'p', namespace: 'w' })], topology)).to.throw(/no namespace "w"/);
  });

  describe('policyChanges between steps', () => {
    const allowAll = networkPolicy({ name: 'p', namespace: 'x', ingress: [allowFrom()] });
    const denyAll = networkPolicy({ name: 'p', namespace: 'x', ingress: [] });
    const other = networkPolicy({ name: 'q', namespace: 'x' });

    it('GIVEN nothing, then a policy THEN it is created', () => {
      expect(policyChanges([], [allowAll])).to.deep.equal({ create: [allowAll], update: [], delete: [] });
    });
    it('GIVEN the same name with a different spec THEN it is updated, not recreated', () => {
      expect(policyChanges([allowAll, other], [denyAll, other])).to.deep.equal({ create: [], update: [denyAll], delete: [] });
    });
    it('GIVEN a policy that is gone from the next step THEN it is deleted', () => {
      expect(policyChanges([allowAll, other], [other])).to.deep.equal({ create: [], update: [], delete: [{ namespace: 'x', name: 'p' }] });
    });
    it('GIVEN equal specs built with keys in another order THEN nothing changes', () => {
      const reordered = { metadata: { namespace: 'x', name: 'p' }, spec: { ingress: [{}], podSelector: {} } };
      expect(policyChanges([allowAll], [reordered])).to.deep.equal({ create: [], update: [], delete: [] });
    });
  });
});
