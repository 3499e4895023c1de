// `npm run bench` (after the harness bench): the network policy probing on a live cluster (the
// testbed by default). Prints, once the 9 probe pods are Ready:
// - the full matrix, 9 x 9 pods x 2 ports x 2 protocols = 324 probes, probed batched (one exec
//   per source pod per round), first round and median of the next rounds;
// - the same matrix probed one exec per cell (a pool of 3 workers, like upstream netpol e2e);
// - the whole `kube-assay run --suite netpol` wall time.
// A benchmark, not a test: it measures and prints; targets are shown next to the figures.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClients } from '../src/cluster/client.js';
import { defaultEnvironment, resolveClusterAccess } from '../src/cluster/kubeconfig.js';
import { packageRoot } from '../src/config/paths.js';
import { TESTBED_PROBE_IMAGE } from '../src/config/types.js';
import { createLab, probeBatchDeadline, PROBE_TIMEOUT_SECONDS } from '../src/netpol/cluster-lab.js';
import { DEFAULT_AGENT_PORT } from '../src/netpol/manifests.js';
import { PerCellProbeRunner } from '../src/netpol/cluster-runner.js';
import { planProbes, type Probe, type ProbeOutcome, type ProbeRunner } from '../src/netpol/probe.js';
import { DEFAULT_PORTS, type TopologyRequest } from '../src/netpol/topology.js';
import type { RunReport } from '../src/report/model.js';
import { BenchContext } from './netpol-context.js';
import { median, runBench } from './stats.js';

const ROUNDS = Number(process.env.KUBE_ASSAY_BENCH_NETPOL_ROUNDS ?? 4);
const RUN_SUITE = process.env.KUBE_ASSAY_BENCH_NETPOL_SUITE !== '0';
const MATRIX: TopologyRequest = { namespaces: ['x', 'y', 'z'], pods: ['a', 'b', 'c'], ports: DEFAULT_PORTS };
const cli = join(packageRoot, 'dist', 'src', 'cli', 'main.js');

function kubeconfig(): string | undefined {
  const candidates = [process.env.KUBE_ASSAY_TEST_KUBECONFIG, join(packageRoot, '.testbed', 'kubeconfig')];
  return candidates.find((p): p is string => p !== undefined && p !== '' && existsSync(p));
}

function tally(outcomes: ReadonlyMap<string, ProbeOutcome>): string {
  const counts = new Map<ProbeOutcome, number>();
  for (const o of outcomes.values()) counts.set(o, (counts.get(o) ?? 0) + 1);
  return [...counts].map(([o, n]) => `${n} ${o}`).join(', ');
}

async function timed(runner: ProbeRunner, probes: readonly Probe[]): Promise<{ ms: number; outcomes: Map<string, ProbeOutcome> }> {
  const started = performance.now();
  const outcomes = await runner.probeAll(probes);
  return { ms: performance.now() - started, outcomes };
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

async function benchMatrix(config: string): Promise<void> {
  const access = resolveClusterAccess({ kubeconfig: config }, defaultEnvironment(packageRoot));
  const clients = createClients(access.kc);
  const ctx = new BenchContext(clients, process.env.KUBE_ASSAY_BENCH_PROBE_IMAGE ?? TESTBED_PROBE_IMAGE);
  const onSignal = (): void => ctx.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  try {
    console.log(`netpol bench (run ${ctx.runId}): creating 3 namespaces x 3 probe pods`);
    const setupStarted = performance.now();
    const lab = await createLab(ctx, MATRIX);
    console.log(`  lab Ready in ${seconds(performance.now() - setupStarted)}`);
    const probes = planProbes(lab.topology, { ports: DEFAULT_PORTS });
    const batched = lab.runnerFor(lab.topology, ctx.signal);
    const rounds: number[] = [];
    let last = new Map<string, ProbeOutcome>();
    for (let i = 0; i < ROUNDS; i++) {
      const before = batched.execCount;
      const round = await timed(batched, probes);
      rounds.push(round.ms);
      last = round.outcomes;
      console.log(`  batched round ${i + 1}: ${probes.length} probes in ${seconds(round.ms)} with ${batched.execCount - before} execs (${tally(round.outcomes)})`);
    }
    const perCellRunner = new PerCellProbeRunner({ ...runnerOptions(lab, ctx) }, 3);
    const perCell = await timed(perCellRunner, probes);
    console.log(`  exec per cell: ${probes.length} probes in ${seconds(perCell.ms)} with ${perCellRunner.execCount} execs (${tally(perCell.outcomes)})`);
    const differing = probes.filter((p) => {
      const key = `${p.from} -> ${p.to} ${p.port}/${p.protocol}`;
      return last.get(key) !== perCell.outcomes.get(key);
    }).length;
    const steady = median(rounds.slice(1).length > 0 ? rounds.slice(1) : rounds);
    console.log('');
    console.log(`full matrix (9 x 9 pods x 2 ports x 2 protocols = ${probes.length} probes), pods Ready:`);
    console.log(`  batched       : ${seconds(steady)} median of rounds 2-${ROUNDS} (first round ${seconds(rounds[0] ?? 0)}), 9 execs per round (target < 5 s)`);
    console.log(`  exec per cell : ${seconds(perCell.ms)}, ${perCellRunner.execCount} execs, 3 at a time`);
    console.log(`  speed-up      : ${(perCell.ms / steady).toFixed(1)}x (target >= 10x); cells where the two runners disagree: ${differing}`);
  } finally {
    process.removeListener('SIGINT', onSignal);
    console.log('  cleaning up');
    await ctx.tearDown();
  }
}

function runnerOptions(lab: Awaited<ReturnType<typeof createLab>>, ctx: BenchContext) {
  return {
    kc: ctx.clients.kc, topology: lab.topology, execDeadline: probeBatchDeadline(ctx), signal: ctx.signal,
    timeoutSeconds: PROBE_TIMEOUT_SECONDS, agentPort: DEFAULT_AGENT_PORT, dnsName: `kubernetes.default.svc.${ctx.config.clusterDomain}`,
  };
}

function benchSuite(config: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ka-netpol-bench-'));
  const started = performance.now();
  return new Promise<void>((resolve) => {
    const child = spawn(process.execPath, [cli, 'run', '--suite', 'netpol', '--kubeconfig', config, '--report-dir', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => {
      const wall = performance.now() - started;
      let summary = stderr.trim().split('\n').pop() ?? '';
      const reportFile = join(dir, 'report.json');
      if (existsSync(reportFile)) {
        const report = JSON.parse(readFileSync(reportFile, 'utf8')) as RunReport;
        const s = report.summary;
        summary = `${s.passed} passed, ${s.failed} failed, ${s.warn} warned, ${s.skipped} skipped`;
      }
      console.log('');
      console.log(`whole suite (kube-assay run --suite netpol): ${seconds(wall)} wall, exit ${String(code)}, ${summary} (target < 120 s)`);
      rmSync(dir, { recursive: true, force: true });
      resolve();
    });
  });
}

async function main(): Promise<number> {
  const config = kubeconfig();
  if (config === undefined) {
    console.error('netpol bench: no cluster: set KUBE_ASSAY_TEST_KUBECONFIG or start the testbed (npm run testbed:up), then run npm run bench again.');
    return 2;
  }
  await benchMatrix(config);
  if (RUN_SUITE) await benchSuite(config);
  return 0;
}

runBench(main);
