import { expect } from 'chai';
import type { V1ClusterRole, V1ClusterRoleBinding, V1Role, V1RoleBinding } from '@kubernetes/client-node';
import { awsAuthEditors } from '../../../src/iam/aws-auth-editors.js';

const defaults = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
const clusterRoles: V1ClusterRole[] = [
  { metadata: { name: 'cluster-admin', labels: defaults }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] },
  { metadata: { name: 'cm-editor' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'update'] }] },
  { metadata: { name: 'cm-reader' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }] },
  { metadata: { name: 'other-cm' }, rules: [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['kube-proxy'], verbs: ['update'] }] },
];
const roles: V1Role[] = [
  { metadata: { name: 'aws-auth-patcher', namespace: 'kube-system' }, rules: [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['aws-auth'], verbs: ['patch'] }] },
  { metadata: { name: 'aws-auth-patcher', namespace: 'team-a' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['*'] }] },
];
const crb = (name: string, role: string, subject: string, labels?: Record<string, string>): V1ClusterRoleBinding => ({
  metadata: { name, ...(labels ? { labels } : {}) },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
  subjects: [{ kind: 'Group', name: subject }],
});
const clusterRoleBindings = [crb('cluster-admin', 'cluster-admin', 'system:masters', defaults), crb('ops', 'cm-editor', 'ops'), crb('readers', 'cm-reader', 'everyone'), crb('proxy', 'other-cm', 'proxy-admins')];
const roleBindings: V1RoleBinding[] = [
  { metadata: { name: 'ci', namespace: 'kube-system' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'aws-auth-patcher' }, subjects: [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'ci' }] },
  { metadata: { name: 'team', namespace: 'team-a' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'aws-auth-patcher' }, subjects: [{ kind: 'User', name: 'alice' }] },
];

describe('iam: who may edit kube-system/aws-auth', () => {
  const editors = awsAuthEditors({ clusterRoles, roles, clusterRoleBindings, roleBindings });

  it('GIVEN cluster-wide and kube-system bindings THEN every subject that can update, patch or delete the ConfigMap is listed, Kubernetes\' own last', () => {
    expect(editors.map((e) => [e.subject, e.via, e.verbs.join(','), e.builtIn])).to.deep.equal([
      ['Group:ops', 'ClusterRoleBinding/ops -> ClusterRole/cm-editor', 'update', false],
      ['ServiceAccount:ci/deployer', 'RoleBinding kube-system/ci -> Role/aws-auth-patcher', 'patch', false],
      ['Group:system:masters', 'ClusterRoleBinding/cluster-admin -> ClusterRole/cluster-admin', 'update,patch,delete', true],
    ]);
  });

  it('GIVEN read-only rights, a rule naming another ConfigMap, or edit rights in another namespace THEN those subjects are not editors', () => {
    const subjects = editors.map((e) => e.subject);
    expect(subjects).to.not.include('Group:everyone');
    expect(subjects).to.not.include('Group:proxy-admins');
    expect(subjects).to.not.include('User:alice');
  });
});
