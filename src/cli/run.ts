// `kube-assay run`: config -> suites -> cluster preflight -> checks (in-process, or one process
// per suite with --parallel) -> end-of-run sweep -> reports -> exit code.
import { errorSentence } from '../cluster/api-errors.js';
import { ensureWritableDir } from './writable-dir.js';
import { writeFileSync } from 'node:fs';
import { CleanupStack } from '../cluster/cleanup-stack.js';
import type { ClusterClients } from '../cluster/client.js';
import { deleteOwnedNamespace, isSparedByRunSweep, listRunNamespaces, waitForNamespacesGone } from '../cluster/namespaces.js';
import { isValidRunId, newRunId } from '../cluster/names.js';
import { holdResults, publishedLines } from '../incluster/publish.js';
import type { Timeouts } from '../cluster/timeouts.js';
import type { CliFlags, Config } from '../config/types.js';
import { neededPermissions } from '../cluster/preflight.js';
import { compileGrep, selectSuites } from '../harness/discover.js';
import { InterruptedError, UsageError } from '../errors.js';
import { mergeSuiteResults } from '../harness/collector.js';
import { runSuitesInProcess } from '../harness/runner.js';
import { ComponentFindings } from '../harness/findings.js';
import { setRuntime } from '../harness/runtime.js';
import { REPORT_SCHEMA_VERSION, summarize, type ClusterInfo, type RunReport, type SuiteResult } from '../report/model.js';
import { writeReports } from '../report/write.js';
import { ExitCode } from './exit-codes.js';
import { parseRetries, type GateFlags } from './gate-options.js';
import { prepareGate } from './run-gate.js';
import { runParallel } from './parallel.js';
import { createRenderer, formatSummary, type ProgressRenderer } from './progress.js';
import { connect, defaultProbeImage, describeTarget } from './session.js';
import { configWithSuites, definitionsOf } from './suites.js';
import { exitCodeForSignal, installSignalHandlers } from './signals.js';
import { toolVersion } from './version.js';

export interface RunStats {
  wallMs: number;
  apiRequests: number;
  maxRssBytes: number;
  exitCode: number;
}

export function buildReport(input: {
  runId: string;
  startedAt: Date;
  finishedAt: Date;
  cluster: ClusterInfo;
  config: Config;
  suiteNames: string[];
  suites: SuiteResult[];
}): RunReport {
  const options: RunReport['metadata']['options'] = { suites: input.suiteNames, parallel: input.config.parallel, timeoutScale: input.config.timeoutScale };
  if (input.config.grep !== undefined) options.grep = input.config.grep;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    metadata: {
      tool: { name: 'kube-assay', version: toolVersion() },
      runId: input.runId,
      startedAt: input.startedAt.toISOString(),
      finishedAt: input.finishedAt.toISOString(),
      durationMs: input.finishedAt.getTime() - input.startedAt.getTime(),
      cluster: input.cluster,
      options,
    },
    summary: summarize(input.suites),
    suites: input.suites,
  };
}

/** Exit code of a finished run, and the sentence explaining a run in which no check ran. */
export function verdictExit(report: RunReport): { code: number; sentence?: string } {
  if (report.summary.verdict === 'passed') return { code: ExitCode.Passed };
  if (report.summary.verdict === 'failed') return { code: ExitCode.Failed };
  const why =
    report.summary.total === 0
      ? report.metadata.options.grep !== undefined
        ? `--grep "${report.metadata.options.grep}" matched no check of the selected suites; see \`kube-assay list\` for the IDs`
        : 'the selected suites declare no checks'
      : (report.summary.waived ?? 0) > 0
        ? `none of the ${report.summary.total} checks passed (${report.summary.waived ?? 0} failed but waived, ${report.summary.skipped} skipped)`
        : `all ${report.summary.total} checks were skipped`;
  return { code: ExitCode.Failed, sentence: `no checks ran: ${why}, so the run proves nothing (exit 1).` };
}

/** End of run: delete whatever namespace of this run is still there (except kept ones) and wait
 *  until they are gone, so a finished run leaves nothing behind. */
