// On a live cluster: --keep-on-failure keeps a failed check's namespace (with its dumps in the
// report), and `cleanup --run-id` removes it and nothing that lacks our labels.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_ID_LABEL } from '../../../src/cluster/labels.js';
import { packageRoot } from '../../../src/config/paths.js';
import type { RunReport } from '../../../src/report/model.js';
import { clusterClients, namespacesOfRun, requireCluster, runCli } from './support.js';

describe('cluster: --keep-on-failure and cleanup --run-id', function () {
  this.timeout(0);
  let kubeconfig: string;
  let reportDir: string;
  let clients: ReturnType<typeof clusterClients>;
  let bystander: string | undefined;

  before(function () {
    kubeconfig = requireCluster(this);
    clients = clusterClients(kubeconfig);
    reportDir = mkdtempSync(join(tmpdir(), 'ka-keep-'));
  });
  after(async () => {
    if (bystander !== undefined) await clients.core.deleteNamespace({ name: bystander }).catch(() => undefined);
    if (reportDir) rmSync(reportDir, { recursive: true, force: true });
  });

  it('keeps the failed check namespace, then cleanup removes exactly the labelled objects of that run', async () => {
    const config = join(packageRoot, 'fixtures', 'conformance', 'config', 'missing-image.yaml');
    const run = await runCli(['run', '--suite', 'conformance', '--grep', 'pod-exec-logs', '--config', config, '--keep-on-failure', '--kubeconfig', kubeconfig, '--report-dir', reportDir]);
    expect(run.code, run.stdout + run.stderr).to.equal(1);
    const report = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')) as RunReport;
    const runId = report.metadata.runId;
    const failed = report.suites[0]?.checks[0];
    expect(failed?.message).to.include('ErrImageNeverPull');
    expect(failed?.attachments.map((a) => a.title)).to.include.members([`events in ${(await namespacesOfRun(clients, runId))[0] ?? '?'}`]);
    const kept = await namespacesOfRun(clients, runId);
    expect(kept).to.have.length(1);
    expect(run.stdout).to.include(`kept namespace ${kept[0] ?? '?'} for debugging`);

    // A namespace carrying the run id but not managed-by=kube-assay is not ours: it must survive.
    bystander = `bystander-${runId}`;
    await clients.core.createNamespace({ body: { metadata: { name: bystander, labels: { [RUN_ID_LABEL]: runId } } } });

    const cleanup = await runCli(['cleanup', '--run-id', runId, '--kubeconfig', kubeconfig]);
    expect(cleanup.code, cleanup.stdout + cleanup.stderr).to.equal(0);
    expect(cleanup.stdout).to.include(`deleted 1 namespace(s): ${kept[0] ?? '?'}`);
    expect(await namespacesOfRun(clients, runId)).to.deep.equal([]);
    const survivor = await clients.core.readNamespace({ name: bystander });
    expect(survivor.metadata?.deletionTimestamp).to.equal(undefined);
  });
});
