import { expect } from 'chai';
import { namespacePatternMatches } from '../../../src/cluster/namespaces.js';
import type { V1Namespace, V1Pod } from '@kubernetes/client-node';
import {
  isDefaultDenyEgress, isDefaultDenyIngress, nameList, namespacesWithoutDefaultDeny, podsNotIsolatedForIngress,
  policiesSelectingNoPods, selectNamespaces, type AuditInput,
} from '../../../src/netpol/audit.js';
import { allowFrom, allowTo, networkPolicy, peer, port, select } from '../../../src/netpol/policies.js';

const ns = (name: string, labels: Record<string, string> = {}, terminating = false): V1Namespace => ({
  metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels }, ...(terminating ? { deletionTimestamp: new Date() } : {}) },
});
const pod = (namespace: string, name: string, labels: Record<string, string>, extra: { phase?: string; hostNetwork?: boolean } = {}): V1Pod => ({
  metadata: { namespace, name, labels },
  spec: { containers: [], ...(extra.hostNetwork ? { hostNetwork: true } : {}) },
  status: { phase: extra.phase ?? 'Running' },
});
const ours = { 'app.kubernetes.io/managed-by': 'kube-assay', 'kube-assay.io/run-id': 'r1' };

describe('netpol audit (pure)', () => {
  describe('which namespaces are audited', () => {
    it('GIVEN system, kube-assay, terminating and excluded namespaces THEN only the rest is audited, each exclusion with its reason', () => {
      const selection = selectNamespaces(
        [ns('kube-system'), ns('kube-public'), ns('kube-node-lease'), ns('shop'), ns('ka-netpol-x', ours), ns('old', {}, true), ns('monitoring-a'), ns('monitoring-b'), ns('billing')],
        ['monitoring-*'],
      );
      expect(selection.audited).to.deep.equal(['billing', 'shop']);
      expect(Object.fromEntries(selection.excluded.map((e) => [e.namespace, e.reason]))).to.deep.equal({
        'kube-system': 'system namespace', 'kube-public': 'system namespace', 'kube-node-lease': 'system namespace',
        'ka-netpol-x': 'created by kube-assay', old: 'being deleted',
        'monitoring-a': 'excluded by netpol.excludeNamespaces "monitoring-*"', 'monitoring-b': 'excluded by netpol.excludeNamespaces "monitoring-*"',
      });
    });

    it('GIVEN wildcard patterns THEN * matches any run and everything else is literal (dots are not regex)', () => {
      expect(namespacePatternMatches('team-*-prod', 'team-a-prod')).to.equal(true);
      expect(namespacePatternMatches('team-*-prod', 'team-a-dev')).to.equal(false);
      expect(namespacePatternMatches('a.b', 'axb')).to.equal(false);
      expect(namespacePatternMatches('shop', 'shop2')).to.equal(false);
      expect(namespacePatternMatches('*', 'anything')).to.equal(true);
    });
  });

  describe('default-deny detection', () => {
    it('GIVEN the classic default-deny THEN it counts, for ingress and (with Egress type) for egress', () => {
      expect(isDefaultDenyIngress(networkPolicy({ name: 'd', namespace: 's' }))).to.equal(true);
      expect(isDefaultDenyIngress(networkPolicy({ name: 'd', namespace: 's', policyTypes: ['Ingress'] }))).to.equal(true);
      expect(isDefaultDenyEgress(networkPolicy({ name: 'd', namespace: 's', policyTypes: ['Egress'] }))).to.equal(true);
      expect(isDefaultDenyIngress(networkPolicy({ name: 'd', namespace: 's', policyTypes: ['Egress'] }))).to.equal(false);
    });

    it('GIVEN an all-pods policy with specific allow rules THEN it still isolates every pod: default-deny', () => {
      const policy = networkPolicy({ name: 'd', namespace: 's', ingress: [allowFrom([peer.pods(select.labels({ app: 'web' }))], [port.tcp(80)])] });
      expect(isDefaultDenyIngress(policy)).to.equal(true);
    });

    it('GIVEN an all-pods policy with an allow-everything rule, or a policy for some pods only THEN it is not default-deny', () => {
      expect(isDefaultDenyIngress(networkPolicy({ name: 'open', namespace: 's', ingress: [allowFrom()] }))).to.equal(false);
      expect(isDefaultDenyIngress(networkPolicy({ name: 'db', namespace: 's', podSelector: select.labels({ app: 'db' }), policyTypes: ['Ingress'] }))).to.equal(false);
      expect(isDefaultDenyEgress(networkPolicy({ name: 'open', namespace: 's', policyTypes: ['Egress'], egress: [allowTo()] }))).to.equal(false);
      // A rule with ports only still restricts: allows every peer but only on 443.
      expect(isDefaultDenyIngress(networkPolicy({ name: 'https', namespace: 's', ingress: [allowFrom(undefined, [port.tcp(443)])] }))).to.equal(true);
    });

    it('GIVEN namespaces with and without default-deny THEN the missing ones are listed with pod and policy counts', () => {
      const input: AuditInput = {
        namespaces: [ns('shop'), ns('blog')],
        policies: [
          networkPolicy({ name: 'default-deny', namespace: 'shop', policyTypes: ['Ingress', 'Egress'] }),
          networkPolicy({ name: 'db-only', namespace: 'blog', podSelector: select.labels({ app: 'db' }), policyTypes: ['Ingress'] }),
        ],
        pods: [pod('shop', 'web', { app: 'web' }), pod('blog', 'db', { app: 'db' }), pod('blog', 'web', { app: 'web' }), pod('blog', 'job', {}, { phase: 'Succeeded' })],
      };
      expect(namespacesWithoutDefaultDeny(input, ['blog', 'shop'])).to.deep.equal([{ namespace: 'blog', pods: 2, policies: 1, egressDefaultDeny: false }]);
    });
  });

  describe('policies selecting no pods', () => {
    const input: AuditInput = {
      namespaces: [ns('shop'), ns('empty')],
      policies: [
        networkPolicy({ name: 'typo', namespace: 'shop', podSelector: select.labels({ app: 'frontedn' }), policyTypes: ['Ingress'] }),
        networkPolicy({ name: 'web', namespace: 'shop', podSelector: select.labels({ app: 'web' }), policyTypes: ['Ingress'] }),
        networkPolicy({ name: 'default-deny', namespace: 'empty', policyTypes: ['Ingress'] }),
        networkPolicy({ name: 'only-finished', namespace: 'shop', podSelector: select.labels({ app: 'batch' }), policyTypes: ['Ingress'] }),
        networkPolicy({ name: 'host', namespace: 'shop', podSelector: select.labels({ app: 'agent' }), policyTypes: ['Ingress'] }),
      ],
      pods: [pod('shop', 'web-1', { app: 'web' }), pod('shop', 'batch-1', { app: 'batch' }, { phase: 'Failed' }), pod('shop', 'agent-1', { app: 'agent' }, { hostNetwork: true })],
    };

    it('GIVEN a selector with a typo, one matching only finished or host-network pods THEN each is reported with its selector', () => {
      expect(policiesSelectingNoPods(input, ['empty', 'shop'])).to.deep.equal([
        { namespace: 'shop', policy: 'typo', selector: 'app=frontedn' },
        { namespace: 'shop', policy: 'only-finished', selector: 'app=batch' },
        { namespace: 'shop', policy: 'host', selector: 'app=agent' },
      ]);
    });

    it('GIVEN a default-deny (empty selector) in a namespace without pods THEN it is not reported: it is good practice', () => {
      expect(policiesSelectingNoPods(input, ['empty', 'shop']).map((p) => p.policy)).not.to.include('default-deny');
    });

    it('GIVEN a namespace that is not audited THEN its policies are ignored', () => {
      expect(policiesSelectingNoPods(input, ['empty'])).to.deep.equal([]);
      expect(policiesSelectingNoPods(input, ['shop'])).to.have.length(3);
    });
  });

  describe('pods not isolated for ingress', () => {
    it('GIVEN a namespace with an ingress policy for db only THEN web (not selected) is reported, db is not', () => {
      const input: AuditInput = {
        namespaces: [ns('shop')],
        policies: [networkPolicy({ name: 'db', namespace: 'shop', podSelector: select.labels({ app: 'db' }), ingress: [allowFrom([peer.pods(select.labels({ app: 'web' }))])] })],
        pods: [pod('shop', 'db-0', { app: 'db' }), pod('shop', 'web-1', { app: 'web', tier: 'front' })],
      };
      expect(podsNotIsolatedForIngress(input, ['shop'])).to.deep.equal([{ namespace: 'shop', pod: 'web-1', labels: 'app=web,tier=front', policies: ['db'] }]);
    });

    it('GIVEN a namespace with egress policies only, or no policy THEN it claims no ingress isolation and nothing is reported', () => {
      const input: AuditInput = {
        namespaces: [ns('a'), ns('b')],
        policies: [networkPolicy({ name: 'egress', namespace: 'a', policyTypes: ['Egress'] })],
        pods: [pod('a', 'p', {}), pod('b', 'q', {})],
      };
      expect(podsNotIsolatedForIngress(input, ['a', 'b'])).to.deep.equal([]);
    });

    it('GIVEN a default-deny ingress THEN every pod is selected and nothing is reported; host-network pods never count', () => {
      const input: AuditInput = {
        namespaces: [ns('a')],
        policies: [networkPolicy({ name: 'dd', namespace: 'a', policyTypes: ['Ingress'] }), networkPolicy({ name: 'x', namespace: 'a', podSelector: select.labels({ x: '1' }) })],
        pods: [pod('a', 'p', {}), pod('a', 'h', {}, { hostNetwork: true })],
      };
      expect(podsNotIsolatedForIngress(input, ['a'])).to.deep.equal([]);
    });
  });

  it('GIVEN many names THEN the list is cut after five with a count', () => {
    expect(nameList(['a', 'b'])).to.equal('a, b');
    expect(nameList(['a', 'b', 'c', 'd', 'e', 'f', 'g'])).to.equal('a, b, c, d, e and 2 more');
  });
});
