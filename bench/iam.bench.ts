// `npm run bench -- iam` (or node dist/bench/iam.bench.js): runs the iam suite against a live
// cluster, the testbed by default, and prints its wall time and how many probes it made (one per
// row of the probe tables: a node's metadata pass, a kubelet, an anonymous or tenant request, a
// default ServiceAccount, a broker probe pod's request). Target: the suite under 90 s on the testbed.
// A benchmark, not a test: it measures and prints; it asserts nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunReport } from '../src/report/model.js';
import { benchKubeconfig, noCluster, runCliTimed, type CliRun } from './cluster.js';
import { median, runBench } from './stats.js';

const RUNS = Number(process.env.KUBE_ASSAY_BENCH_RUNS ?? 3);
const TARGET_MS = 90_000;
/** Tables whose rows are probes (the rules review and aws-auth findings are not). */
const PROBE_TABLES = /^(metadata service as seen|kubelets|anonymous requests|requests made as|default ServiceAccounts|would admit|pod -> annotation)/;

function runOnce(kubeconfig: string, reportDir: string): Promise<CliRun> {
  return runCliTimed(['run', '--suite', 'iam', '--kubeconfig', kubeconfig], reportDir, { stdio: 'ignore' });
}

function probeCount(report: RunReport | undefined): number {
  const checks = report?.suites.flatMap((s) => s.checks) ?? [];
  return checks.flatMap((c) => c.attachments).filter((a) => a.kind === 'table' && PROBE_TABLES.test(a.title)).reduce((n, a) => n + (a.kind === 'table' ? a.rows.length : 0), 0);
}

async function main(): Promise<number> {
  const config = benchKubeconfig();
  if (config === undefined) return noCluster();
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