async function sweepRun(clients: ClusterClients, runId: string, timeouts: Timeouts, renderer: ProgressRenderer, findings: ComponentFindings): Promise<void> {
  try {
    const left = (await listRunNamespaces(clients, runId)).filter((ns) => !isSparedByRunSweep(ns));
    for (const ns of left) {
      if (ns.metadata?.name !== undefined) await deleteOwnedNamespace(clients, ns.metadata.name, runId);
    }
    // Deleted namespaces are finalized by the controller-manager: waiting for them would only
    // wait out namespaceDelete on a cluster already known to be broken.
    const finalizer = findings.blocking(['kube-controller-manager']);
    if (finalizer !== undefined && left.length > 0) {
      renderer.line(
        `note: ${left.length} namespace(s) of run ${runId} stay Terminating: kube-controller-manager, which finalizes them, is not working (${finalizer.checkId}); once it is back run \`kube-assay cleanup --run-id ${runId}\``,
      );
      return;
    }
    if (left.length > 0) renderer.line(`waiting for ${left.length} namespace(s) of run ${runId} to be deleted`);
    await waitForNamespacesGone(clients, { runId, ignoreKept: true }, { name: 'namespaceDelete', ms: timeouts.ms('namespaceDelete') });
  } catch (err) {
    renderer.line(`note: end-of-run cleanup incomplete (${errorSentence(err)}); run \`kube-assay cleanup --run-id ${runId}\``);
  }
}

/** Flags of the in-cluster runner (set by `run --in-cluster` and `kube-assay manifests`). */
export interface RunnerFlags {
  /** The run id the workstation chose, so probe namespaces carry the labels it sweeps by. */
  runId?: string;
  /** Seconds to keep the published results retrievable after the run. */
  hold?: string;
}

