// Bad input against a live cluster: each gives its exit code and one sentence.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ownershipLabels } from '../../../src/cluster/labels.js';
import { deleteOwnedNamespace, waitForDefaultServiceAccount } from '../../../src/cluster/namespaces.js';
import { newRunId } from '../../../src/cluster/names.js';
import { packageRoot } from '../../../src/config/paths.js';
import { closedPort } from '../../unit/cluster/fake-api.js';
import { kubeconfigYaml } from '../../unit/cluster/kubeconfig-fixture.js';
import { clusterClients, requireCluster, runCli, writeServiceAccountKubeconfig } from './support.js';

const oneSentence = (stderr: string): void => {
  expect(stderr.trim().split('\n'), stderr).to.have.length(1);
  expect(stderr).to.match(/^kube-assay: /);
  expect(stderr).to.not.match(/\n\s+at /);
};

describe('cluster: bad input', function () {
  this.timeout(0);
  let kubeconfig: string;
  let dir: string;

  before(function () {
    kubeconfig = requireCluster(this);
    dir = mkdtempSync(join(tmpdir(), 'ka-bad-input-'));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('unknown suite: exit 2 listing the known suites', async () => {
    const r = await runCli(['run', '--suite', 'nosuch', '--kubeconfig', kubeconfig]);
    expect(r.code).to.equal(2);
    oneSentence(r.stderr);
    expect(r.stderr).to.include('known suites are');
  });

  it('malformed config: exit 2 naming the file and the line', async () => {
    const r = await runCli(['run', '--config', join(packageRoot, 'fixtures', 'conformance', 'config', 'malformed.yaml'), '--kubeconfig', kubeconfig]);
    expect(r.code).to.equal(2);
    oneSentence(r.stderr);
    expect(r.stderr).to.match(/malformed\.yaml is not valid YAML at line \d+/);
  });

  it('unreachable server: exit 3', async () => {
    const path = join(dir, 'closed');
    writeFileSync(path, kubeconfigYaml(`https://127.0.0.1:${await closedPort()}`));
    const r = await runCli(['run', '--suite', 'conformance', '--kubeconfig', path]);
    expect(r.code).to.equal(3);
    oneSentence(r.stderr);
    expect(r.stderr).to.include('cannot reach the API server');
  });

  describe('a context whose identity has no rights', () => {
    const runId = newRunId();
    const namespace = `ka-no-rights-${runId}`;
    let clients: ReturnType<typeof clusterClients>;

    before(async () => {
      clients = clusterClients(kubeconfig);
      await clients.core.createNamespace({ body: { metadata: { name: namespace, labels: ownershipLabels(runId) } } });
      await waitForDefaultServiceAccount(clients, namespace, { name: 'namespaceReady', ms: 30_000 });
      await clients.core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: 'nobody', labels: ownershipLabels(runId) } } });
    });
    after(async () => {
      if (clients) await deleteOwnedNamespace(clients, namespace, runId);
    });

    it('exit 3 naming the missing permission', async () => {
      const path = join(dir, 'no-rights');
      await writeServiceAccountKubeconfig(kubeconfig, clients, { namespace, name: 'nobody', context: 'no-rights' }, path);
      const r = await runCli(['run', '--suite', 'conformance', '--kubeconfig', path]);
      expect(r.code, r.stdout + r.stderr).to.equal(3);
      oneSentence(r.stderr);
      expect(r.stderr).to.include(`identity "system:serviceaccount:${namespace}:nobody" of context "no-rights" is not authorised to create namespaces`);
    });
  });
});
