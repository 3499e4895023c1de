// `npm run bench` (after the harness bench): the network policy probing on a live cluster (the
// testbed by default). Prints, once the 9 probe pods are Ready:
// - the full matrix, 9 x 9 pods x 2 ports x 2 protocols = 324 probes, probed batched (one exec
//   per source pod per round), first round and median of the next rounds;
// - the same matrix probed one exec per cell (a pool of 3 workers, like upstream netpol e2e);
// - the whole `kube-assay run --suite netpol` wall time at the default depth, where it went, and
//   the wall time before scenarios and generated cases ran several at once;
// - the thorough generated set (netpol.depth: thorough): its case count, wall time and probe
//   rounds, next to what the same rounds would cost probed one exec per cell (measured on one
//   lane's matrix, then multiplied), and cyclonus's ~52 s per case on this testbed.
// A benchmark, not a test: it measures and prints; targets are shown next to the figures.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
import { benchKubeconfig, noCluster, runCliTimed, type CliRun } from './cluster.js';
import { median, runBench } from './stats.js';

const ROUNDS = Number(process.env.KUBE_ASSAY_BENCH_NETPOL_ROUNDS ?? 4);
const RUN_SUITE = process.env.KUBE_ASSAY_BENCH_NETPOL_SUITE !== '0';
const RUN_THOROUGH = process.env.KUBE_ASSAY_BENCH_NETPOL_THOROUGH !== '0';
/** cyclonus v0.5.6 against the testbed, measured once by hand: about 52 s per case. */
const CYCLONUS_SECONDS_PER_CASE = 52;
const MATRIX: TopologyRequest = { namespaces: ['x', 'y', 'z'], pods: ['a', 'b', 'c'], ports: DEFAULT_PORTS };

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
    const lane = laneMatrix(lab);
    const laneBatched = await timed(lab.runnerFor(lab.topology, ctx.signal), lane);
    const lanePerCell = await timed(new PerCellProbeRunner({ ...runnerOptions(lab, ctx) }, 3), lane);
    laneRoundMs = { batched: laneBatched.ms, perCell: lanePerCell.ms, probes: lane.length };
    console.log(`  one generated-case round (${lane.length} probes of a 2 x 2 lane): batched ${seconds(laneBatched.ms)}, exec per cell ${seconds(lanePerCell.ms)}`);
  } finally {
    process.removeListener('SIGINT', onSignal);
    console.log('  cleaning up');
    await ctx.tearDown();
  }
}

/** What one round of a generated case probes: x and y, pods a and b, 80/TCP, 81/TCP, 80/UDP, no loopback. */
function laneMatrix(lab: Awaited<ReturnType<typeof createLab>>): Probe[] {
  const pods = lab.topology.pods.filter((p) => ['x', 'y'].includes(p.namespace) && ['a', 'b'].includes(p.name)).map((p) => p.id);
  return planProbes(lab.topology, {
    ports: [{ port: 80, protocol: 'TCP' }, { port: 81, protocol: 'TCP' }, { port: 80, protocol: 'UDP' }], from: pods, to: pods, skipLoopback: true,
  });
}

let laneRoundMs: { batched: number; perCell: number; probes: number } | undefined;

function runnerOptions(lab: Awaited<ReturnType<typeof createLab>>, ctx: BenchContext) {
  return {
    kc: ctx.clients.kc, topology: lab.topology, execDeadline: probeBatchDeadline(ctx), signal: ctx.signal,
    timeoutSeconds: PROBE_TIMEOUT_SECONDS, agentPort: DEFAULT_AGENT_PORT, dnsName: `kubernetes.default.svc.${ctx.config.clusterDomain}`,
  };
}

