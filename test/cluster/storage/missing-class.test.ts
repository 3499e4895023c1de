// On a live cluster, without breaking anything: a configured StorageClass that does not exist
// fails at once, not after a timeout, and says so; the default class is still tested.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterClients, requireCluster, runCli } from '../harness/support.js';
import { checkOf, leftovers, readReport } from './support.js';

describe('cluster: a configured StorageClass that does not exist', function () {
  this.timeout(0);
  let kubeconfig: string;
  let dir: string;

  before(function () {
    kubeconfig = requireCluster(this);
    dir = mkdtempSync(join(tmpdir(), 'ka-missing-class-'));
    writeFileSync(join(dir, 'assay.yaml'), 'storage:\n  classes: [ka-no-such-class]\nstatefulset:\n  storageClass: ka-no-such-class\n');
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('fails provisioning for that class (the default class still passes) and the StatefulSet setup within seconds, naming the class', async () => {
    const run = await runCli([
      'run',
      '--suite', 'storage',
      '--suite', 'statefulset',
      '--parallel', '2',
      '--grep', 'storage/dynamic-provisioning|statefulset/ordered-start',
      '--config', join(dir, 'assay.yaml'),
      '--kubeconfig', kubeconfig,
      '--report-dir', join(dir, 'out'),
    ]);
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.code, output).to.equal(1);
    const report = readReport(join(dir, 'out'));
    const provisioning = checkOf(report, 'storage/dynamic-provisioning');
    expect(provisioning?.status, output).to.equal('failed');
    expect(provisioning?.message).to.equal('class ka-no-such-class: StorageClass not found: ka-no-such-class is listed in storage.classes but does not exist');
    const table = provisioning?.attachments.find((a) => a.kind === 'table');
    expect(table?.kind === 'table' ? table.rows.map((r) => [r[0], r[5]?.startsWith('FAILED') ?? true]) : []).to.deep.equal([['default class (local-path)', false]]);

    const setup = report.suites.flatMap((s) => s.checks).find((c) => c.id.startsWith('statefulset/') && c.status === 'failed');
    expect(setup?.message, output).to.match(/^StorageClass not found: claim \S+\/data-(web|ephemeral)-0 asks for class ka-no-such-class, which does not exist \(classes: .*local-path.*\)$/);
    expect(setup?.durationMs, 'no waiting for a class that does not exist').to.be.below(30_000);
    expect(await leftovers(clusterClients(kubeconfig), report.metadata.runId)).to.deep.equal({ namespaces: [], claims: [] });
  });
});
