// On the healthy testbed: every live check of the resources suite passes, the audits (which by
// default judge only namespaces that are neither the platform's nor kube-assay's own: on the
// testbed just `default`, which runs nothing) are skipped with their reasons, and the run leaves
// no namespace. The wall time and the HPA's reaction are printed; targets live in the bench.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterClients, namespacesOfRun, requireCluster, runCli } from '../harness/support.js';
import { checkOf, readReport } from '../storage/support.js';
import { HPA_REACTION_TABLE } from '../../../src/resources/hpa.js';

const LIVE = ['resources/qos-classes', 'resources/quota-enforced', 'resources/limitrange-defaults', 'resources/memory-limit-enforced', 'resources/metrics-api', 'resources/hpa-scales'];

describe('cluster: kube-assay run --suite resources on the healthy testbed', function () {
  this.timeout(0);
  let kubeconfig: string;
  let reportDir: string;

  before(function () {
    kubeconfig = requireCluster(this);
    reportDir = mkdtempSync(join(tmpdir(), 'ka-resources-'));
  });
  after(() => {
    if (reportDir) rmSync(reportDir, { recursive: true, force: true });
  });

  it('passes every live check, skips the audits of a cluster with no tenant workload saying why, and leaves no namespace', async () => {
    const started = Date.now();
    const run = await runCli(['run', '--suite', 'resources', '--kubeconfig', kubeconfig, '--report-dir', reportDir]);
    const wallMs = Date.now() - started;
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.code, output).to.equal(0);
    const report = readReport(reportDir);
    for (const id of LIVE) expect(checkOf(report, id)?.status, `${id}\n${output}`).to.equal('passed');

    const qos = checkOf(report, 'resources/qos-classes')?.attachments.find((a) => a.kind === 'table');
    expect(qos?.kind === 'table' ? qos.rows.map((r) => r[3]) : []).to.deep.equal(['BestEffort', 'Guaranteed', 'Burstable', 'Burstable']);
    const quota = checkOf(report, 'resources/quota-enforced')?.attachments.find((a) => a.kind === 'text' && a.title === 'quota refusal recorded in the events');
    expect(quota?.kind === 'text' ? quota.body : '').to.match(/is forbidden: exceeded quota: compute, requested: limits\.cpu=500m, used: limits\.cpu=2, limited: limits\.cpu=2/);
    const limits = checkOf(report, 'resources/memory-limit-enforced')?.attachments.find((a) => a.kind === 'table');
    expect(limits?.kind === 'table' ? limits.rows.map((r) => r[2]) : []).to.satisfy((rows: string[]) => /^terminated with reason OOMKilled/.test(rows[0] ?? '') && /^throttled in \d+ of \d+ periods/.test(rows[2] ?? ''));

    const checks = report.suites.flatMap((s) => s.checks).filter((c) => !LIVE.includes(c.id));
    expect(checks.length, 'the catalogue\'s 14 audits ran').to.equal(14);
    for (const c of checks) {
      expect(c.status, `${c.id}: ${c.message ?? ''}`).to.equal('skipped');
      expect(c.message, c.id).to.match(/^no (workload|pod|audited namespace|ResourceQuota|HPA|cluster autoscaler)/);
    }

    const reaction = checkOf(report, 'resources/hpa-scales')?.attachments.find((a) => a.kind === 'table' && a.title === HPA_REACTION_TABLE);
    console.log(`      resources suite: ${(wallMs / 1000).toFixed(1)} s wall; HPA: ${reaction?.kind === 'table' ? reaction.rows.map((r) => `${r[0]} ${r[2]}`).join(', ') : 'no timings'}`);
    expect(await namespacesOfRun(clusterClients(kubeconfig), report.metadata.runId)).to.deep.equal([]);
  });
});
