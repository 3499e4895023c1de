// On the testbed: `kube-assay rbac` is exactly what a run needs. A ServiceAccount bound to its
// output (and nothing else) runs every suite to a pass; the same role minus one rule a suite
// declared is refused by preflight, naming the suite, the right and the rule.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import type { V1ClusterRole, V1ClusterRoleBinding } from '@kubernetes/client-node';
import type { ClusterClients } from '../../../src/cluster/client.js';
import { ownershipLabels } from '../../../src/cluster/labels.js';
import { deleteOwnedNamespace, waitForDefaultServiceAccount } from '../../../src/cluster/namespaces.js';
import { newRunId } from '../../../src/cluster/names.js';
import { packageRoot } from '../../../src/config/paths.js';
import { eventually } from '../../support/kubectl.js';
import { clusterClients, namespacesOfRun, requireCluster, runCli, runIdOf, writeServiceAccountKubeconfig } from './support.js';

const SUITES = ['cis', 'conformance', 'iam', 'netpol', 'resources', 'statefulset', 'storage'];

describe('cluster: least-privilege RBAC from kube-assay rbac', function () {
  this.timeout(0);
  const testRun = newRunId();
  const namespace = `ka-rbac-${testRun}`;
  const roleName = `ka-rbac-${testRun}`;
  let admin: string;
  let clients: ClusterClients;
  let dir: string;
  let limited: string;
  let role: V1ClusterRole;

  /** The generated documents, labelled as ours so a crashed test is swept by kube-assay cleanup. */
  async function generated(suites: readonly string[]): Promise<{ role: V1ClusterRole; binding: V1ClusterRoleBinding }> {
    const r = await runCli(['rbac', ...suites.flatMap((s) => ['--suite', s]), '--service-account', `${namespace}/runner`, '--name', roleName]);
    expect(r.code, r.stderr).to.equal(0);
    const docs = loadAll(r.stdout) as [V1ClusterRole, V1ClusterRoleBinding];
    expect(docs.map((d) => d.kind)).to.deep.equal(['ClusterRole', 'ClusterRoleBinding']);
    for (const d of docs) d.metadata = { ...d.metadata, labels: { ...d.metadata?.labels, ...ownershipLabels(testRun) } };
    return { role: docs[0], binding: docs[1] };
  }

  /** Until the authorizer has caught up with a role change, as the limited identity sees it. */
  async function untilAllowed(verb: string, resource: string, allowed: boolean): Promise<void> {
    const asRunner = clusterClients(limited);
    await eventually(`"${verb} ${resource}" to be ${allowed ? 'allowed' : 'denied'} for the runner`, 20_000, async () => {
      const review = await asRunner.authz.createSelfSubjectAccessReview({ body: { spec: { resourceAttributes: { verb, resource } } } });
      return review.status?.allowed === allowed ? true : undefined;
    });
  }

  before(async function () {
    admin = requireCluster(this);
    clients = clusterClients(admin);
    dir = mkdtempSync(join(tmpdir(), 'ka-rbac-'));
    // Audited by the cis suite like any namespace that is not a check's own: it enforces a level.
    await clients.core.createNamespace({ body: { metadata: { name: namespace, labels: { ...ownershipLabels(testRun), 'pod-security.kubernetes.io/enforce': 'restricted' } } } });
    await waitForDefaultServiceAccount(clients, namespace, { name: 'namespaceReady', ms: 30_000 });
    await clients.core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: 'runner', labels: ownershipLabels(testRun) } } });
    const docs = await generated(SUITES);
    role = docs.role;
    await clients.rbac.createClusterRoleBinding({ body: docs.binding });
    limited = join(dir, 'runner.kubeconfig');
    await writeServiceAccountKubeconfig(admin, clients, { namespace, name: 'runner', context: 'least-privilege' }, limited);
  });

  after(async () => {
    if (clients === undefined) return;
    await clients.rbac.deleteClusterRoleBinding({ name: roleName }).catch(() => undefined);
    await clients.rbac.deleteClusterRole({ name: roleName }).catch(() => undefined);
    await deleteOwnedNamespace(clients, namespace, testRun);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('GIVEN the role minus the "create persistentvolumeclaims" rule THEN preflight refuses the storage suite with exit 3 naming suite, right and rule', async () => {
    const minusOne: V1ClusterRole = {
      ...role,
      rules: (role.rules ?? []).map((rule) => (rule.resources?.includes('persistentvolumeclaims') ? { ...rule, verbs: rule.verbs.filter((v) => v !== 'create') } : rule)),
    };
    expect(JSON.stringify(minusOne.rules)).to.not.equal(JSON.stringify(role.rules));
    await clients.rbac.createClusterRole({ body: minusOne });
    await untilAllowed('list', 'persistentvolumeclaims', true);
    await untilAllowed('create', 'persistentvolumeclaims', false);
    const r = await runCli(['run', '--suite', 'storage', '--kubeconfig', limited, '--report-dir', join(dir, 'refused')]);
    expect(r.code, r.stdout + r.stderr).to.equal(3);
    expect(r.stderr.trim().split('\n')).to.have.length(1);
    expect(r.stderr).to.include(`kube-assay: suite storage needs "create persistentvolumeclaims" (cluster-wide), which identity "system:serviceaccount:${namespace}:runner" of context "least-privilege" lacks`);
    expect(r.stderr).to.include('{apiGroups: [""], resources: ["persistentvolumeclaims"], verbs: ["create"]}');
    expect(r.stderr).to.include('kube-assay rbac --suite storage');
    expect(r.stdout).to.not.match(/^run \S+: suites/m); // refused before anything was created
  });

  it('GIVEN exactly the generated role THEN every suite runs to a pass as that identity and leaves no namespace', async () => {
    await clients.rbac.replaceClusterRole({ name: roleName, body: role });
    await untilAllowed('create', 'persistentvolumeclaims', true);
    // Earlier cluster tests restart the API server and the kubelet; metrics-server needs a while
    // to serve again, and resources/metrics-api rightly fails while it does not. Start healthy.
    await eventually('APIService v1beta1.metrics.k8s.io to be Available', 120_000, async () => {
      const service = await clients.apiRegistration.readAPIService({ name: 'v1beta1.metrics.k8s.io' });
      return service.status?.conditions?.some((c) => c.type === 'Available' && c.status === 'True') === true ? true : undefined;
    });
    // The testbed's waivers, as its main job passes them: its enforcer's known bugs are not rights.
    const waivers = join(packageRoot, 'testbed', 'waivers.yaml');
    const args = ['run', ...SUITES.flatMap((s) => ['--suite', s]), '--parallel', '2', '--kubeconfig', limited, '--report-dir', join(dir, 'reports'), '--waivers', waivers];
    const r = await runCli(args);
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(r.stdout).to.include(`identity: system:serviceaccount:${namespace}:runner`);
    expect(r.stdout).to.match(/\d+ passed, 0 failed/);
    // The iam suite reports the 403s it proves (a tenant refused); a refusal of the runner itself
    // would show as a check's error or skip reason.
    expect(r.stdout).to.not.match(/^\s+(error|reason): .*(\b403\b|forbidden)/im);
    const runId = runIdOf(r.stdout);
    expect(runId, r.stdout).to.be.a('string');
    expect(await namespacesOfRun(clients, runId as string)).to.deep.equal([]);
  });
});
