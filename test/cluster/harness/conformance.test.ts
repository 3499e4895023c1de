// On a live cluster: the conformance suite passes, writes the three reports, and leaves no
// labelled namespace behind.
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunReport } from '../../../src/report/model.js';
import { clusterClients, namespacesOfRun, requireCluster, runCli } from './support.js';

describe('cluster: kube-assay run --suite conformance', function () {
  this.timeout(0);
  let kubeconfig: string;
  let reportDir: string;

  before(function () {
    kubeconfig = requireCluster(this);
    reportDir = mkdtempSync(join(tmpdir(), 'ka-conformance-'));
  });
  after(() => {
    if (reportDir) rmSync(reportDir, { recursive: true, force: true });
  });

  it('passes every check, writes junit.xml, report.json and report.html, and leaves no namespace of the run', async () => {
    const run = await runCli(['run', '--suite', 'conformance', '--kubeconfig', kubeconfig, '--report-dir', reportDir]);
    expect(run.code, `${run.stdout}\n${run.stderr}`).to.equal(0);
    for (const file of ['junit.xml', 'report.json', 'report.html']) expect(existsSync(join(reportDir, file)), file).to.equal(true);
    const report = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')) as RunReport;
    expect(report.summary).to.include({ verdict: 'passed', failed: 0 });
    expect(report.summary.passed).to.equal(9);
    expect(report.suites[0]?.checks.map((c) => c.id)).to.include.members(['conformance/dns-service', 'conformance/service-endpoints', 'conformance/emptydir-lifecycle']);
    expect(readFileSync(join(reportDir, 'junit.xml'), 'utf8')).to.include('conformance/dns-service');
    expect(await namespacesOfRun(clusterClients(kubeconfig), report.metadata.runId)).to.deep.equal([]);
  });
});
