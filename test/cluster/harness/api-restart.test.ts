// On the testbed: the API server restarts a few seconds into a run. Requests that the server
// provably did not process are retried, the refusals of a server still starting are waited out,
// and the run ends with every check passed or failed with the API-unavailable sentence, its
// reports written, no namespace left and no raw client exception anywhere in its output.
import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../../support/kubectl.js';
import { readReport } from '../storage/support.js';
import { clusterClients, namespacesOfRun, requireCluster, runIdOf, startCli, testbed, testbedScript } from './support.js';

describe('cluster: an API server restart during a run (testbed)', function () {
  this.timeout(0);
  let kubeconfig: string;
  let dir: string;
  let restarted = false;

  before(function () {
    kubeconfig = requireCluster(this);
    if (!existsSync(testbedScript)) {
      console.log('      skipped: testbed/testbed.sh is not present, so the API server cannot be restarted on purpose');
      this.skip();
    }
    dir = mkdtempSync(join(tmpdir(), 'ka-api-restart-'));
  });
  after(async () => {
    // Whatever happened, leave the API server running for the tests after this one.
    if (restarted) await testbed('start', 'apiserver');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('GIVEN conformance running WHEN the API server restarts THEN checks pass or fail with the API-unavailable sentence, and nothing is left', async () => {
    const cli = startCli(['run', '--suite', 'conformance', '--kubeconfig', kubeconfig, '--report-dir', join(dir, 'reports')], { CI: 'true' });
    // A few seconds in: once the first check that creates a namespace has started.
    await eventually('the run to start its pod checks', 120_000, async () => (/conformance\/pod-exec-logs/.test(cli.stdout()) ? true : undefined), () => cli.stdout());
    restarted = true;
    const restart = await testbed('restart', 'apiserver');
    expect(restart.code, restart.stderr).to.equal(0);
    const run = await cli.done;
    const output = run.stdout + run.stderr;
    expect(run.code, output).to.be.oneOf([0, 1]);
    expect(output).to.not.match(/HTTP-Code|Unknown API Status Code|Headers: \{/);
    const checks = readReport(join(dir, 'reports')).suites.flatMap((s) => s.checks);
    expect(checks.length).to.be.greaterThan(5);
    for (const c of checks) {
      const ok = c.status === 'passed' || (c.status === 'failed' && /API server was unavailable for/.test(c.message ?? ''));
      expect(ok, `${c.id}: ${c.status} ${c.message ?? ''}`).to.equal(true);
    }
    // Riding through means the run went on: at most the check in flight may give up, every
    // check after the server is back passes.
    const failed = checks.filter((c) => c.status !== 'passed');
    expect(failed.length, failed.map((c) => `${c.id}: ${c.message ?? ''}`).join('\n')).to.be.at.most(1);
    const runId = runIdOf(run.stdout);
    expect(runId, run.stdout).to.be.a('string');
    expect(await namespacesOfRun(clusterClients(kubeconfig), runId as string)).to.deep.equal([]);
  });
});
