// `npm run bench -- resources` (or node dist/bench/resources.bench.js): runs the resources suite
// against a live cluster, the testbed by default, and prints its wall time, each check's
// duration and the HPA's reaction (load start -> replicas raised, and HPA created ->
// ScalingActive) as resources/hpa-scales measured them. Target: the suite < 3 minutes, the HPA
// check dominating. A benchmark, not a test: it measures and prints; it asserts nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckResult } from '../src/report/model.js';
import { HPA_REACTION_TABLE } from '../src/resources/hpa.js';
import { benchKubeconfig, noCluster, runCliTimed, type CliRun } from './cluster.js';
import { median, runBench } from './stats.js';

const RUNS = Number(process.env.KUBE_ASSAY_BENCH_RUNS ?? 2);
const TARGET_MS = 180_000;

function runOnce(config: string, reportDir: string): Promise<CliRun> {
  return runCliTimed(['run', '--suite', 'resources', '--kubeconfig', config], reportDir, { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** The HPA timings the check attached: measure -> milliseconds. */
export function hpaTimings(check: CheckResult | undefined): Record<string, number> {
  const table = check?.attachments.find((a) => a.kind === 'table' && a.title === HPA_REACTION_TABLE);
  if (table?.kind !== 'table') return {};
  return Object.fromEntries(table.rows.map((r) => [r[0] ?? '?', Number(r[1])]));
}

const seconds = (ms: number): string => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(1)} s` : 'n/a');

async function main(): Promise<number> {
  const config = benchKubeconfig();
  if (config === undefined) return noCluster();
  const dir = mkdtempSync(join(tmpdir(), 'ka-resources-bench-'));
  const results: CliRun[] = [];
  try {
    for (let i = 1; i <= RUNS; i++) {
      const r = await runOnce(config, join(dir, `run-${i}`));
      results.push(r);
      const checks = r.report?.suites.flatMap((s) => s.checks) ?? [];
      const timings = hpaTimings(checks.find((c) => c.id === 'resources/hpa-scales'));
      console.log(`run ${i}/${RUNS}: exit ${String(r.code)}, ${seconds(r.wallMs)} wall; HPA: ${Object.entries(timings).map(([k, v]) => `${k} ${seconds(v)}`).join(', ') || 'no timings (check failed?)'}`);
      for (const c of checks.filter((x) => x.status !== 'skipped')) console.log(`  ${c.status.padEnd(7)} ${c.id.padEnd(36)} ${seconds(c.durationMs ?? Number.NaN)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const failed = results.filter((r) => r.code !== 0).length;
  const wall = median(results.map((r) => r.wallMs));
  const timing = (measure: string): number => median(results.map((r) => hpaTimings(r.report?.suites.flatMap((s) => s.checks).find((c) => c.id === 'resources/hpa-scales'))[measure] ?? Number.NaN));
  console.log('');
  console.log(`resources suite x${results.length} on ${config}${failed > 0 ? ` (${failed} run(s) did not pass)` : ''}: medians`);
  console.log(`  suite wall time                  ${seconds(wall)}   (target < ${seconds(TARGET_MS)}: ${wall < TARGET_MS ? 'met' : 'NOT met'})`);
  console.log(`  HPA reaction: load start -> replicas raised   ${seconds(timing('load start -> replicas raised'))}`);
  console.log(`  HPA created -> ScalingActive                  ${seconds(timing('HPA created -> ScalingActive'))}`);
  return 0;
}

runBench(main);
