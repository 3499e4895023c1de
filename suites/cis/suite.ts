// The cis suite: CIS Kubernetes / EKS hardening, every node from its effective configuration.
import { grant } from '../../src/cluster/permissions.js';
import { CIS_CONFIG } from '../../src/cis/config.js';
import { CIS_TIMEOUTS } from '../../src/cis/timeouts.js';
import { defineSuite } from '../../src/harness/suite-definition.js';

export default defineSuite({
  name: 'cis',
  title: 'CIS hardening: every node, policies verified live',
  config: CIS_CONFIG,
  timeouts: CIS_TIMEOUTS,
  permissions: [
    // The kubelet's effective configuration (configz) is read through the API server's node
    // proxy. CIS 5.1.10 flags this very right; the report says the run holds it.
    ...grant('', 'nodes', ['get'], 'proxy'),
    // Policies: RBAC objects, what groups may do (asked of the authorizers), namespaces' policies.
    ...grant('rbac.authorization.k8s.io', 'clusterroles', ['list']),
    ...grant('rbac.authorization.k8s.io', 'roles', ['list']),
    ...grant('rbac.authorization.k8s.io', 'clusterrolebindings', ['list']),
    ...grant('rbac.authorization.k8s.io', 'rolebindings', ['list']),
    ...grant('authorization.k8s.io', 'subjectaccessreviews', ['create']),
    ...grant('networking.k8s.io', 'networkpolicies', ['list']),
    ...grant('', 'services', ['list']),
  ],
});
