// On the testbed, with this clone's kube-assay image and the helm the testbed builds: the chart
// lints strictly (and its schema rejects an unknown suite), installs only the ServiceAccount,
// RBAC and config, `helm test` passes on the healthy cluster and fails (non-zero, the failing
// check named in --logs) with the NetworkPolicy enforcer stopped, and `helm uninstall` leaves
// no ClusterRole, binding or namespace of ours.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ownershipSelector } from '../../../src/cluster/labels.js';
import { packageRoot } from '../../../src/config/paths.js';
import { kubectl, runCommand, type CommandResult } from '../../support/kubectl.js';
import { clusterClients, testbed } from '../harness/support.js';
import { requireTestbedWithImage } from './support.js';

const chart = join(packageRoot, 'deploy', 'helm', 'kube-assay');

describe('cluster: Helm chart deploy/helm/kube-assay (testbed)', function () {
  this.timeout(0);
  let kubeconfig: string;
  let helmBin: string;
  const release = `assay-${randomBytes(2).toString('hex')}`;
  const namespace = `ka-helm-${release}`;
  let installed = false;
  /** kube-assay namespaces that existed before the release (other runs'), not this test's to judge. */
  let existingBefore = new Set<string>();
  const ourNamespaces = async (): Promise<string[]> =>
    (await clusterClients(kubeconfig).core.listNamespace({ labelSelector: ownershipSelector() })).items.map((n) => n.metadata?.name ?? '?');

  const helm = (...args: string[]): Promise<CommandResult> => runCommand(helmBin, ['--kubeconfig', kubeconfig, ...args], { timeoutMs: 300_000 });
  const instanceSelector = `app.kubernetes.io/instance=${release}`;

  before(async function () {
    kubeconfig = await requireTestbedWithImage(this);
    const found = await runCommand('bash', ['-c', 'source testbed/versions.env && source testbed/lib/build.sh && tb_bin helm'], { timeoutMs: 30_000 });
    if (found.code !== 0) throw new Error(`helm is not built by the testbed: ${found.stderr}`);
    helmBin = found.stdout.trim();
    existingBefore = new Set(await ourNamespaces());
  });

  after(async () => {
    // Whatever failed above: the release and its namespace go.
    if (installed) await helm('uninstall', release, '--namespace', namespace, '--wait');
    await clusterClients(kubeconfig).core.deleteNamespace({ name: namespace }).catch(() => undefined);
  });

  it('lints with --strict, and its strict values schema rejects an unknown suite and an unknown key', async () => {
    const ok = await helm('lint', '--strict', chart);
    expect(ok.code, ok.stdout + ok.stderr).to.equal(0);
    const suite = await helm('lint', '--strict', chart, '--set', 'suites={nope}');
    expect(suite.code).to.not.equal(0);
    expect(suite.stdout + suite.stderr).to.match(/suites\.0|value must be one of/);
    const key = await helm('lint', '--strict', chart, '--set', 'bogus=1');
    expect(key.code).to.not.equal(0);
    expect(key.stdout + key.stderr).to.include('bogus');
  });

  it('installs only the ServiceAccount, the generated RBAC and the config; helm test passes on the healthy testbed', async () => {
    const install = await helm('install', release, chart, '--namespace', namespace, '--create-namespace', '--wait',
      '--set', 'suites={conformance}', '--set', 'grep=conformance/(api-version|pod-exec-logs|dns-service)');
    expect(install.code, install.stdout + install.stderr).to.equal(0);
    installed = true;
    const clients = clusterClients(kubeconfig);
    expect((await clients.core.listNamespacedPod({ namespace })).items).to.deep.equal([]);
    const role = (await clients.rbac.listClusterRole({ labelSelector: instanceSelector })).items;
    expect(role.map((r) => r.metadata?.name)).to.deep.equal([`${release}-kube-assay`]);
    expect(JSON.stringify(role[0]?.rules)).to.not.include('"*"');
    const test = await helm('test', release, '--namespace', namespace, '--logs');
    expect(test.code, test.stdout + test.stderr).to.equal(0);
    expect(test.stdout).to.include('PASS  conformance/dns-service');
    expect(test.stdout).to.match(/identity: system:serviceaccount:ka-helm-assay-[0-9a-f]{4}:assay-[0-9a-f]{4}-kube-assay/);
  });

  describe('with the NetworkPolicy enforcer stopped', () => {
    let stopped = false;
    before(async () => {
      const stop = await testbed('stop', 'netpol');
      if (stop.code !== 0) throw new Error(`testbed stop netpol failed: ${stop.stderr}`);
      stopped = true;
    });
    after(async () => {
      if (stopped) {
        const start = await testbed('start', 'netpol');
        if (start.code !== 0) console.log(`      WARNING: could not restart the NetworkPolicy enforcer: ${start.stderr}`);
      }
    });

    it('helm upgrade then helm test fails, non-zero, naming the failing check in --logs', async () => {
      const upgrade = await helm('upgrade', release, chart, '--namespace', namespace, '--wait', '--set', 'suites={netpol}', '--set', 'grep=netpol/enforcement');
      expect(upgrade.code, upgrade.stdout + upgrade.stderr).to.equal(0);
      const test = await helm('test', release, '--namespace', namespace, '--logs');
      expect(test.code, test.stdout + test.stderr).to.not.equal(0);
      expect(test.stdout + test.stderr).to.include('FAIL  netpol/enforcement');
    });
  });

  // A describe of its own: mocha runs a suite's tests before its nested suites, and this comes last.
  describe('at the end', () => {
    it('helm uninstall leaves no ClusterRole, binding, config or namespace of ours; the last test pod goes with the documented kubectl delete', async () => {
      const uninstall = await helm('uninstall', release, '--namespace', namespace, '--wait');
      expect(uninstall.code, uninstall.stdout + uninstall.stderr).to.equal(0);
      installed = false;
      const clients = clusterClients(kubeconfig);
      expect((await clients.rbac.listClusterRole({ labelSelector: instanceSelector })).items).to.deep.equal([]);
      expect((await clients.rbac.listClusterRoleBinding({ labelSelector: instanceSelector })).items).to.deep.equal([]);
      const left = [
        ...(await clients.core.listNamespacedConfigMap({ namespace, labelSelector: instanceSelector })).items,
        ...(await clients.core.listNamespacedServiceAccount({ namespace, labelSelector: instanceSelector })).items,
      ].map((o) => o.metadata?.name);
      expect(left).to.deep.equal([]);
      // The runs' probe namespaces were removed by the runs themselves.
      expect((await ourNamespaces()).filter((n) => !existingBefore.has(n))).to.deep.equal([]);
      // Helm does not track hook resources, so uninstall keeps the last test pod (docs/in-cluster.md).
      const pods = (await clients.core.listNamespacedPod({ namespace, labelSelector: instanceSelector })).items.map((p) => p.metadata?.name);
      expect(pods).to.deep.equal([`${release}-kube-assay-test`]);
      const del = await kubectl(['delete', 'pod', '-n', namespace, '-l', `${instanceSelector},app.kubernetes.io/component=runner`, '--wait']);
      expect(del.code, del.stderr).to.equal(0);
      expect((await clients.core.listNamespacedPod({ namespace })).items).to.deep.equal([]);
    });
  });
});
