// On the testbed, with this clone's kube-assay image: `run --in-cluster` runs the suites in a Job
// whose ServiceAccount holds only the RBAC generated for them, retrieves three valid reports
// (verified against the runner's checksums), exits with the run's code and leaves nothing; with
// the NetworkPolicy enforcer stopped it fails with exit 1 and the netpol failure in the report;
// SIGINT midway stops it and still leaves nothing.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pollUntil } from '../../../src/cluster/wait.js';
import { kubectl } from '../../support/kubectl.js';
import { clusterClients, runCli, startCli, withComponentStopped } from '../harness/support.js';
import { expectThreeValidReports, inClusterRunIdOf, leftoversOfRun, requireTestbedWithImage } from './support.js';

describe('cluster: kube-assay run --in-cluster (testbed)', function () {
  this.timeout(0);
  let kubeconfig: string;
  let reportDir: string;

  before(async function () {
    kubeconfig = await requireTestbedWithImage(this);
  });
  beforeEach(() => {
    reportDir = mkdtempSync(join(tmpdir(), 'ka-incluster-'));
  });
  afterEach(() => rmSync(reportDir, { recursive: true, force: true }));

  it('runs conformance in a Job as the generated least-privilege ServiceAccount, retrieves three valid reports, exits 0 and leaves nothing', async () => {
    const run = await runCli(['run', '--in-cluster', '--suite', 'conformance', '--kubeconfig', kubeconfig, '--report-dir', reportDir]);
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.code, output).to.equal(0);
    const runId = inClusterRunIdOf(run.stdout);
    expect(runId, output).to.be.a('string');
    // The runner's own preflight line, streamed from the pod: it ran as the run's ServiceAccount.
    expect(run.stdout).to.match(new RegExp(`identity: system:serviceaccount:ka-run-${runId ?? ''}:kube-assay`));
    expect(run.stdout).to.include('PASS  conformance/dns-service');
    expect(run.stdout).to.include('retrieved and verified (SHA-256 published by the runner)');
    const report = expectThreeValidReports(reportDir);
    expect(report.metadata.runId).to.equal(runId);
    expect(report.summary.verdict).to.equal('passed');
    expect(report.summary.passed).to.equal(report.suites.flatMap((s) => s.checks).length);
    expect(await leftoversOfRun(clusterClients(kubeconfig), runId ?? '')).to.deep.equal([]);
  });

  describe('with the NetworkPolicy enforcer stopped', () => {
    withComponentStopped('netpol', 'the NetworkPolicy enforcer (kube-router)');

    it('fails with exit 1, the netpol/enforcement failure in the retrieved report, and leaves nothing', async () => {
      const run = await runCli(['run', '--in-cluster', '--suite', 'netpol', '--grep', 'netpol/(enforcement|no-policy)', '--kubeconfig', kubeconfig, '--report-dir', reportDir]);
      const output = `${run.stdout}\n${run.stderr}`;
      expect(run.code, output).to.equal(1);
      expect(run.stdout).to.include('FAIL  netpol/enforcement');
      const report = expectThreeValidReports(reportDir);
      const byId = new Map(report.suites.flatMap((s) => s.checks).map((c) => [c.id, c]));
      expect(byId.get('netpol/enforcement')?.status, output).to.equal('failed');
      expect(byId.get('netpol/no-policy')?.status, output).to.equal('passed');
      expect(await leftoversOfRun(clusterClients(kubeconfig), inClusterRunIdOf(run.stdout) ?? '')).to.deep.equal([]);
    });
  });

  it('the Job alone (kubectl apply of `kube-assay manifests`) prints its summary, keeps results for `kube-assay results`, and `cleanup --run-id` removes it', async () => {
    const manifests = await runCli(['manifests', '--suite', 'conformance', '--grep', 'conformance/api-version', '--hold', '300']);
    expect(manifests.code, manifests.stderr).to.equal(0);
    const runId = /^# One in-cluster kube-assay (\S+) run/m.exec(manifests.stdout)?.[1] ?? '';
    const namespace = `ka-run-${runId}`;
    const clients = clusterClients(kubeconfig);
    try {
      const apply = await kubectl(['apply', '-f', '-'], { input: manifests.stdout });
      expect(apply.code, apply.stderr).to.equal(0);
      // `results` follows the runner until it published, then retrieves and verifies.
      const results = await runCli(['results', '--namespace', namespace, '--kubeconfig', kubeconfig, '--report-dir', reportDir]);
      expect(results.code, `${results.stdout}\n${results.stderr}`).to.equal(0);
      expect(results.stdout).to.include('retrieved and verified');
      expect(expectThreeValidReports(reportDir).metadata.runId).to.equal(runId);
      const log = await kubectl(['logs', '-n', namespace, 'job/kube-assay']);
      expect(log.stdout).to.match(/^1 passed, 0 failed, 0 warned, 0 skipped in .* \(run /m);
      expect(log.stdout).to.include(`kube-assay results --namespace ${namespace}`);
    } finally {
      const cleanup = await runCli(['cleanup', '--run-id', runId, '--kubeconfig', kubeconfig]);
      expect(cleanup.code, `${cleanup.stdout}\n${cleanup.stderr}`).to.equal(0);
    }
    expect(await leftoversOfRun(clients, runId)).to.deep.equal([]);
  });

  it('SIGINT while the runner is midway stops it, exits 130 and leaves nothing of the run', async () => {
    const clients = clusterClients(kubeconfig);
    const run = startCli(['run', '--in-cluster', '--suite', 'conformance', '--kubeconfig', kubeconfig, '--report-dir', reportDir]);
    const deadline = { name: 'test', ms: 180_000 };
    const runId = await pollUntil(async () => inClusterRunIdOf(run.stdout()), (id) => id !== undefined || run.child.exitCode !== null, { expectation: 'the run id', deadline, describe: () => run.stdout() });
    expect(runId, run.stdout()).to.be.a('string');
    // Midway: the runner has created probe namespaces of its own (beside the runner's).
    await pollUntil(async () => (await leftoversOfRun(clients, runId ?? '')).filter((o) => o.startsWith('Namespace/')).length, (n) => n >= 2 || run.child.exitCode !== null, {
      expectation: 'a probe namespace created from inside the cluster',
      deadline,
      describe: (n) => `${n ?? 0} namespaces; output: ${run.stdout()}`,
    });
    expect(run.child.exitCode, run.stdout()).to.equal(null);
    run.child.kill('SIGINT');
    const result = await run.done;
    expect(result.code, `${result.stdout}\n${result.stderr}`).to.equal(130);
    expect(result.stdout).to.include(`SIGINT: stopping the in-cluster run ${runId ?? ''}`);
    expect(await leftoversOfRun(clients, runId ?? '')).to.deep.equal([]);
  });
});
