// `npm run bench` (or node dist/bench/storage.bench.js): runs the storage and statefulset suites
// together (--parallel 2) against a live cluster, the testbed by default, and prints each
// suite's wall time next to the waits it cannot avoid: the union of the intervals in which one
// of its pods was starting (or restarting its container) or one of its claims was waiting for a
// volume, observed by a watch of everything labelled managed-by=kube-assay. The ratio says how
// much time the harness adds on top of the cluster. Target: both suites together < 3 minutes.
// A benchmark, not a test: it measures and prints; it asserts nothing.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig, Watch, type V1PersistentVolumeClaim, type V1Pod } from '@kubernetes/client-node';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../src/cluster/labels.js';
import type { RunReport } from '../src/report/model.js';
import { suiteOfNamespace, unionMs, WaitTracker, type WaitInterval } from '../src/storage/waits.js';
import { benchKubeconfig, CLI as cli, noCluster } from './cluster.js';
import { median, runBench } from './stats.js';

const SUITES = ['storage', 'statefulset'];
const RUNS = Number(process.env.KUBE_ASSAY_BENCH_RUNS ?? 3);
const TARGET_MS = 180_000;
const selector = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`;

/** Watches pods and claims of kube-assay in all namespaces, feeding the tracker. */
async function observe(kc: KubeConfig, tracker: WaitTracker): Promise<() => void> {
  const controllers: AbortController[] = [];
  let stopped = false;
  const watchPath = (path: string, feed: (type: string, obj: unknown) => void): void => {
    const start = (): void => {
      if (stopped) return;
      new Watch(kc)
        .watch(path, { labelSelector: selector, allowWatchBookmarks: true }, feed, () => setTimeout(start, 100))
        .then((c) => {
          controllers.push(c);
          if (stopped) c.abort();
        })
        .catch(() => setTimeout(start, 500));
    };
    start();
  };
  watchPath('/api/v1/pods', (type, obj) => {
    if (type !== 'BOOKMARK' && type !== 'ERROR') tracker.observePod(type, obj as V1Pod, Date.now());
  });
  watchPath('/api/v1/persistentvolumeclaims', (type, obj) => {
    if (type !== 'BOOKMARK' && type !== 'ERROR') tracker.observeClaim(type, obj as V1PersistentVolumeClaim, Date.now());
  });
  return () => {
    stopped = true;
    for (const c of controllers) c.abort();
  };
}

interface RunResult {
  exitCode: number | null;
  wallMs: number;
  report?: RunReport;
  intervals: WaitInterval[];
}

async function runOnce(config: string, dir: string, index: number): Promise<RunResult> {
  const kc = new KubeConfig();
  kc.loadFromFile(config);
  const tracker = new WaitTracker();
  const stop = await observe(kc, tracker);
  const reportDir = join(dir, `reports-${index}`);
  const started = Date.now();
  const args = [cli, 'run', ...SUITES.flatMap((s) => ['--suite', s]), '--parallel', String(SUITES.length), '--kubeconfig', config, '--report-dir', reportDir];
  let stdout = '';
  const exitCode = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.on('close', (code) => resolve(code));
  });
  const wallMs = Date.now() - started;
  stop();
  const reportFile = join(reportDir, 'report.json');
  const report = existsSync(reportFile) ? (JSON.parse(readFileSync(reportFile, 'utf8')) as RunReport) : undefined;
  // Only this run's objects: other runs may share the cluster.
  const runId = report?.metadata.runId ?? /^run (\S+): suites /m.exec(stdout)?.[1];
  return { exitCode, wallMs, report, intervals: tracker.intervals(Date.now()).filter((i) => runId !== undefined && i.runId === runId) };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

interface Row {
  label: string;
  wallMs: number;
  waitMs: number;
  pods: number;
  binds: number;
}

function rowsOf(r: RunResult): Row[] {
  const bySuite = (suite: string | undefined): WaitInterval[] => r.intervals.filter((i) => (suite === undefined ? suiteOfNamespace(i.namespace, SUITES) !== undefined : suiteOfNamespace(i.namespace, SUITES) === suite));
  const row = (label: string, wallMs: number, intervals: WaitInterval[]): Row => ({
    label,
    wallMs,
    waitMs: unionMs(intervals),
    pods: intervals.filter((i) => i.kind === 'pod-start').length,
    binds: intervals.filter((i) => i.kind === 'volume-bind').length,
  });
  const suiteRows = SUITES.map((s) => row(`suite ${s}`, r.report?.suites.find((x) => x.name === s)?.durationMs ?? Number.NaN, bySuite(s)));
  return [...suiteRows, row('both, in parallel (process wall time)', r.wallMs, bySuite(undefined))];
}

function printRows(rows: Row[]): void {
  console.log(`  ${'what'.padEnd(40)} ${'wall'.padStart(9)} ${'waits'.padStart(9)} ${'ratio'.padStart(6)}  pod starts / volume binds`);
  for (const r of rows) {
    const ratio = r.waitMs > 0 ? (r.wallMs / r.waitMs).toFixed(2) : 'n/a';
    console.log(`  ${r.label.padEnd(40)} ${seconds(r.wallMs).padStart(9)} ${seconds(r.waitMs).padStart(9)} ${ratio.padStart(6)}  ${r.pods} / ${r.binds}`);
  }
}

async function main(): Promise<number> {
  const config = benchKubeconfig();
  if (config === undefined) return noCluster();
  const dir = mkdtempSync(join(tmpdir(), 'ka-storage-bench-'));
  const results: RunResult[] = [];
  try {
    for (let i = 1; i <= RUNS; i++) {
      const r = await runOnce(config, dir, i);
      results.push(r);
      const summary = r.report?.summary;
      console.log(`run ${i}/${RUNS}: exit ${String(r.exitCode)}, ${summary ? `${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped` : 'no report'}`);
      for (const c of r.report?.suites.flatMap((x) => x.checks).filter((x) => x.status === 'failed') ?? []) console.log(`  FAILED ${c.id}: ${c.message ?? ''}`);
      printRows(rowsOf(r));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const failed = results.filter((r) => r.exitCode !== 0).length;
  const all = results.map(rowsOf);
  const medianRows = (all[0] ?? []).map((row, k) => ({
    ...row,
    wallMs: median(all.map((rows) => rows[k]?.wallMs ?? Number.NaN)),
    waitMs: median(all.map((rows) => rows[k]?.waitMs ?? Number.NaN)),
  }));
  console.log('');
  console.log(`storage + statefulset suites x${results.length} on ${config}${failed > 0 ? ` (${failed} run(s) did not pass)` : ''}: medians`);
  console.log('  waits = union of the intervals in which a pod of the suite was starting (or restarting its container) or a claim was waiting for its volume');
  printRows(medianRows);
  const total = medianRows[medianRows.length - 1];
  if (total !== undefined) console.log(`  target: both suites < ${seconds(TARGET_MS)}: ${total.wallMs < TARGET_MS ? 'met' : 'NOT met'} (${seconds(total.wallMs)})`);
  return 0;
}

runBench(main);
