// On the testbed, with the storage provisioner scaled to zero (`testbed.sh stop storage`):
// provisioning fails within the provisionerSilence timeout, not after minutes, and the message
// says which cause it is (no provisioner running, naming the Deployment scaled to 0). The
// StatefulSet suite's setup fails the same way. The provisioner is restarted afterwards.
import { expect } from 'chai';
import { clusterClients, runCli, withComponentStopped } from '../harness/support.js';
import { checkOf, leftovers, readReport } from './support.js';

const NO_PROVISIONER =
  /no provisioner running: claim \S+ has waited [\d.]+s for rancher\.io\/local-path, but no pod of it exists \(looked for app=local-path-provisioner in all namespaces\); Deployment local-path-storage\/local-path-provisioner has 0 replica\(s\), 0 ready \(gave up after 30s, timeout provisionerSilence\)/;

describe('cluster: provisioning with the storage provisioner stopped (testbed)', function () {
  this.timeout(0);
  const broken = withComponentStopped('storage', 'the storage provisioner');

  it('fails dynamic provisioning and the StatefulSet setup within a minute, saying no provisioner is running, exit 1', async () => {
    const started = Date.now();
    const run = await runCli([
      'run',
      '--suite', 'storage',
      '--suite', 'statefulset',
      '--parallel', '2',
      '--grep', 'storage/(dynamic-provisioning|cleanup-leaves-nothing)|statefulset/ordered-start',
      '--kubeconfig', broken.kubeconfig,
      '--report-dir', broken.reportDir,
    ]);
    const wallMs = Date.now() - started;
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.code, output).to.equal(1);
    const report = readReport(broken.reportDir);

    const provisioning = checkOf(report, 'storage/dynamic-provisioning');
    expect(provisioning?.status, output).to.equal('failed');
    console.log(`      dynamic-provisioning failed after ${((provisioning?.durationMs ?? 0) / 1000).toFixed(1)} s with: ${provisioning?.message ?? ''}`);
    expect(provisioning?.message).to.match(/^default class \(local-path\): /);
    expect(provisioning?.message).to.match(NO_PROVISIONER);
    expect(provisioning?.durationMs, 'bounded by provisionerSilence (30s), not volumeBind (2m)').to.be.below(60_000);
    // The claim that never bound is still checked for removal.
    expect(checkOf(report, 'storage/cleanup-leaves-nothing')?.status, output).to.equal('passed');

    const setup = report.suites.flatMap((s) => s.checks).find((c) => c.id.startsWith('statefulset/') && c.status === 'failed');
    expect(setup?.message, output).to.match(NO_PROVISIONER);
    expect(setup?.message).to.match(/\/data-(web|ephemeral)-0 has waited/);

    expect(wallMs, 'both failures within the deadline, not after minutes').to.be.below(120_000);
    expect(await leftovers(clusterClients(broken.kubeconfig), report.metadata.runId)).to.deep.equal({ namespaces: [], claims: [] });
  });
});
