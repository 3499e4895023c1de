// On the testbed with its NetworkPolicy enforcer (kube-router) stopped: netpol/enforcement fails
// with ONE clear sentence, the scenarios that need enforcement are skipped pointing at it (not
// failed cell by cell), a scenario without blocked cells still runs, and the run exits 1. The
// enforcer is started again whatever happens.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunReport } from '../../../src/report/model.js';
import { runCli, withComponentStopped } from '../harness/support.js';

describe('cluster: netpol with the NetworkPolicy enforcer stopped (testbed)', function () {
  this.timeout(0);
  const broken = withComponentStopped('netpol', 'the NetworkPolicy enforcer');

  it('fails netpol/enforcement with the sentence naming the policy and the cell, skips the rest with a pointer, exit 1', async () => {
    const run = await runCli(['run', '--suite', 'netpol', '--grep', 'netpol/(enforcement|no-policy|default-deny-ingress|policy-update)',
      '--kubeconfig', broken.kubeconfig, '--report-dir', broken.reportDir]);
    expect(run.code, `${run.stdout}\n${run.stderr}`).to.equal(1);
    const report = JSON.parse(readFileSync(join(broken.reportDir, 'report.json'), 'utf8')) as RunReport;
    const byId = new Map(report.suites.flatMap((s) => s.checks).map((c) => [c.id, c]));
    const enforcement = byId.get('netpol/enforcement');
    expect(enforcement?.status).to.equal('failed');
    expect(enforcement?.message).to.match(
      /^NetworkPolicy objects are accepted but not enforced: traffic that policy y\/enforcement-deny-ingress must block was allowed from x\/a to y\/a on 80\/TCP, as were all 47 other cells the policies must block\.$/);
    expect(enforcement?.remediation).to.include('CNI');
    for (const id of ['netpol/default-deny-ingress', 'netpol/policy-update']) {
      expect(byId.get(id)?.status, id).to.equal('skipped');
      expect(byId.get(id)?.message, id).to.match(/^NetworkPolicy is not enforced in this cluster \(see netpol\/enforcement\)/);
    }
    expect(byId.get('netpol/no-policy')?.status).to.equal('passed');
    expect(report.summary.failed).to.equal(1);
    expect(run.stdout).to.include('FAIL  netpol/enforcement');
  });
});
