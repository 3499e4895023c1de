// `npm run bench -- iam` (or node dist/bench/iam.bench.js): runs the iam suite against a live
// cluster, the testbed by default, and prints its wall time and how many probes it made (one per
// row of the probe tables: a node's metadata pass, a kubelet, an anonymous or tenant request, a
// default ServiceAccount). Target: the suite under 90 s on the testbed.
// A benchmark, not a test: it measures and prints; it asserts nothing.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../src/config/paths.js';
import type { RunReport } from '../src/report/model.js';
import { median, runBench } from './stats.js';

const RUNS = Number(process.env.KUBE_ASSAY_BENCH_RUNS ?? 3);
const TARGET_MS = 90_000;
const cli = join(packageRoot, 'dist', 'src', 'cli', 'main.js');
/** Tables whose rows are probes (the rules review and aws-auth findings are not). */
const PROBE_TABLES = /^(metadata service as seen|kubelets|anonymous requests|requests made as|default ServiceAccounts|would admit)/;

function kubeconfigPath(): string | undefined {
  const candidates = [process.env.KUBE_ASSAY_TEST_KUBECONFIG, join(packageRoot, '.testbed', 'kubeconfig')];
  return candidates.find((p): p is string => p !== undefined && p !== '' && existsSync(p));
}

function runOnce(kubeconfig: string, reportDir: string): Promise<{ code: number | null; wallMs: number; report?: RunReport }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, 'run', '--suite', 'iam', '--kubeconfig', kubeconfig, '--report-dir', reportDir], { stdio: 'ignore' });
    child.on('close', (code) => {
      const file = join(reportDir, 'report.json');
      resolve({ code, wallMs: Date.now() - started, report: existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as RunReport) : undefined });
    });
  });
}

function probeCount(report: RunReport | undefined): number {
  const checks = report?.suites.flatMap((s) => s.checks) ?? [];
  return checks.flatMap((c) => c.attachments).filter((a) => a.kind === 'table' && PROBE_TABLES.test(a.title)).reduce((n, a) => n + (a.kind === 'table' ? a.rows.length : 0), 0);
}

async function main(): Promise<number> {
  const config = kubeconfigPath();
  if (config === undefined) {
    console.error('bench: no cluster: set KUBE_ASSAY_TEST_KUBECONFIG or start the testbed (npm run testbed:up), then run npm run bench again.');
    return 2;
  }
  const dir = mkdtempSync(join(tmpdir(), 'ka-iam-bench-'));
  const walls: number[] = [];
  try {
    for (let i = 1; i <= RUNS; i++) {
      const r = await runOnce(config, join(dir, String(i)));
      walls.push(r.wallMs);
      const s = r.report?.summary;
      console.log(`run ${i}/${RUNS}: exit ${String(r.code)}, ${(r.wallMs / 1000).toFixed(1)} s, ${probeCount(r.report)} probes${s ? `, ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped` : ', no report'}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const wall = median(walls);
  console.log(`iam suite x${walls.length} on ${config}: median ${(wall / 1000).toFixed(1)} s; target < ${TARGET_MS / 1000} s: ${wall < TARGET_MS ? 'met' : 'NOT met'}`);
  return 0;
}

runBench(main);
