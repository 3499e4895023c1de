// The observed side: a ProbeRunner that probes a live cluster. BATCHED: one exec per source pod
// per call of probeAll, all source pods at once, each exec running every probe of its pod in
// parallel (see cluster-script.ts). An exec that fails makes its probes probe-failed, never
// blocked. For comparison (the bench), PerCellProbeRunner does one exec per cell the way
// upstream e2e does.
import { errorSentence } from '../cluster/api-errors.js';
import { execInContainer } from '../cluster/exec.js';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Deadline } from '../cluster/wait.js';
import { buildProbeScript, failBatch, parseProbeOutput, scriptProbes, type ProbeObservation, type ProbeScriptOptions, type ScriptedProbe } from './cluster-script.js';
import { groupBySource, type Probe, type ProbeOutcome, type ProbeRunner } from './probe.js';
import { execContainer, findPod, realNamespace, type Topology, type TopologyPod } from './topology.js';

export interface ClusterProbeRunnerOptions extends ProbeScriptOptions {
  kc: KubeConfig;
  /** Topology with IPs filled in (withIPs). */
  topology: Topology;
  /** Bounds each exec (normally the harness's `exec` timeout). */
  execDeadline: Deadline;
  signal?: AbortSignal;
  /** Container to exec into in a source pod; default: its first server container. */
  containerOf?: (pod: TopologyPod) => string;
}

/** Raw access to one exec, replaceable in unit tests. */
export type ExecFn = (target: { namespace: string; pod: string; container: string }, command: string[], deadline: Deadline, signal?: AbortSignal) => Promise<{ stdout: string; stderr: string; exitCode: number }>;

export class ClusterProbeRunner implements ProbeRunner {
  /** Execs made so far: one per source pod per round, which the cluster tests assert. */
  execCount = 0;
  /** Evidence of the latest observation of every cell, for failure reports. */
  readonly evidence = new Map<string, ProbeObservation>();
  private readonly exec: ExecFn;

  constructor(private readonly options: ClusterProbeRunnerOptions, exec?: ExecFn) {
    this.exec = exec ?? ((target, command, deadline, signal) => execInContainer(options.kc, target, command, deadline, signal));
  }

  async probeAll(probes: readonly Probe[]): Promise<Map<string, ProbeOutcome>> {
    const batches = [...groupBySource(probes)].map(([from, group]) => this.probeFrom(from, group));
    const outcomes = new Map<string, ProbeOutcome>();
    for (const observations of await Promise.all(batches)) {
      for (const [key, observation] of observations) {
        outcomes.set(key, observation.outcome);
        this.evidence.set(key, observation);
      }
    }
    return outcomes;
  }

  /** One exec running every probe of one source pod. */
  private async probeFrom(from: string, probes: readonly Probe[]): Promise<Map<string, ProbeObservation>> {
    const items = scriptProbes(probes, this.options.topology, { agent: this.options.agentPort !== undefined });
    const source = findPod(this.options.topology, from);
    if (source === undefined) return failBatch(items, `source ${from} is not a topology pod`);
    const target = execTarget(this.options, source);
    return runBatch(this.exec, target, items, this.options, () => (this.execCount += 1));
  }
}

export function execTarget(options: Pick<ClusterProbeRunnerOptions, 'topology' | 'containerOf'>, source: TopologyPod): { namespace: string; pod: string; container: string } {
  return { namespace: realNamespace(options.topology, source.namespace), pod: source.name, container: (options.containerOf ?? execContainer)(source) };
}

async function runBatch(
  exec: ExecFn, target: { namespace: string; pod: string; container: string }, items: readonly ScriptedProbe[],
  options: ClusterProbeRunnerOptions, counted: () => void,
): Promise<Map<string, ProbeObservation>> {
  if (items.every((i) => i.address === undefined)) return parseProbeOutput(items, '');
  counted();
  try {
    const result = await exec(target, ['sh', '-c', buildProbeScript(items, options)], options.execDeadline, options.signal);
    return parseProbeOutput(items, result.stdout);
  } catch (err) {
    // An interrupt or deadline of the check must stop the check, not read as a probe result.
    if (options.signal?.aborted) throw err;
    return failBatch(items, `exec failed: ${errorSentence(err)}`);
  }
}

/**
 * One exec per cell, at most `concurrency` at a time (upstream netpol e2e probes with a small
 * worker pool of `kubectl exec`). Only for measuring what batching saves.
 */
export class PerCellProbeRunner implements ProbeRunner {
  execCount = 0;
  private readonly exec: ExecFn;

  constructor(private readonly options: ClusterProbeRunnerOptions, private readonly concurrency = 3, exec?: ExecFn) {
    this.exec = exec ?? ((target, command, deadline, signal) => execInContainer(options.kc, target, command, deadline, signal));
  }

  async probeAll(probes: readonly Probe[]): Promise<Map<string, ProbeOutcome>> {
    const items = scriptProbes(probes, this.options.topology, { agent: this.options.agentPort !== undefined });
    const outcomes = new Map<string, ProbeOutcome>();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < items.length) {
        const item = items[next++] as ScriptedProbe;
        const source = findPod(this.options.topology, item.probe.from);
        if (source === undefined) {
          outcomes.set(item.key, 'probe-failed');
          continue;
        }
        const target = execTarget(this.options, source);
        const observed = await runBatch(this.exec, target, [item], this.options, () => (this.execCount += 1));
        outcomes.set(item.key, observed.get(item.key)?.outcome ?? 'probe-failed');
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.concurrency) }, worker));
    return outcomes;
  }
}
