// The upgrade-gate recipe of docs/ci.md, in order, against the testbed: a baseline run; a
// component broken (the "upgrade" that goes wrong); a second run; compare exits 1 naming the
// regression; the component restored, a third run, and compare exits 0.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireCluster, runCli, testbed } from '../harness/support.js';

describe('cluster: the upgrade-gate recipe (docs/ci.md) on the testbed', function () {
  this.timeout(0);
  let kubeconfig: string;
  let dir: string;
  let stopped = false;
  // Two checks keep the recipe short: one that CoreDNS breaks, one that it does not.
  const selection = ['--suite', 'conformance', '--grep', 'conformance/(dns-service|api-version)'];
  const run = (reportDir: string, ...extra: string[]) => runCli(['run', ...selection, '--kubeconfig', kubeconfig, '--report-dir', join(dir, reportDir), ...extra]);

  before(function () {
    kubeconfig = requireCluster(this);
    dir = mkdtempSync(join(tmpdir(), 'ka-gate-recipe-'));
  });
  after(async () => {
    if (stopped) await testbed('start', 'coredns');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('GIVEN a baseline, a broken CoreDNS and a second run THEN compare exits 1 naming the regression; restored, it exits 0', async () => {
    const before = await run('before');
    expect(before.code, before.stdout + before.stderr).to.equal(0);

    const stop = await testbed('stop', 'coredns');
    expect(stop.code, stop.stderr).to.equal(0);
    stopped = true;
    const broken = await run('after', '--baseline', join(dir, 'before', 'report.json'));
    expect(broken.code, broken.stdout + broken.stderr).to.equal(1);
    const gate = await runCli(['compare', join(dir, 'before', 'report.json'), join(dir, 'after', 'report.json'), '--out', join(dir, 'gate')]);
    expect(gate.code, gate.stdout + gate.stderr).to.equal(1);
    expect(gate.stdout).to.include('conformance/dns-service');
    const junit = readFileSync(join(dir, 'gate', 'compare-junit.xml'), 'utf8');
    expect(junit).to.match(/<testcase[^>]*name="conformance\/dns-service[^"]*"[^>]*>\s*<failure/);

    const start = await testbed('start', 'coredns');
    expect(start.code, start.stderr).to.equal(0);
    stopped = false;
    const restored = await run('restored');
    expect(restored.code, restored.stdout + restored.stderr).to.equal(0);
    const clean = await runCli(['compare', join(dir, 'before', 'report.json'), join(dir, 'restored', 'report.json'), '--out', join(dir, 'gate-restored')]);
    expect(clean.code, clean.stdout + clean.stderr).to.equal(0);
  });
});
