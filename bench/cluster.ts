// What the cluster benches share: which cluster to measure (KUBE_ASSAY_TEST_KUBECONFIG, else the
// local testbed's admin kubeconfig), the sentence when there is none, and one timed CLI run that
// returns its exit code and the report it wrote.
import { spawn, type StdioOptions } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/config/paths.js';
import type { RunReport } from '../src/report/model.js';

export const CLI = join(packageRoot, 'dist', 'src', 'cli', 'main.js');

/** The kubeconfig the benches measure with, or undefined when there is no cluster. */
export function benchKubeconfig(): string | undefined {
  const candidates = [process.env.KUBE_ASSAY_TEST_KUBECONFIG, join(packageRoot, '.testbed', 'kubeconfig')];
  return candidates.find((p): p is string => p !== undefined && p !== '' && existsSync(p));
}

/** Says there is no cluster to measure and returns the benches' exit code for it. */
export function noCluster(bench = 'bench'): number {
  console.error(`${bench}: no cluster: set KUBE_ASSAY_TEST_KUBECONFIG or start the testbed (npm run testbed:up), then run npm run bench again.`);
  return 2;
}

export interface CliRun {
  code: number | null;
  wallMs: number;
  /** report.json of the run, when it wrote one. */
  report?: RunReport;
  stdout: string;
  stderr: string;
}

/** Runs `kube-assay ARGS --report-dir reportDir`, timed; stdout and stderr are kept unless inherited. */
export function runCliTimed(args: readonly string[], reportDir: string, options: { stdio?: StdioOptions } = {}): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args, '--report-dir', reportDir], { stdio: options.stdio ?? ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    // A SIGTERM to the bench alone (a Ctrl-C reaches the child's process group by itself) stops
    // the child's run gracefully too, so nothing it created outlives the bench.
    const forward = (): void => {
      child.kill('SIGTERM');
    };
    process.on('SIGTERM', forward);
    child.on('close', (code) => {
      process.off('SIGTERM', forward);
      const file = join(reportDir, 'report.json');
      const report = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as RunReport) : undefined;
      resolve({ code, wallMs: Date.now() - started, stdout, stderr, ...(report === undefined ? {} : { report }) });
    });
  });
}
