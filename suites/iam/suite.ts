// The IAM isolation suite: what a tenant pod can really obtain, proven by probes from pods with
// their own unprivileged identity: the node's cloud credentials, other tenants' objects, the
// API server and kubelets without credentials; plus a static audit of aws-auth.
import { grant } from '../../src/cluster/permissions.js';
import { defineSuite } from '../../src/harness/suite-definition.js';
import { IAM_CONFIG } from '../../src/iam/config.js';

export default defineSuite({
  name: 'iam',
  title: 'IAM isolation: cloud credentials, tenant namespaces, anonymous and kubelet access',
  config: IAM_CONFIG,
  permissions: [
    // Tenant identities: a ServiceAccount per check, and short-lived tokens of it (TokenRequest).
    ...grant('', 'serviceaccounts', ['create', 'get', 'list']),
    ...grant('', 'serviceaccounts', ['create'], 'token'),
    ...grant('', 'nodes', ['list']),
    ...grant('', 'namespaces', ['list']),
    // kube2iam/kiam are found by their DaemonSets (iam/role-annotation-scoping).
    ...grant('apps', 'daemonsets', ['list']),
    // aws-auth is read, never changed; who may edit it is read from RBAC.
    ...grant('', 'configmaps', ['get']),
    ...grant('rbac.authorization.k8s.io', 'clusterroles', ['list']),
    ...grant('rbac.authorization.k8s.io', 'clusterrolebindings', ['list']),
    ...grant('rbac.authorization.k8s.io', 'roles', ['list']),
    ...grant('rbac.authorization.k8s.io', 'rolebindings', ['list']),
    // iam/irsa-injection finds the IRSA webhook by its configuration (read only).
    ...grant('admissionregistration.k8s.io', 'mutatingwebhookconfigurations', ['list']),
  ],
});
