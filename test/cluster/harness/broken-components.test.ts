// On the testbed, with a component broken on purpose: the first check that needs it fails
// naming it (with that component's remediation, not the check's), and every later check that
// needs it is skipped at once pointing at that finding, so a broken cluster gets a complete,
// correct report instead of one timeout after another.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckResult } from '../../../src/report/model.js';
import { readReport } from '../storage/support.js';
import { clusterClients, namespacesOfRun, requireCluster, runCli, runIdOf, withComponentStopped } from './support.js';

/** The failed checks, and the checks skipped because of the finding. */
function verdicts(reportDir: string): { failed: CheckResult[]; blocked: CheckResult[]; other: CheckResult[] } {
  const checks = readReport(reportDir).suites.flatMap((s) => s.checks);
  const failed = checks.filter((c) => c.status === 'failed');
  const blocked = checks.filter((c) => c.status === 'skipped' && (c.message ?? '').startsWith('not run: '));
  return { failed, blocked, other: checks.filter((c) => !failed.includes(c) && !blocked.includes(c)) };
}

describe('cluster: broken components are named at once (testbed)', function () {
  this.timeout(0);

  describe('kube-scheduler stopped', () => {
    const broken = withComponentStopped('scheduler', 'kube-scheduler');

    it('GIVEN conformance THEN one check fails naming kube-scheduler within schedulerSilence, the pod checks after it skip pointing at it, exit 1', async () => {
      const run = await runCli(['run', '--suite', 'conformance', '--kubeconfig', broken.kubeconfig, '--report-dir', broken.reportDir]);
      expect(run.code, run.stdout + run.stderr).to.equal(1);
      const { failed, blocked, other } = verdicts(broken.reportDir);
      expect(failed.map((c) => c.id), run.stdout).to.have.length(1);
      expect(failed[0]?.message).to.match(/^no scheduler acted on pod ka-conformance-\S+ within \d+s \(timeout schedulerSilence\).*kube-scheduler is not running or not working/);
      expect(failed[0]?.remediation).to.include('kube-scheduler').and.not.include('10250');
      expect(blocked.length).to.be.greaterThan(3);
      for (const c of blocked) expect(c.message).to.include(`kube-scheduler is not working, as ${failed[0]?.id} found`);
      // What needs no scheduler still runs and passes: the API answers, the node is Ready.
      expect(other.map((c) => `${c.id} ${c.status}`)).to.have.members(['conformance/api-version passed', 'conformance/nodes-ready passed']);
      expect(await namespacesOfRun(clusterClients(broken.kubeconfig), runIdOf(run.stdout) ?? '?')).to.deep.equal([]);
    });
  });

  describe('kube-controller-manager stopped', () => {
    const broken = withComponentStopped('controller-manager', 'kube-controller-manager');
    let runId: string | undefined;

    it('GIVEN conformance THEN the first namespace check fails naming kube-controller-manager and the rest skip pointing at it', async () => {
      const run = await runCli(['run', '--suite', 'conformance', '--kubeconfig', broken.kubeconfig, '--report-dir', broken.reportDir]);
      runId = runIdOf(run.stdout);
      expect(run.code, run.stdout + run.stderr).to.equal(1);
      const { failed, blocked } = verdicts(broken.reportDir);
      expect(failed.map((c) => c.id), run.stdout).to.have.length(1);
      expect(failed[0]?.message).to.match(/ServiceAccount ka-conformance-\S+\/default .*kube-controller-manager/);
      expect(failed[0]?.remediation).to.include('kube-controller-manager');
      expect(blocked.length, run.stdout).to.be.greaterThan(3);
      for (const c of blocked) expect(c.message).to.include(`kube-controller-manager is not working, as ${failed[0]?.id} found`);
      // Namespaces cannot finish deleting without the controller-manager: the run says how to finish.
      expect(run.stdout).to.include(`kube-assay cleanup --run-id ${runId ?? '?'}`);
    });

    // Registered after withComponentStopped's own after(), so it runs once the controller-manager is back.
    after(async function () {
      if (runId === undefined) return;
      const kubeconfig = requireCluster(this);
      const cleanup = await runCli(['cleanup', '--run-id', runId, '--kubeconfig', kubeconfig]);
      expect(cleanup.code, cleanup.stdout + cleanup.stderr).to.equal(0);
      expect(await namespacesOfRun(clusterClients(kubeconfig), runId)).to.deep.equal([]);
    });
  });

  describe('an unpullable probe image', () => {
    let kubeconfig: string;
    let dir: string;
    before(function () {
      kubeconfig = requireCluster(this);
      dir = mkdtempSync(join(tmpdir(), 'ka-unpullable-'));
    });
    after(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('GIVEN images.probe that does not exist THEN the first pod check fails within imagePull naming the image and the pull error', async () => {
      const image = 'kube-assay.local/no-such-probe:0.0';
      writeFileSync(join(dir, 'assay.yaml'), `images:\n  probe: ${image}\n`);
      const run = await runCli(['run', '--suite', 'conformance', '--config', join(dir, 'assay.yaml'), '--kubeconfig', kubeconfig, '--report-dir', join(dir, 'reports')]);
      expect(run.code, run.stdout + run.stderr).to.equal(1);
      const { failed, blocked } = verdicts(join(dir, 'reports'));
      expect(failed.map((c) => c.id), run.stdout).to.have.length(1);
      expect(failed[0]?.message).to.include(`cannot pull image ${image}`).and.include('(timeout imagePull)').and.include('the kubelet said: ');
      expect(failed[0]?.remediation).to.include('images.probe');
      expect(blocked.length, run.stdout).to.be.greaterThan(3);
      for (const c of blocked) expect(c.message).to.include('the probe image cannot be pulled');
      expect(await namespacesOfRun(clusterClients(kubeconfig), runIdOf(run.stdout) ?? '?')).to.deep.equal([]);
    });
  });
});
