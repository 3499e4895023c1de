// Network policy audit (read-only, on the user's own namespaces) and the user's own
// expectations (opt-in). Separate from the probe lab, so `--grep netpol/audit` starts no pods.
import { check, suite } from '../../src/harness/index.js';
import netpol from './suite.js';
import { auditDefaultDeny, auditExposedPods, auditIdlePolicies } from '../../src/netpol/cluster-audit.js';
import { checkUserExpectations } from '../../src/netpol/cluster-expectations.js';

suite(netpol, () => {
  check('netpol/audit-default-deny', 'Every application namespace has a default-deny ingress policy (warns)', auditDefaultDeny, {
    namespace: false, retryable: true, tags: ['netpol', 'audit'],
    remediation: 'Add a policy selecting all pods (podSelector: {}) with policyTypes [Ingress] and no rules to each namespace listed, then allow what it needs explicitly; ' +
      'list namespaces that are meant to stay open under netpol.excludeNamespaces in the config.',
  });

  check('netpol/audit-idle-policies', 'Every network policy selects at least one pod (warns)', auditIdlePolicies, {
    namespace: false, retryable: true, tags: ['netpol', 'audit'],
    remediation: 'Compare each podSelector listed with the labels of the pods it was written for (kubectl get pods --show-labels); fix the selector or delete the stale policy.',
  });

  check('netpol/audit-unisolated-pods', 'In namespaces with ingress policies, every pod is selected by one', auditExposedPods, {
    namespace: false, retryable: true, tags: ['netpol', 'audit', 'security'],
    remediation: 'These pods accept traffic from anywhere while their neighbours are isolated: add a default-deny ingress policy to the namespace, or widen a policy\'s podSelector to cover them.',
  });

  check('netpol/user-expectations', 'Reachability between your own workloads is what your expectations file states', checkUserExpectations, {
    namespace: false, tags: ['netpol', 'expectations'],
    remediation: 'For each expectation that does not hold, find the policies selecting the destination (ingress) and the source (egress) and the rule that should decide it; ' +
      're-run the probe with its reproduce command while kube-assay runs, or place your own pod with the same labels.',
  });
});
