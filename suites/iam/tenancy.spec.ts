// IAM: what a tenant identity can do beyond its own namespace, what the default ServiceAccount of
// each audited namespace hands its pods, and which namespaces would admit a host-network pod
// (zero hops from the metadata service).
import { check, suite, CheckFailure } from '../../src/harness/index.js';
import iam from './suite.js';
import { auditDefaultAccounts } from '../../src/iam/default-sa-check.js';
import { hostNetworkAdmission } from '../../src/iam/host-network.js';
import { credentialLeaks } from '../../src/iam/imds.js';
import { observeImdsOnce } from '../../src/iam/imds-probe.js';
import { probeIsolation } from '../../src/iam/isolation-check.js';
import { iamSettings } from '../../src/iam/config.js';
import { listAuditedNamespaces } from '../../src/iam/namespaces.js';

suite(iam, () => {
  check(
    'iam/namespace-isolation',
    'A pod\'s own ServiceAccount in namespace A cannot read secrets, configmaps or pods of namespace B, create or exec there, or list secrets cluster-wide',
    async (t) => {
      const result = await probeIsolation(t);
      t.attachTable(`SelfSubjectRulesReview of ${result.tenant}`, ['namespace', 'verbs', 'API groups', 'resources', 'resource names'], result.reviewRows);
      t.attachTable(`requests made as ${result.tenant}`, ['action', 'namespace', 'status', 'outcome'],
        result.requests.map((r) => [r.action, r.scope, String(r.status), r.outcome]),
        result.requests.map((r) => [null, null, null, r.outcome === 'refused' ? 'ok' : 'bad']));
      const failed = result.requests.filter((r) => r.outcome === 'probe failed');
      if (failed.length > 0) throw new CheckFailure(`the probe failed: ${failed.map((r) => `${r.action} in ${r.scope}: ${r.status}`).join('; ')}`);
      const allowed = result.requests.filter((r) => r.outcome === 'allowed');
      if (allowed.length > 0) {
        throw new CheckFailure(`${result.tenant} was allowed outside its namespace: ${allowed.map((r) => `${r.action} in ${r.scope} (${r.status})`).join('; ')}`);
      }
    },
    {
      tags: ['iam', 'rbac', 'tenancy', 'security'],
      remediation: 'Find the binding that grants it: kubectl get clusterrolebindings,rolebindings -A -o wide | grep -E "system:(serviceaccounts|authenticated)"; bind roles to specific ServiceAccounts in their own namespace with RoleBindings, never to system:serviceaccounts or system:authenticated.',
    },
  );

  check(
    'iam/default-service-account',
    'In the audited namespaces the default ServiceAccount does not automount a token and can read nothing beyond discovery',
    async (t) => {
      const { rows, missing } = await auditDefaultAccounts(t);
      if (missing.length > 0) throw new CheckFailure(`iam.namespaces names namespaces that do not exist: ${missing.join(', ')}`);
      if (rows.length === 0) t.skip('no namespace to audit: every namespace is a system one, created by kube-assay or excluded');
      t.attachTable('default ServiceAccounts', ['namespace', 'automountServiceAccountToken', 'rules beyond discovery', 'confirmed by a real request'],
        rows.map((r) => [r.namespace, r.automount, r.beyondDiscovery.join('; ') || '(none)', r.confirmed.join('; ') || '-']));
      for (const r of rows.filter((x) => x.beyondDiscovery.length > 0 && x.confirmed.length === 0)) t.warn(`${r.namespace}/default holds rules beyond discovery (${r.beyondDiscovery.join('; ')}) that no list request confirmed`);
      const problems = rows.flatMap((r) => [
        ...(r.automount === 'false' ? [] : [`${r.namespace}/default automounts its token (automountServiceAccountToken ${r.automount})`]),
        ...(r.confirmed.length > 0 ? [`a pod using ${r.namespace}/default can ${r.confirmed.join(', ')}`] : []),
      ]);
      if (problems.length > 0) throw new CheckFailure(problems.join('; '));
    },
    {
      namespace: false,
      retryable: true,
      tags: ['iam', 'rbac', 'tenancy'],
      remediation: 'Set automountServiceAccountToken: false on the default ServiceAccount of each namespace (kubectl patch serviceaccount default -n NS -p \'{"automountServiceAccountToken": false}\'), give workloads their own ServiceAccounts, and remove bindings to the default ones.',
    },
  );

  check(
    'iam/imds-host-network',
    'Where a host-network pod reaches the metadata service, no audited namespace admits a host-network pod (server-side dry run)',
    async (t) => {
      if (!iamSettings(t).hostNetworkProbes) {
        t.skip('iam.hostNetworkProbes is off, so whether a host-network pod reaches the metadata service is not probed; set it to true to run this check');
      }
      const round = await observeImdsOnce(t);
      const hostLeaks = round.observations.filter((o) => o.network === 'host network' && credentialLeaks(o.observation).length > 0);
      if (hostLeaks.length === 0) {
        t.attachText('host network', 'no host-network probe obtained credentials from the metadata service, so admitting host-network pods does not expose them');
        return;
      }
      const { audited } = await listAuditedNamespaces(() => t.clients.core.listNamespace(), iamSettings(t));
      const answers = [];
      for (const ns of audited) answers.push(await hostNetworkAdmission(t, ns));
      t.attachTable('would admit a host-network pod (dry run)', ['namespace', 'admitted', 'why refused'], answers.map((a) => [a.namespace, a.admitted ? 'YES' : 'no', a.reason ?? '']),
        answers.map((a) => [null, a.admitted ? 'bad' : 'ok', null]));
      const admitted = answers.filter((a) => a.admitted);
      if (admitted.length > 0) {
        throw new CheckFailure(`host-network pods get the node's credentials (${hostLeaks.map((o) => `node ${o.node}`).join(', ')}), and these namespaces would admit one: ${admitted.map((a) => a.namespace).join(', ')}`);
      }
    },
    {
      tags: ['iam', 'imds', 'pod-security'],
      remediation: 'Enforce Pod Security baseline or stricter on every tenant namespace (kubectl label namespace NS pod-security.kubernetes.io/enforce=baseline), or an admission policy that forbids hostNetwork; a hop limit does not protect host-network pods.',
    },
  );
});
