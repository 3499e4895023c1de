import { expect } from 'chai';
import { judgeProbe } from '../../../src/cis/pod-security.js';
import { audited, groupAccess, namespaceFacts, podFacts, reviewedGroups } from '../../../src/cis/policies.js';
import { bindingFacts, capabilitiesOf, type BindingFact } from '../../../src/cis/rbac.js';

const builtInLabels = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };

describe('cis: RBAC capabilities of a role', () => {
  it('GIVEN wildcards, subresources and resourceNames THEN each capability is matched as the authorizer would', () => {
    expect(capabilitiesOf([{ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] }])).to.include({ nodesProxy: true, wildcard: false, secretsRead: false });
    expect(capabilitiesOf([{ apiGroups: [''], resources: ['nodes/*'], verbs: ['get'] }])).to.include({ nodesProxy: true });
    expect(capabilitiesOf([{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }])).to.include({ nodesProxy: false });
    expect(capabilitiesOf([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }])).to.include({ wildcard: true, bind: true, tokenCreate: true, webhookWrite: true, csrApproval: true });
    // A rule limited to named objects grants only those.
    expect(capabilitiesOf([{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['one'] }])).to.include({ secretsRead: false });
    expect(capabilitiesOf([{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['escalate'] }])).to.include({ escalate: true, bind: false });
  });

  it('GIVEN built-in, kubeadm, kube-assay, allow-listed and other bindings THEN each is marked as such', () => {
    const facts = bindingFacts(
      {
        clusterRoles: [
          { metadata: { name: 'cluster-admin', labels: builtInLabels }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] },
          { metadata: { name: 'kube-assay', labels: { 'app.kubernetes.io/name': 'kube-assay' } }, rules: [{ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] }] },
        ],
        roles: [],
        clusterRoleBindings: [
          { metadata: { name: 'cluster-admin', labels: builtInLabels }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'Group', name: 'system:masters' }] },
          { metadata: { name: 'kubeadm:cluster-admins' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'Group', name: 'kubeadm:cluster-admins' }] },
          { metadata: { name: 'kubeadm:cluster-admins-too' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'Group', name: 'kubeadm:cluster-admins' }] },
          { metadata: { name: 'apiserver-kubelet' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:kubelet-api-admin' }, subjects: [{ kind: 'User', name: 'kube-apiserver-kubelet-client' }] },
          { metadata: { name: 'kubelet-api-too' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:kubelet-api-admin' }, subjects: [{ kind: 'User', name: 'kube-apiserver-kubelet-client' }, { kind: 'User', name: 'mallory' }] },
          { metadata: { name: 'kube-assay', labels: { 'app.kubernetes.io/name': 'kube-assay' } }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'kube-assay' }, subjects: [{ kind: 'ServiceAccount', name: 'runner', namespace: 'ka' }] },
        ],
        roleBindings: [{ metadata: { name: 'ci', namespace: 'apps' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'ServiceAccount', name: 'deployer' }] }],
      },
      ['ServiceAccount:apps/deployer'],
    );
    const row = (f: (typeof facts)[number]) => {
      const d = f.data as BindingFact;
      return `${f.namespace ?? ''}/${f.name} builtIn=${d.builtIn} own=${d.ownRun} allowed=${d.allowListed} admin=${d.clusterAdmin} proxy=${d.capabilities.nodesProxy}`;
    };
    expect(facts.map(row)).to.deep.equal([
      '/cluster-admin builtIn=true own=false allowed=false admin=true proxy=true',
      '/kubeadm:cluster-admins builtIn=true own=false allowed=false admin=true proxy=true',
      '/kubeadm:cluster-admins-too builtIn=false own=false allowed=false admin=true proxy=true',
      // The role is not in the list, so its capabilities are unknown (none); what counts is the recognition.
      '/apiserver-kubelet builtIn=true own=false allowed=false admin=false proxy=false',
      '/kubelet-api-too builtIn=false own=false allowed=false admin=false proxy=false',
      '/kube-assay builtIn=false own=true allowed=false admin=false proxy=true',
      // A RoleBinding's ServiceAccount without a namespace is in the binding's namespace.
      'apps/ci builtIn=false own=false allowed=true admin=true proxy=true',
    ]);
  });
});