export async function runCommand(flags: CliFlags & GateFlags & RunnerFlags, out: NodeJS.WriteStream = process.stdout): Promise<number> {
  const wallStart = Date.now();
  const runner = parseRunnerFlags(flags);
  // Gate flags are checked before anything touches the cluster: a bad baseline is exit 2 now.
  const gateRequest = prepareGate(flags);
  const retries = parseRetries(flags.retries);
  const { config, ...known } = await configWithSuites(flags);
  config.retries = retries;
  const selected = selectSuites(known.found, config.suites);
  const grep = compileGrep(config.grep);
  ensureWritableDir(config.reportDir);
  const renderer = createRenderer(out);
  const session = await connect(config, (line) => renderer.line(line), { permissions: neededPermissions(definitionsOf(known, selected)) });
  const target = session.target;
  if (target === undefined) throw new Error('preflight did not run');
  describeTarget({ access: session.access, target }).forEach((l) => renderer.line(l));

  const runId = runner.runId ?? newRunId();
  const probeImage = config.images.probe ?? defaultProbeImage(target.cluster.platform);
  renderer.line(`run ${runId}: suites ${selected.map((s) => s.name).join(', ')}${config.grep ? `, grep ${config.grep}` : ''}, probe image ${probeImage}`);

  const interrupt = new AbortController();
  const signals = installSignalHandlers(
    (signal) => {
      renderer.line(`${signal}: stopping; cleaning up run ${runId} (press Ctrl-C again to exit at once)`);
      interrupt.abort(new InterruptedError(signal));
    },
    (signal) => {
      renderer.stop();
      process.stderr.write(`kube-assay: exiting without cleanup; remove leftovers with \`kube-assay cleanup --run-id ${runId}\`\n`);
      process.exit(exitCodeForSignal(signal));
    },
  );
  const runCleanup = new CleanupStack();
  // Filled by in-process checks; a --parallel child keeps its own and the sweep waits as usual.
  const findings = new ComponentFindings();
  const startedAt = new Date();
  let suites: SuiteResult[];
  let childRequests = 0;
  let childRss = 0;
  try {
    if (config.parallel > 1 && selected.length > 1) {
      const outcome = await runParallel(selected, config.parallel, { config, runId, cluster: target.cluster, probeImage }, renderer, interrupt.signal);
      suites = mergeSuiteResults(outcome.parts);
      childRequests = outcome.apiRequests;
      childRss = outcome.maxRssBytes;
    } else {
      setRuntime({ clients: session.clients, config, runId, cluster: target.cluster, probeImage, timeouts: session.timeouts, cleanup: runCleanup, progress: renderer, interrupt: interrupt.signal, findings });
      suites = await runSuitesInProcess({ files: selected.flatMap((s) => s.files), grep, sink: renderer, interrupt: interrupt.signal });
    }
  } finally {
    // Whatever happened above, registered cleanups run and the run's namespaces are swept.
    const failures = await runCleanup.runAll();
    for (const f of failures) renderer.line(`note: cleanup ${f.description} failed: ${errorSentence(f.error)}`);
    await sweepRun(session.clients, runId, session.timeouts, renderer, findings);
    setRuntime(undefined);
  }

  const report = gateRequest.finish(buildReport({ runId, startedAt, finishedAt: new Date(), cluster: target.cluster, config, suiteNames: selected.map((s) => s.name), suites }));
  const written = await writeReports(report, config.reportDir);
  renderer.stop();
  signals.dispose();
  out.write(`${formatSummary(report.summary, report.metadata.durationMs)} (run ${runId})\n`);
  out.write(`reports: ${written.junit}, ${written.json}, ${written.html}, ${written.sarif}\n`);
  for (const note of gateRequest.notes(report)) out.write(`note: ${note}\n`);

  const signal = signals.received();
  const verdict = verdictExit(report);
  const gated = verdict.sentence === undefined ? await gateRequest.compare(report, config.reportDir, out) : undefined;
  const code = signal !== undefined ? exitCodeForSignal(signal) : gated ?? verdict.code;
  if (signal === undefined && verdict.sentence !== undefined) process.stderr.write(`kube-assay: ${verdict.sentence}\n`);
  writeStats({ wallMs: Date.now() - wallStart, apiRequests: session.clients.requestCount() + childRequests, maxRssBytes: process.resourceUsage().maxRSS * 1024 + childRss, exitCode: code });
  if (runner.holdSeconds !== undefined) await publishAndHold([written.junit, written.json, written.html, written.sarif], code, runner.holdSeconds, out);
  return code;
}

function parseRunnerFlags(flags: RunnerFlags): { runId?: string; holdSeconds?: number } {
  if (flags.runId !== undefined && !isValidRunId(flags.runId)) {
    throw new UsageError(`--run-id "${flags.runId}" is not a valid run id: use lowercase letters, digits and '-', at most 63 characters.`);
  }
  let holdSeconds: number | undefined;
  if (flags.hold !== undefined) {
    holdSeconds = Number(flags.hold);
    if (!/^\d+$/.test(flags.hold) || holdSeconds > 7 * 24 * 3600) throw new UsageError(`--hold "${flags.hold}" is not a number of seconds between 0 and 604800 (a week).`);
  }
  return { ...(flags.runId === undefined ? {} : { runId: flags.runId }), ...(holdSeconds === undefined ? {} : { holdSeconds }) };
}

/** The in-cluster runner's end: checksums and exit code in the log, then the hold (see publish.ts).
 *  SIGTERM or SIGINT (the pod being deleted) ends the hold; the run's exit code stands. */
async function publishAndHold(paths: string[], code: number, holdSeconds: number, out: NodeJS.WritableStream): Promise<void> {
  for (const line of await publishedLines(paths, code)) out.write(`${line}\n`);
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    await holdResults(holdSeconds, (line) => out.write(`${line}\n`), stop.signal, process.env.KUBE_ASSAY_RUNNER_NAMESPACE);
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}

/** For the bench: KUBE_ASSAY_STATS_FILE receives wall time, API requests and peak RSS. */
function writeStats(stats: RunStats): void {
  const path = process.env.KUBE_ASSAY_STATS_FILE;
  if (path !== undefined && path !== '') writeFileSync(path, `${JSON.stringify(stats)}\n`);
}
