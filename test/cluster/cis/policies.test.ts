// On the testbed: the whole cis suite passes as the testbed is (its warnings printed, each a
// decision the catalogue states); then a cluster-admin binding to a test ServiceAccount and a
// namespace without Pod Security labels each fail their check by name, and pass once removed.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterClients } from '../../../src/cluster/client.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../../../src/cluster/labels.js';
import { Timeouts } from '../../../src/cluster/timeouts.js';
import { pollUntil } from '../../../src/cluster/wait.js';
import { clusterClients, requireCluster } from '../harness/support.js';
import { checkOf } from '../storage/support.js';
import { runCis } from './support.js';

// Our managed-by label without a run id: a run's own namespaces are left out of the audits, and
// this one must be audited. Removed in `after` whatever happened.
const TEST_LABELS = { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, 'kube-assay.io/test': 'cis-policies' };

describe('cluster: cis policy checks on the testbed', function () {
  this.timeout(0);
  let kubeconfig: string;
  let clients: ClusterClients;
  let dir: string;
  const suffix = randomBytes(3).toString('hex');
  const namespace = `ka-cis-test-${suffix}`;
  const binding = `ka-cis-test-admin-${suffix}`;

  before(async function () {
    kubeconfig = requireCluster(this);
    clients = clusterClients(kubeconfig);
    dir = mkdtempSync(join(tmpdir(), 'ka-cis-policies-'));
  });
  after(async () => {
    await clients?.rbac.deleteClusterRoleBinding({ name: binding }).catch(() => undefined);
    await clients?.core.deleteNamespace({ name: namespace }).catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the testbed as it is passes the whole suite, with its warnings stated', async () => {
    const { run, report, output } = await runCis(kubeconfig, join(dir, 'healthy'));
    const checks = report.suites.flatMap((s) => s.checks);
    for (const c of checks.filter((x) => x.status !== 'passed')) console.log(`      ${c.status} ${c.id}: ${c.message ?? ''}`);
    expect(checks.filter((c) => c.status === 'failed').map((c) => `${c.id}: ${c.message ?? ''}`), output).to.deep.equal([]);
    expect(run.code, output).to.equal(0);
    expect(checkOf(report, 'cis/pss-admission-live')?.status, output).to.equal('passed');
    expect(checkOf(report, 'cis/rbac-cluster-admin')?.status, output).to.equal('passed');
    expect(checkOf(report, 'cis/pss-enforce-label')?.status, output).to.equal('passed');
  });

  it('a namespace without enforce labels and a cluster-admin binding to a test ServiceAccount fail their checks by name', async () => {
    await clients.core.createNamespace({ body: { metadata: { name: namespace, labels: TEST_LABELS } } });
    await clients.core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: 'too-powerful', labels: TEST_LABELS } } });
    await clients.rbac.createClusterRoleBinding({
      body: {
        metadata: { name: binding, labels: TEST_LABELS },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
        subjects: [{ kind: 'ServiceAccount', name: 'too-powerful', namespace }],
      },
    });
    const { run, report, output } = await runCis(kubeconfig, join(dir, 'broken'), ['--grep', 'cis/(rbac-cluster-admin|pss-enforce-label)']);
    expect(run.code, output).to.equal(1);
    expect(checkOf(report, 'cis/rbac-cluster-admin')?.message, output).to.equal(
      `1 of 1 ClusterRoleBindings grant cluster-admin outside the allow-list: ${binding}: allowListed is false: the binding grants cluster-admin and is not in cis.clusterAdminAllowList`,
    );
    expect(checkOf(report, 'cis/pss-enforce-label')?.message, output).to.match(
      new RegExp(`^1 of \\d+ Namespaces enforce no Pod Security level: ${namespace}: metadata\\.labels\\["pod-security\\.kubernetes\\.io/enforce"\\] is unset`),
    );
  });

  it('both pass again once the binding and the namespace are removed', async () => {
    await clients.rbac.deleteClusterRoleBinding({ name: binding });
    await clients.core.deleteNamespace({ name: namespace });
    // A deleted namespace is Terminating for a moment; the audit must not count it, so wait until it is gone.
    await pollUntil(async () => (await clients.core.listNamespace()).items.some((n) => n.metadata?.name === namespace), (present) => !present, {
      expectation: `namespace ${namespace} to be gone`,
      deadline: new Timeouts().deadline('namespaceDelete'),
      describe: (present) => (present === true ? 'still present' : 'unknown'),
    });
    const { run, report, output } = await runCis(kubeconfig, join(dir, 'restored'), ['--grep', 'cis/(rbac-cluster-admin|pss-enforce-label)']);
    expect(run.code, output).to.equal(0);
    expect(checkOf(report, 'cis/rbac-cluster-admin')?.status).to.equal('passed');
    expect(checkOf(report, 'cis/pss-enforce-label')?.status).to.equal('passed');
  });
});
