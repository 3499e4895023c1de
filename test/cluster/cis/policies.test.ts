// On the testbed: the whole cis suite passes as the testbed is (its warnings printed, each a
// decision the catalogue states); then a cluster-admin binding to a test ServiceAccount and a
// namespace without Pod Security labels each fail their check by name, and pass once removed;
// and a namespace holding privileged pods (main, init and ephemeral containers) has them listed
// by the dry-run relabel, warned while it enforces nothing and failed once it enforces baseline,
// with the namespace itself never changed by the run.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import type { ClusterClients } from '../../../src/cluster/client.js';
import { ownershipLabels } from '../../../src/cluster/labels.js';
import { TESTBED_PROBE_IMAGE } from '../../../src/config/types.js';
import { Timeouts } from '../../../src/cluster/timeouts.js';
import { pollUntil } from '../../../src/cluster/wait.js';
import { clusterClients, requireCluster } from '../harness/support.js';
import { checkOf } from '../storage/support.js';
import { runCis } from './support.js';

// Our labels with a test run id, so `kube-assay cleanup` sweeps what a crashed test leaves; the
// audits still judge these objects, since only a run's own check namespaces (which name their
// check) are left out. Removed in `after` whatever happened.
const testLabels = (suffix: string): Record<string, string> => ({ ...ownershipLabels(`cluster-test-${suffix}`), 'kube-assay.io/test': 'cis-policies' });

describe('cluster: cis policy checks on the testbed', function () {
  this.timeout(0);
  let kubeconfig: string;
  let clients: ClusterClients;
  let dir: string;
  const suffix = randomBytes(3).toString('hex');
  const namespace = `ka-cis-test-${suffix}`;
  const binding = `ka-cis-test-admin-${suffix}`;
  const TEST_LABELS = testLabels(suffix);

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

/** Pods breaking baseline each in their own way, so Pod Security (which names only the first of
 *  several pods with identical violations) names every one: the main container privileged with
 *  host PID; an init container adding NET_ADMIN; none (a privileged ephemeral container is added). */
function violatingPod(name: string, where: 'main' | 'init' | 'none', labels: Record<string, string>): V1Pod {
  const container = (cname: string) => ({ name: cname, image: TESTBED_PROBE_IMAGE, imagePullPolicy: 'Never', command: ['sleep', '3600'] });
  return {
    metadata: { name, labels },
    spec: {
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: 0,
      ...(where === 'main' ? { hostPID: true } : {}),
      ...(where === 'init' ? { initContainers: [{ ...container(`${name}-setup`), command: ['true'], securityContext: { capabilities: { add: ['NET_ADMIN'] } } }] } : {}),
      containers: [{ ...container(`${name}-main`), ...(where === 'main' ? { securityContext: { privileged: true } } : {}) }],
    },
  };
}

describe('cluster: cis Pod Security violators by dry-run relabel', function () {
  this.timeout(0);
  let kubeconfig: string;
  let clients: ClusterClients;
  let dir: string;
  const suffix = randomBytes(3).toString('hex');
  const namespace = `ka-cis-violators-${suffix}`;
  const labels = testLabels(suffix);
  const pods = ['priv-main', 'priv-init', 'priv-ephemeral'];

  before(async function () {
    kubeconfig = requireCluster(this);
    clients = clusterClients(kubeconfig);
    dir = mkdtempSync(join(tmpdir(), 'ka-cis-violators-'));
    // No enforce label: Pod Security admits the privileged pods, as it would have before a label.
    await clients.core.createNamespace({ body: { metadata: { name: namespace, labels } } });
    await clients.core.createNamespacedPod({ namespace, body: violatingPod('priv-main', 'main', labels) });
    await clients.core.createNamespacedPod({ namespace, body: violatingPod('priv-init', 'init', labels) });
    await clients.core.createNamespacedPod({ namespace, body: violatingPod('priv-ephemeral', 'none', labels) });
    const plain = await clients.core.readNamespacedPod({ namespace, name: 'priv-ephemeral' });
    // Unconditional (no resourceVersion): the kubelet updates the pod's status meanwhile.
    plain.metadata = { ...plain.metadata, resourceVersion: undefined };
    plain.spec = { ...plain.spec, containers: plain.spec?.containers ?? [], ephemeralContainers: [{ name: 'shell', image: TESTBED_PROBE_IMAGE, imagePullPolicy: 'Never', command: ['sleep', '60'], securityContext: { privileged: true } }] };
    await clients.core.replaceNamespacedPodEphemeralcontainers({ namespace, name: 'priv-ephemeral', body: plain });
  });
  after(async () => {
    await clients?.core.deleteNamespace({ name: namespace }).catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const violatorsOf = (report: Parameters<typeof checkOf>[0]): string[][] => {
    const table = checkOf(report, 'cis/pss-violators')?.attachments.find((a) => a.kind === 'table' && a.title.endsWith('offenders'));
    return table?.kind === 'table' ? table.rows.filter((r) => r[0] === namespace).map((r) => [r[1] ?? '', r[4] ?? '']) : [];
  };

  it('a namespace enforcing nothing: its privileged pods (main, init, ephemeral containers) are named as what restricted would refuse (warn); the namespace is unchanged', async () => {
    const before = await clients.core.readNamespace({ name: namespace });
    const { report, output } = await runCis(kubeconfig, join(dir, 'unenforced'), ['--grep', 'cis/pss-violators']);
    const after = await clients.core.readNamespace({ name: namespace });
    expect(after.metadata?.resourceVersion, 'the dry run changed the namespace').to.equal(before.metadata?.resourceVersion);
    expect(after.metadata?.labels, output).to.deep.equal(before.metadata?.labels);
    expect(checkOf(report, 'cis/pss-violators')?.status, output).to.equal('warn');
    const named = violatorsOf(report);
    expect(named.map(([pod]) => pod).sort(), output).to.deep.equal(pods.map((p) => `pod ${p}`).sort());
    expect(named.every(([, severity]) => severity === 'warn'), output).to.equal(true);
  });

  it('the same pods in a namespace that enforces baseline fail the check by name; the namespace is unchanged by the run', async () => {
    // Labelling for real is the test's own doing (the pods exist from before, as on a cluster labelled late).
    await clients.core.patchNamespace({ name: namespace, body: [{ op: 'add', path: '/metadata/labels/pod-security.kubernetes.io~1enforce', value: 'baseline' }] });
    const before = await clients.core.readNamespace({ name: namespace });
    const { run, report, output } = await runCis(kubeconfig, join(dir, 'enforced'), ['--grep', 'cis/pss-violators']);
    const after = await clients.core.readNamespace({ name: namespace });
    expect(after.metadata?.resourceVersion, 'the dry run changed the namespace').to.equal(before.metadata?.resourceVersion);
    expect(run.code, output).to.equal(1);
    const check = checkOf(report, 'cis/pss-violators');
    expect(check?.status, output).to.equal('failed');
    expect(check?.message, output).to.match(new RegExp(`${namespace}: pod priv-[a-z]+ runs against the baseline level its namespace enforces: `));
    expect(violatorsOf(report).map(([pod]) => pod).sort(), output).to.deep.equal(pods.map((p) => `pod ${p}`).sort());
  });
});
