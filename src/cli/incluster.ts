// The in-cluster commands: `run --in-cluster` (submit, follow, retrieve, remove), `manifests`
// (the same objects as YAML for kubectl) and `results --namespace NS` (retrieve a Job's results).
import { Option, type Command } from 'commander';
import { dump as dumpYaml } from 'js-yaml';
import { errorSentence } from '../cluster/api-errors.js';
import { newRunId } from '../cluster/names.js';
import { loadConfigFile } from '../config/load.js';
import type { CliFlags, Config } from '../config/types.js';
import { InterruptedError, UsageError, WaitError } from '../errors.js';
import { selectSuites, compileGrep } from '../harness/discover.js';
import { creationOrder, inClusterObjects, runnerNamespaceName, type InClusterRunSpec } from '../incluster/objects.js';
import { RetrievalError } from '../incluster/retrieve.js';
import {
  chooseImage,
  createRunObjects,
  followAndRetrieve,
  removeRun,
  runnerConfigText,
  runnerOfNamespace,
  SUBMIT_PERMISSIONS,
  testbedImage,
  waitForRunner,
} from '../incluster/submit.js';
import { ExitCode } from './exit-codes.js';
import { parseRetries, type GateFlags } from './gate-options.js';
import { createRenderer } from './progress.js';
import { connect, describeTarget } from './session.js';
import { exitCodeForSignal, installSignalHandlers } from './signals.js';
import { configWithSuites, definitionsOf, type KnownSuites } from './suites.js';
import { ensureWritableDir } from './writable-dir.js';
import { runCommand, type RunnerFlags } from './run.js';

export interface InClusterFlags {
  image?: string;
}

/** How long a runner submitted from a workstation keeps its results if the workstation never
 *  comes back for them (it normally deletes the run at once after retrieval). */
export const SUBMIT_HOLD_SECONDS = 600;
/** `kube-assay manifests`: nobody is waiting, so the results stay an hour for `results`. */
export const MANIFEST_HOLD_SECONDS = 3600;

function parseHold(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) > 7 * 24 * 3600) throw new UsageError(`--hold "${value}" is not a number of seconds between 0 and 604800 (a week).`);
  return Number(value);
}

function runSpec(known: KnownSuites, config: Config, flags: CliFlags & GateFlags, image: string, holdSeconds: number): InClusterRunSpec {
  const selected = selectSuites(known.found, config.suites);
  compileGrep(config.grep);
  const suites = definitionsOf(known, selected);
  const file = config.configFile === undefined ? undefined : loadConfigFile(config.configFile, known.definitions).config;
  return {
    runId: newRunId(),
    suites,
    image,
    pullPolicy: config.images.pullPolicy,
    prefix: config.namespacePrefix,
    configText: runnerConfigText(file),
    ...(config.grep === undefined ? {} : { grep: config.grep }),
    timeoutScale: config.timeoutScale,
    retries: parseRetries(flags.retries),
    holdSeconds,
  };
}

/** `kube-assay manifests`: the objects of one in-cluster run as YAML, for `kubectl apply -f -`. */
export async function manifestsCommand(flags: CliFlags & GateFlags & InClusterFlags & { hold?: string }, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const { config, ...known } = await configWithSuites(flags);
  const spec = runSpec(known, config, flags, flags.image ?? testbedImage(), parseHold(flags.hold, MANIFEST_HOLD_SECONDS));
  const objects = inClusterObjects(spec);
  const ns = objects.namespace.metadata?.name ?? '';
  const header = [
    `# One in-cluster kube-assay ${spec.runId} run of suites ${spec.suites.map((s) => s.name).join(', ')} with image ${spec.image}.`,
    `# Apply: kubectl apply -f FILE; follow: kubectl logs -n ${ns} job/kube-assay -f`,
    `# Results: kube-assay results --namespace ${ns}; remove: kube-assay cleanup --run-id ${spec.runId}`,
  ];
  out.write(`${header.join('\n')}\n${creationOrder(objects).map((o) => dumpYaml(o, { lineWidth: 140, noRefs: true })).join('---\n')}`);
  return ExitCode.Passed;
}

