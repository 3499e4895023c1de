// On a live cluster: a run stopped with SIGINT midway cleans up before it exits, so no
// namespace labelled with its run id remains.
import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pollUntil } from '../../../src/cluster/wait.js';
import { CheckFailure } from '../../../src/harness/errors.js';
import { packageRoot } from '../../../src/config/paths.js';
import { clusterClients, namespacesOfRun, requireCluster, runIdOf, startCli } from './support.js';

describe('cluster: SIGINT in the middle of a run', function () {
  this.timeout(0);
  let kubeconfig: string;
  let reportDir: string;

  before(function () {
    kubeconfig = requireCluster(this);
    reportDir = mkdtempSync(join(tmpdir(), 'ka-sigint-'));
  });
  after(() => {
    if (reportDir) rmSync(reportDir, { recursive: true, force: true });
  });

  async function interruptMidway(args: string[]): Promise<void> {
    const clients = clusterClients(kubeconfig);
    const run = startCli(['run', ...args, '--kubeconfig', kubeconfig, '--report-dir', reportDir]);
    const exitedEarly = (): void => {
      if (run.child.exitCode !== null) throw new CheckFailure(`the run exited (${run.child.exitCode}) before it could be interrupted: ${run.stdout()}`);
    };
    const runId = await pollUntil(
      async () => {
        exitedEarly();
        return runIdOf(run.stdout());
      },
      (id) => id !== undefined,
      { expectation: 'the run to print its id', deadline: { name: 'test', ms: 60_000 }, describe: () => run.stdout() },
    );
    if (runId === undefined) throw new Error('no run id');
    // Wait until the run has namespaces in the cluster, i.e. it is really midway.
    await pollUntil(async () => {
      exitedEarly();
      return namespacesOfRun(clients, runId);
    }, (names) => names.length > 0, {
      expectation: `a namespace of run ${runId}`,
      deadline: { name: 'test', ms: 120_000 },
      describe: () => run.stdout(),
    });
    run.child.kill('SIGINT');
    const result = await run.done;
    expect(result.code, `${result.stdout}\n${result.stderr}`).to.equal(130);
    expect(result.stdout).to.include(`SIGINT: stopping; cleaning up run ${runId}`);
    expect(await namespacesOfRun(clients, runId)).to.deep.equal([]);
  }

  it('exits 130 after removing every namespace it created', async () => {
    await interruptMidway(['--suite', 'conformance']);
  });

  it('with --parallel, stops every suite process and still leaves nothing', async function () {
    if (!existsSync(`${packageRoot}/dist/suites/storage`)) {
      console.log('      skipped: needs a second suite (storage) to run in parallel with conformance');
      this.skip();
    }
    await interruptMidway(['--suite', 'conformance', '--suite', 'storage', '--parallel', '2']);
  });
});