/** Runs the CLI with a report directory of its own, removed afterwards. */
async function runCli(args: string[]): Promise<CliRun> {
  const dir = mkdtempSync(join(tmpdir(), 'ka-netpol-bench-'));
  try {
    return await runCliTimed(args, dir, { stdio: ['ignore', 'ignore', 'pipe'] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function summaryOf(result: { report?: RunReport; stderr: string }): string {
  const s = result.report?.summary;
  return s === undefined ? (result.stderr.trim().split('\n').pop() ?? '') : `${s.passed} passed, ${s.failed} failed, ${s.warn} warned, ${s.skipped} skipped`;
}

/** The default-depth suite measured on the testbed before its generated cases ran alongside the
 *  scenarios: 182 s wall (setup 17.5 s, scenarios one after another 62 s, generated cases 79 s
 *  with their lanes started after the scenarios, end-of-run namespace deletion 20 s). With two
 *  scenario labs and every lab starting at once it was 173-225 s (setup 88-104 s): CPU-bound. */
const SERIAL_SUITE_SECONDS = 182;

/** Where a run's time went, from its report: the suite setup is what its checks do not account for. */
function suiteBreakdown(report: RunReport | undefined): string {
  const suite = report?.suites.find((s) => s.name === 'netpol');
  if (report === undefined || suite === undefined) return 'no report';
  const sum = (ids: (id: string) => boolean) => suite.checks.filter((c) => ids(c.id)).reduce((total, c) => total + c.durationMs, 0);
  const generated = sum((id) => id === 'netpol/generated-cases');
  const scenarios = sum((id) => id !== 'netpol/generated-cases' && !id.startsWith('netpol/audit-') && id !== 'netpol/user-expectations');
  const setup = suite.durationMs - sum(() => true);
  return `setup ${seconds(setup)}, enforcement and scenario checks ${seconds(scenarios)}, generated-cases check ${seconds(generated)} ` +
    `(its cases run alongside the scenarios), after the suite ${seconds(report.metadata.durationMs - suite.durationMs)}`;
}

async function benchSuite(config: string): Promise<void> {
  const result = await runCli(['run', '--suite', 'netpol', '--kubeconfig', config]);
  console.log('');
  console.log(`whole suite, default depth (kube-assay run --suite netpol): ${seconds(result.wallMs)} wall, exit ${String(result.code)}, ${summaryOf(result)} (target < 90 s)`);
  console.log(`  ${suiteBreakdown(result.report)}`);
  console.log(`  before (the generated cases, lanes included, after the scenarios): ${SERIAL_SUITE_SECONDS} s wall on the testbed`);
}

async function benchThorough(config: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ka-netpol-thorough-'));
  const file = join(dir, 'config.yaml');
  writeFileSync(file, 'netpol:\n  depth: thorough\n');
  try {
    const result = await runCli(['run', '--suite', 'netpol', '--grep', 'netpol/generated-cases', '--kubeconfig', config, '--config', file]);
    const check = result.report?.suites.flatMap((s) => s.checks).find((c) => c.id === 'netpol/generated-cases');
    const table = check?.attachments.find((a) => a.kind === 'table' && a.title === 'generated cases');
    const rows = table?.kind === 'table' ? table.rows : [];
    const roundsColumn = table?.kind === 'table' ? table.columns.indexOf('rounds') : -1;
    const rounds = rows.reduce((sum, row) => sum + Number(row[roundsColumn] ?? 0), 0);
    const failed = rows.filter((row) => row.includes('failed')).length;
    console.log('');
    console.log(`thorough generated set (netpol.depth: thorough), ${rows.length} cases (target >= 150):`);
    console.log(`  kube-assay, batched : ${seconds(result.wallMs)} wall for the run (target < 10 min), ${rounds} probe rounds, ${failed} cases failed, check ${check?.status ?? 'missing'}`);
    if (laneRoundMs !== undefined && rounds > 0) {
      // A round is a full probe of the lane plus a recheck of the cells that differ: at least one probe each.
      console.log(`  exec per cell       : about ${seconds((laneRoundMs.perCell * rounds))} for the same ${rounds} rounds (${seconds(laneRoundMs.perCell)} per ${laneRoundMs.probes}-probe round measured above; estimate, not run)`);
    }
    console.log(`  cyclonus            : about ${seconds(rows.length * CYCLONUS_SECONDS_PER_CASE * 1000)} for as many cases (${CYCLONUS_SECONDS_PER_CASE} s per case measured on the testbed)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const config = benchKubeconfig();
  if (config === undefined) return noCluster('netpol bench');
  await benchMatrix(config);
  if (RUN_SUITE) await benchSuite(config);
  if (RUN_THOROUGH) await benchThorough(config);
  return 0;
}

runBench(main);