/** `kube-assay run --in-cluster`. */
export async function inClusterRunCommand(flags: CliFlags & GateFlags & InClusterFlags, out: NodeJS.WriteStream = process.stdout): Promise<number> {
  if (flags.parallel !== undefined) throw new UsageError('--parallel does not apply to --in-cluster: the runner runs the suites one after another inside the cluster.');
  const { config, ...known } = await configWithSuites(flags);
  ensureWritableDir(config.reportDir);
  const renderer = createRenderer(out);
  const session = await connect(config, (line) => renderer.line(line), { permissions: SUBMIT_PERMISSIONS });
  const target = session.target;
  if (target === undefined) throw new Error('preflight did not run');
  describeTarget({ access: session.access, target }).forEach((l) => renderer.line(l));
  const spec = runSpec(known, config, flags, chooseImage(flags.image, target.cluster.platform), SUBMIT_HOLD_SECONDS);
  const objects = inClusterObjects(spec);
  const namespace = runnerNamespaceName(spec.prefix, spec.runId);
  renderer.line(`run ${spec.runId} in the cluster: suites ${spec.suites.map((s) => s.name).join(', ')}, image ${spec.image}, namespace ${namespace}`);

  const interrupt = new AbortController();
  const signals = installSignalHandlers(
    (signal) => {
      renderer.line(`${signal}: stopping the in-cluster run ${spec.runId} and removing what it created (press Ctrl-C again to exit at once)`);
      interrupt.abort(new InterruptedError(signal));
    },
    (signal) => {
      renderer.stop();
      process.stderr.write(`kube-assay: exiting without cleanup; remove leftovers with \`kube-assay cleanup --run-id ${spec.runId}\`\n`);
      process.exit(exitCodeForSignal(signal));
    },
  );
  let code: number = ExitCode.Failed;
  let failure: unknown;
  try {
    await createRunObjects(session.clients, objects);
    const ref = await waitForRunner(session.clients, namespace, session.timeouts, interrupt.signal);
    const { published, written } = await followAndRetrieve(session.clients, ref, config.reportDir, session.timeouts, (l) => renderer.line(l), interrupt.signal);
    renderer.line(`retrieved and verified (SHA-256 published by the runner): ${written.join(', ')}`);
    code = published.exitCode ?? ExitCode.Failed;
  } catch (err) {
    failure = err;
  } finally {
    renderer.line(`removing the objects of run ${spec.runId} (namespace ${namespace}, its ClusterRole and binding, probe namespaces)`);
    const problems = await removeRun(session.clients, spec.runId, namespace, session.timeouts);
    for (const p of problems) renderer.line(`problem: ${p}`);
    if (problems.length > 0) {
      renderer.line(`some objects of run ${spec.runId} remain: run \`kube-assay cleanup --run-id ${spec.runId}\` once the cause is fixed`);
      if (code === ExitCode.Passed) code = ExitCode.Failed;
    }
    renderer.stop();
    signals.dispose();
  }
  const signal = signals.received();
  if (signal !== undefined) return exitCodeForSignal(signal);
  if (failure !== undefined) {
    // The runner not starting, or its results not arriving intact, fail the run (exit 1) in one
    // sentence; anything else (a refusal, a bug) ends the command with its own exit code.
    if (!(failure instanceof RetrievalError) && !(failure instanceof WaitError)) throw failure;
    process.stderr.write(`kube-assay: in-cluster run ${spec.runId} failed: ${errorSentence(failure)}\n`);
    // A runner that stopped on bad input or missing rights says so with its own exit code (2, 3).
    const runnerCode = failure instanceof RetrievalError ? failure.runnerExitCode : undefined;
    return runnerCode === ExitCode.Usage || runnerCode === ExitCode.ClusterAccess ? runnerCode : ExitCode.Failed;
  }
  return code;
}

/** `kube-assay results --namespace NS`: the published reports of a runner (a Job applied from
 *  `kube-assay manifests`, or a Helm test pod) into --report-dir; exits with that run's code. */
export async function resultsCommand(flags: CliFlags & { namespace?: string }, out: NodeJS.WriteStream = process.stdout): Promise<number> {
  if (flags.namespace === undefined || flags.namespace === '') throw new UsageError('results needs --namespace NS: the namespace of the kube-assay Job (printed by `kube-assay manifests`).');
  const { config } = await configWithSuites(flags);
  ensureWritableDir(config.reportDir);
  const say = (line: string): void => void out.write(`${line}\n`);
  const session = await connect(config, say, { permissions: SUBMIT_PERMISSIONS.filter((p) => p.resource === 'pods') });
  const ref = await runnerOfNamespace(session.clients, flags.namespace);
  const interrupt = new AbortController();
  try {
    const { published, written } = await followAndRetrieve(session.clients, ref, config.reportDir, session.timeouts, () => undefined, interrupt.signal);
    say(`retrieved and verified (SHA-256 published by the runner) from ${ref.namespace}/${ref.pod}: ${written.join(', ')}`);
    say(`the run${ref.runId === undefined ? '' : ` ${ref.runId}`} exited ${published.exitCode ?? '?'}; remove it with \`kube-assay cleanup${ref.runId === undefined ? '' : ` --run-id ${ref.runId}`}\``);
    return published.exitCode ?? ExitCode.Failed;
  } catch (err) {
    if (err instanceof RetrievalError) {
      process.stderr.write(`kube-assay: ${err.message}\n`);
      return ExitCode.Failed;
    }
    throw err;
  }
}

/** The in-cluster flags of `kube-assay run`, kept here so program.ts gains one line for them. */
export function inClusterOptions(cmd: Command): Command {
  return cmd
    .option('--in-cluster', 'run inside the cluster as a Job with least-privilege RBAC; follow it, retrieve its reports, remove everything (docs/in-cluster.md)')
    .option('--image <ref>', "with --in-cluster: kube-assay's image (default on the testbed: the one it imports)")
    .addOption(new Option('--hold <seconds>', 'after the run, publish the reports and keep them retrievable this long (the in-cluster runner)').hideHelp())
    .addOption(new Option('--run-id <id>', 'run id chosen by the workstation (the in-cluster runner)').hideHelp());
}

/** `kube-assay run`: in the cluster with --in-cluster, else here. */
export async function runOrSubmit(flags: CliFlags & GateFlags & RunnerFlags & InClusterFlags & { inCluster?: boolean }, out: NodeJS.WriteStream): Promise<number> {
  if (flags.inCluster !== true) {
    if (flags.image !== undefined) throw new UsageError('--image only applies to --in-cluster (the probes take their image from the config file: images.probe).');
    return runCommand(flags, out);
  }
  if (flags.baseline !== undefined || flags.waivers !== undefined) {
    throw new UsageError('--baseline and --waivers do not apply to --in-cluster yet: run `kube-assay compare` on the retrieved report.json instead.');
  }
  if (flags.runId !== undefined || flags.hold !== undefined) throw new UsageError('--run-id and --hold are set by --in-cluster itself for its runner; leave them out.');
  return inClusterRunCommand(flags, out);
}
