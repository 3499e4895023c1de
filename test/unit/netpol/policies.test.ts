import { expect } from 'chai';
import { allowFrom, allowTo, fromManifest, ingressPeers, networkPolicy, peer, policyKey, port, select, toManifest } from '../../../src/netpol/policies.js';
import { policyProblems } from '../../../src/netpol/validate.js';

describe('netpol policy builders and validation', () => {
  const policy = networkPolicy({
    name: 'allow-y', namespace: 'x', podSelector: select.labels({ pod: 'a' }),
    ingress: [allowFrom([peer.namespaces(select.labels({ ns: 'y' }))], [port.tcp(80)])],
  });

  it('GIVEN builder input THEN the object is a NetworkPolicy with policyTypes left to the API default', () => {
    expect(policy.kind).to.equal('NetworkPolicy');
    expect(policy.apiVersion).to.equal('networking.k8s.io/v1');
    expect(policy.spec?.policyTypes).to.equal(undefined);
    expect(policy.spec?.egress).to.equal(undefined);
    expect(policyKey(policy)).to.equal('x/allow-y');
    expect(networkPolicy({ name: 'n', namespace: 'x' }).spec?.podSelector).to.deep.equal({});
  });

  it('GIVEN rules without peers or ports THEN the fields are absent (all peers, all ports), not empty lists', () => {
    expect(allowFrom()).to.deep.equal({});
    expect(allowTo()).to.deep.equal({});
    expect(allowTo([peer.ipBlock('10.0.0.0/8', ['10.1.0.0/16'])])).to.deep.equal({ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] });
  });

  it('GIVEN a typed policy THEN toManifest writes `from` (wire shape) and fromManifest reads it back', () => {
    const manifest = toManifest(policy);
    expect(JSON.stringify(manifest)).to.not.contain('_from');
    const spec = manifest['spec'] as { ingress: Array<Record<string, unknown>> };
    expect(spec.ingress[0]?.['from']).to.deep.equal([{ namespaceSelector: { matchLabels: { ns: 'y' } } }]);
    expect(fromManifest(manifest)).to.deep.equal(policy);
    expect(() => fromManifest({ kind: 'Pod' })).to.throw(/kind NetworkPolicy/);
  });

  it('GIVEN either shape THEN ingressPeers finds the peers; none means all sources (undefined)', () => {
    expect(ingressPeers({ _from: [peer.pods(select.all())] })).to.deep.equal([{ podSelector: {} }]);
    expect(ingressPeers(fromManifest(toManifest(policy)).spec?.ingress?.[0] ?? {})).to.have.length(1);
    expect(ingressPeers({})).to.equal(undefined);
  });

  it('GIVEN a valid policy THEN there are no problems', () => {
    expect(policyProblems(policy)).to.deep.equal([]);
    expect(policyProblems(networkPolicy({ name: 'r', namespace: 'x', policyTypes: ['Egress'], egress: [allowTo([peer.ipBlock('0.0.0.0/0', ['169.254.169.254/32'])], [port.range(80, 90), port.named('serve-80-tcp')])] }))).to.deep.equal([]);
  });

  it('GIVEN each mistake the API server rejects THEN policyProblems names it', () => {
    const cases: Array<[string, Parameters<typeof networkPolicy>[0]]> = [
      ['a peer must set', { name: 'p', namespace: 'x', ingress: [allowFrom([{}])] }],
      ['cannot be combined', { name: 'p', namespace: 'x', ingress: [allowFrom([{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }])] }],
      ['is not a CIDR', { name: 'p', namespace: 'x', egress: [allowTo([peer.ipBlock('10.0.0.0/40')])] }],
      ['strict subset', { name: 'p', namespace: 'x', egress: [allowTo([peer.ipBlock('10.0.0.0/16', ['10.1.0.0/24'])])] }],
      ['strict subset', { name: 'p', namespace: 'x', egress: [allowTo([peer.ipBlock('10.0.0.0/16', ['10.0.0.0/16'])])] }],
      ['endPort needs a numeric port', { name: 'p', namespace: 'x', ingress: [allowFrom(undefined, [{ port: 'http', endPort: 90 }])] }],
      ['must be between port', { name: 'p', namespace: 'x', ingress: [allowFrom(undefined, [port.range(90, 80)])] }],
      ['out of range', { name: 'p', namespace: 'x', ingress: [allowFrom(undefined, [port.tcp(70000)])] }],
      ['not a valid port name', { name: 'p', namespace: 'x', ingress: [allowFrom(undefined, [port.named('Serve_80')])] }],
      ['not a valid port name', { name: 'p', namespace: 'x', ingress: [allowFrom(undefined, [port.named('a-very-long-port-name')])] }],
      ['is not TCP, UDP or SCTP', { name: 'p', namespace: 'x', ingress: [allowFrom(undefined, [{ protocol: 'ICMP', port: 1 }])] }],
      ['needs at least one value', { name: 'p', namespace: 'x', podSelector: { matchExpressions: [{ key: 'a', operator: 'In' }] } }],
    ];
    for (const [problem, init] of cases) {
      expect(policyProblems(networkPolicy(init)).join('; '), problem).to.contain(problem);
    }
    expect(policyProblems({ spec: { policyTypes: ['Ingress', 'Ingress', 'Both'] } })).to.have.members([
      '?/?: metadata.name is required', '?/?: metadata.namespace is required',
      '?/?: policyType "Both" is not Ingress or Egress', '?/?: policyTypes has duplicates',
    ]);
  });
});
