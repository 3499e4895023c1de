// `npm run bench`: runs the conformance suite 5 times against a live cluster (the testbed by
// default) and prints the median wall time, the harness's peak RSS and the API requests it made.
// A benchmark, not a test: it measures and prints, it asserts nothing about speed.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../src/config/paths.js';
import type { RunStats } from '../src/cli/run.js';
import { RUNTIME_NODE_FLAGS } from '../src/cli/node-flags.js';
import { benchKubeconfig, CLI as cli, noCluster } from './cluster.js';
import { median, runBench } from './stats.js';

const RUNS = Number(process.env.KUBE_ASSAY_BENCH_RUNS ?? 5);

function runOnce(config: string, dir: string, index: number): Promise<RunStats & { outerWallMs: number }> {
  const statsFile = join(dir, `stats-${index}.json`);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...RUNTIME_NODE_FLAGS, cli, 'run', '--suite', 'conformance', '--kubeconfig', config, '--report-dir', join(dir, `reports-${index}`)], {
      env: { ...process.env, KUBE_ASSAY_STATS_FILE: statsFile },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => {
      if (!existsSync(statsFile)) {
        reject(new Error(`run ${index} exited ${String(code)} without stats: ${stderr.trim()}`));
        return;
      }
      const stats = JSON.parse(readFileSync(statsFile, 'utf8')) as RunStats;
      resolve({ ...stats, outerWallMs: Date.now() - started });
    });
  });
}

const testbedScript = join(packageRoot, 'testbed', 'testbed.sh');

function testbed(action: 'stop' | 'start', component: string): Promise<number> {
  return new Promise((resolve) => spawn('bash', [testbedScript, action, component], { stdio: 'ignore' }).on('close', (code) => resolve(code ?? 1)));
}

/** One run with kube-scheduler stopped on the testbed (skipped elsewhere), restarting it after. */
async function runWithSchedulerStopped(config: string, dir: string): Promise<(RunStats & { outerWallMs: number }) | undefined> {
  if (!existsSync(testbedScript) || config !== join(packageRoot, '.testbed', 'kubeconfig')) {
    console.log('scheduler-stopped run skipped: it needs the local testbed (testbed/testbed.sh and .testbed/kubeconfig)');
    return undefined;
  }
  if ((await testbed('stop', 'scheduler')) !== 0) throw new Error('testbed stop scheduler failed');
  try {
    return await runOnce(config, dir, 0);
  } finally {
    if ((await testbed('start', 'scheduler')) !== 0) console.error('bench: could not start the scheduler again: run npm run testbed -- start scheduler');
  }
}

async function main(): Promise<number> {
  const config = benchKubeconfig();
  if (config === undefined) return noCluster();
  const dir = mkdtempSync(join(tmpdir(), 'ka-bench-'));
  const results: Array<RunStats & { outerWallMs: number }> = [];
  let broken: (RunStats & { outerWallMs: number }) | undefined;
  try {
    for (let i = 1; i <= RUNS; i++) {
      const r = await runOnce(config, dir, i);
      results.push(r);
      console.log(
        `run ${i}/${RUNS}: exit ${r.exitCode}, wall ${(r.outerWallMs / 1000).toFixed(1)}s (process), ` +
          `${(r.wallMs / 1000).toFixed(1)}s (harness), peak RSS ${(r.maxRssBytes / 2 ** 20).toFixed(0)} MiB, API requests ${r.apiRequests}`,
      );
    }
    broken = await runWithSchedulerStopped(config, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const failed = results.filter((r) => r.exitCode !== 0).length;
  console.log('');
  console.log(`conformance suite x${results.length} on ${config}${failed > 0 ? ` (${failed} run(s) did not pass)` : ''}`);
  console.log(`  median wall time : ${(median(results.map((r) => r.outerWallMs)) / 1000).toFixed(1)} s (target < 30 s)`);
  console.log(`  peak RSS         : ${(Math.max(...results.map((r) => r.maxRssBytes)) / 2 ** 20).toFixed(0)} MiB max, ${(median(results.map((r) => r.maxRssBytes)) / 2 ** 20).toFixed(0)} MiB median (target < 150 MB)`);
  console.log(`  API requests     : ${median(results.map((r) => r.apiRequests))} median per run (min ${Math.min(...results.map((r) => r.apiRequests))}, max ${Math.max(...results.map((r) => r.apiRequests))})`);
  if (broken !== undefined) {
    console.log(`  scheduler stopped: ${(broken.outerWallMs / 1000).toFixed(1)} s, exit ${broken.exitCode} (healthy median ${(median(results.map((r) => r.outerWallMs)) / 1000).toFixed(1)} s; target: a complete report within 2 min)`);
  }
  return 0;
}

runBench(main);
