// On a live cluster with NetworkPolicy enforced (the testbed: kube-router): the whole netpol
// suite passes with the testbed's waivers (its known named-port bug, see generated.test.ts), every
// scenario agrees with the simulator (skips only for a missing cluster DNS or metadata service,
// with the reason), and it leaves nothing.
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENFORCEMENT_SCENARIO } from '../../../src/netpol/enforcement-scenario.js';
import { SCENARIOS } from '../../../src/netpol/scenarios.js';
import { packageRoot } from '../../../src/config/paths.js';
import type { RunReport } from '../../../src/report/model.js';
import { clusterClients, namespacesOfRun, requireCluster, runCli } from '../harness/support.js';

describe('cluster: kube-assay run --suite netpol (NetworkPolicy enforced)', function () {
  this.timeout(0);
  let kubeconfig: string;
  let reportDir: string;

  before(function () {
    kubeconfig = requireCluster(this);
    reportDir = mkdtempSync(join(tmpdir(), 'ka-netpol-'));
  });
  after(() => {
    if (reportDir) rmSync(reportDir, { recursive: true, force: true });
  });

  it('passes enforcement and every scenario, reports the generated cases waived (not passed), reports truth tables, and leaves no namespace of the run', async () => {
    const started = Date.now();
    const run = await runCli(['run', '--suite', 'netpol', '--kubeconfig', kubeconfig, '--report-dir', reportDir, '--waivers', join(packageRoot, 'testbed', 'waivers.yaml')]);
    const wallMs = Date.now() - started;
    expect(run.code, `${run.stdout}\n${run.stderr}`).to.equal(0);
    const report = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')) as RunReport;
    const checks = report.suites.flatMap((s) => s.checks);
    const byId = new Map(checks.map((c) => [c.id, c]));
    expect(byId.get(ENFORCEMENT_SCENARIO.id)?.status).to.equal('passed');
    expect(byId.get('netpol/generated-cases')?.status, byId.get('netpol/generated-cases')?.message).to.equal('waived');
    const skipped: string[] = [];
    for (const scenario of SCENARIOS) {
      const result = byId.get(scenario.id);
      expect(result, scenario.id).to.not.equal(undefined);
      if (result?.status === 'skipped') {
        // Only a missing cluster DNS or metadata service may skip a scenario, and it must say so.
        expect(scenario.requires ?? [], `${scenario.id} skipped without a requirement: ${result.message ?? ''}`).to.not.deep.equal([]);
        expect(result.message ?? '').to.match(/^needs (cluster DNS|a cloud metadata service)/);
        skipped.push(`${scenario.id}: ${result.message ?? ''}`);
        continue;
      }
      expect(result?.status, `${scenario.id}: ${result?.message ?? ''}`).to.equal('passed');
      expect(result?.attachments.some((a) => a.kind === 'table' && a.title.includes('observed')), `${scenario.id} observed tables`).to.equal(true);
    }
    console.log(`      netpol suite: ${(wallMs / 1000).toFixed(1)} s wall, ${report.summary.passed} passed, ${report.summary.warn} warned, ${report.summary.skipped} skipped`);
    for (const s of skipped) console.log(`      skipped ${s}`);
    expect(skipped.length, 'at most the DNS and metadata scenarios skip').to.be.at.most(2);
    expect(readFileSync(join(reportDir, 'junit.xml'), 'utf8')).to.include('netpol/policy-update');
    expect(existsSync(join(reportDir, 'report.html'))).to.equal(true);
    expect(await namespacesOfRun(clusterClients(kubeconfig), report.metadata.runId)).to.deep.equal([]);
  });
});
