import { expect } from 'chai';
import { describeFailedLookups, parseResolvConf, resolverCandidates, type PeerLookup } from '../../../src/statefulset/dns.js';

const podResolvConf = 'search ns1.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n';

describe('statefulset: resolving peers like the C library', () => {
  it('GIVEN a pod resolv.conf THEN nameserver, search list and ndots are read', () => {
    expect(parseResolvConf(podResolvConf)).to.deep.equal({ nameservers: ['10.96.0.10'], search: ['ns1.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], ndots: 5 });
  });

  it('GIVEN several search/domain lines THEN the last wins; missing ndots is 1', () => {
    expect(parseResolvConf('domain a.example\nsearch b.example c.example\n')).to.deep.equal({ nameservers: [], search: ['b.example', 'c.example'], ndots: 1 });
    expect(parseResolvConf('search b.example\ndomain a.example\n').search).to.deep.equal(['a.example']);
  });

  it('GIVEN a short name with fewer dots than ndots THEN the search list is tried first, then the name itself', () => {
    expect(resolverCandidates('web-1.web', parseResolvConf(podResolvConf))).to.deep.equal([
      'web-1.web.ns1.svc.cluster.local.',
      'web-1.web.svc.cluster.local.',
      'web-1.web.cluster.local.',
      'web-1.web.',
    ]);
  });

  it('GIVEN a name with at least ndots dots THEN it is tried as is first', () => {
    const conf = { nameservers: [], search: ['a.example'], ndots: 1 };
    expect(resolverCandidates('web-1.web', conf)).to.deep.equal(['web-1.web.', 'web-1.web.a.example.']);
  });

  it('GIVEN a name ending in a dot THEN only that name is tried', () => {
    expect(resolverCandidates('web-1.web.ns1.svc.cluster.local.', parseResolvConf(podResolvConf))).to.deep.equal(['web-1.web.ns1.svc.cluster.local.']);
  });

  it('GIVEN failed lookups THEN one sentence names the first in full and counts the rest', () => {
    const lookup = (name: string, ok: boolean): PeerLookup => ({ from: 'web-0', name, expected: '10.0.0.2', ok, problem: ok ? undefined : 'said ";; connection timed out; no servers could be reached"', reproduce: '' });
    expect(describeFailedLookups([lookup('a', true)], '10.96.0.10', 'dnsResolve (30s)')).to.equal('');
    expect(describeFailedLookups([lookup('a', true), lookup('web-1.web', false), lookup('b', false)], '10.96.0.10', 'dnsResolve (30s)')).to.equal(
      'cluster DNS (nameserver 10.96.0.10) did not resolve web-1.web from web-0 to 10.0.0.2, the pod\'s IP, within dnsResolve (30s): the resolver said ";; connection timed out; no servers could be reached"; 1 more of 3 lookups failed too',
    );
  });
});