describe('cis: namespaces, pods and access reviews', () => {
  const ns = (name: string, labels: Record<string, string> = {}, annotations?: Record<string, string>) => ({ metadata: { name, labels, ...(annotations === undefined ? {} : { annotations }) } });
  const ours = { 'app.kubernetes.io/managed-by': 'kube-assay', 'kube-assay.io/run-id': 'r1' };

  it("GIVEN a run's check namespace, its runner namespace and a test's labelled namespace THEN only the test's is audited", () => {
    expect(audited(ns('ka-run', ours, { 'kube-assay.io/check-id': 'cis/x' }), { excluded: [] })).to.equal(false);
    expect(audited(ns('ka-runner', { ...ours, 'kube-assay.io/runner': 'true' }), { excluded: [] })).to.equal(false);
    // A cluster test's namespace carries our labels (so a crashed test is swept) but names no check.
    expect(audited(ns('ka-cis-test', ours), { excluded: [] })).to.equal(true);
    expect(audited(ns('ka-cis-test', ours), { excluded: ['ka-cis-test'] })).to.equal(false);
  });

  it("GIVEN excluded and kube-assay's own namespaces THEN neither is audited, and pods carry their namespace's level", () => {
    const owned = ns('ka-run', ours, { 'kube-assay.io/check-id': 'cis/x' });
    const facts = namespaceFacts([ns('apps', { 'pod-security.kubernetes.io/enforce': 'restricted' }), ns('skip-me'), owned], { policies: new Map([['apps', 2]]), pods: new Map(), services: new Map() }, { excluded: ['skip-me'] });
    expect(facts.map((f) => [f.name, (f.data as { networkPolicies: number }).networkPolicies])).to.deep.equal([['apps', 2]]);
    const pods = podFacts([{ metadata: { name: 'p', namespace: 'apps' } }, { metadata: { name: 'q', namespace: 'ka-run' } }], new Map([['apps', 'restricted']]));
    expect(pods.map((p) => [p.namespace, p.name, (p.data as { podSecurityLevel: string }).podSecurityLevel])).to.deep.equal([['apps', 'p', 'restricted']]);
  });

  it('GIVEN the namespaces THEN every broad group and each namespace group is reviewed for secrets and pods', async () => {
    expect(reviewedGroups(['apps'])).to.deep.equal(['system:authenticated', 'system:unauthenticated', 'system:serviceaccounts', 'system:serviceaccounts:apps']);
    const asked: string[] = [];
    const facts = await groupAccess(['system:authenticated', 'system:serviceaccounts:apps'], async (group, verb, resource) => (asked.push(`${group} ${verb} ${resource}`), group.endsWith(':apps') && verb === 'list'), 2);
    expect(asked).to.have.length(8);
    expect(facts.map((f) => f.data)).to.deep.equal([
      { group: 'system:authenticated', secrets: { get: false, list: false, watch: false }, pods: { create: false } },
      { group: 'system:serviceaccounts:apps', secrets: { get: false, list: true, watch: false }, pods: { create: false } },
    ]);
  });
});

describe('cis: the live Pod Security probe', () => {
  const refused = { admitted: false as const, status: 403, message: 'pods "privileged-probe" is forbidden: violates PodSecurity "restricted:latest": privileged' };
  it('GIVEN the privileged pod refused by Pod Security and the compliant one admitted THEN no problem', () => {
    expect(judgeProbe(refused, { admitted: true }, 'ns')).to.equal(undefined);
  });
  it('GIVEN the privileged pod admitted THEN enforcement is missing', () => {
    expect(judgeProbe({ admitted: true }, { admitted: true }, 'ns')).to.match(/was admitted: Pod Security admission is not enforcing$/);
  });
  it('GIVEN a refusal that is not from Pod Security, or everything refused THEN the probe says it proves nothing', () => {
    expect(judgeProbe({ admitted: false, status: 403, message: 'quota exceeded' }, { admitted: true }, 'ns')).to.contain('not by Pod Security');
    expect(judgeProbe(refused, { admitted: false, status: 403, message: 'denied by webhook' }, 'ns')).to.contain('cannot tell enforcement from refusing everything');
  });
});
