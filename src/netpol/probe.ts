// Probes and their outcomes. Expected outcomes come from the simulator and observed ones from
// the cluster, both through the same ProbeRunner interface, so comparison code never knows
// which side it is looking at.
import type { V1NetworkPolicy } from '@kubernetes/client-node';
import { ReachabilitySimulator } from './simulator.js';
import { findExternal, findPod, type PortProtocol, type Protocol, type Topology } from './topology.js';

/**
 * The closed set of probe outcomes. `probe-failed` is an infrastructure error (exec failed,
 * DNS broken, tool missing) and is never counted as `blocked`; `unknown` means no answer
 * (not probed, or the expected side could not be computed).
 */
export type ProbeOutcome = 'allowed' | 'blocked' | 'probe-failed' | 'unknown';

/** One cell: traffic from a topology pod (`x/a`) to a pod (`y/b`) or external target name. */
export interface Probe {
  from: string;
  to: string;
  port: number;
  protocol: Protocol;
}

/** Stable map key of a probe, e.g. `x/a -> y/b 80/TCP`. */
export function probeKey(probe: Probe): string {
  return `${probe.from} -> ${probe.to} ${probe.port}/${probe.protocol}`;
}

/**
 * Runs probes and reports one outcome per probe, keyed by probeKey. Implementations must
 * answer every probe they were given (use `unknown` or `probe-failed`, never leave it out)
 * and must not throw for a single failing probe.
 */
export interface ProbeRunner {
  probeAll(probes: readonly Probe[]): Promise<Map<string, ProbeOutcome>>;
}

/** Which cells to probe: the pod-to-pod matrix on `ports`, plus optional external targets. */
export interface ProbePlan {
  ports: readonly PortProtocol[];
  externals?: ReadonlyArray<{ target: string; ports: readonly PortProtocol[] }>;
  /** Source pods to probe from; every topology pod when omitted. */
  from?: readonly string[];
  /** Destination pods of the pod-to-pod matrix; every topology pod when omitted. */
  to?: readonly string[];
  /** Leave out pod-to-itself cells (comparisons ignore them anyway); probed by default. */
  skipLoopback?: boolean;
}

/**
 * The probes of a plan, in a stable order (port/protocol, then source, then destination).
 * Throws when a destination does not serve a planned port: such a probe would read as
 * blocked no matter what the policies say.
 */
export function planProbes(topology: Topology, plan: ProbePlan): Probe[] {
  const sources = plan.from ?? topology.pods.map((p) => p.id);
  for (const id of sources) if (findPod(topology, id) === undefined) throw new Error(`planProbes: source "${id}" is not a topology pod`);
  for (const id of plan.to ?? []) if (findPod(topology, id) === undefined) throw new Error(`planProbes: destination "${id}" is not a topology pod`);
  const destinations = plan.to === undefined ? topology.pods : topology.pods.filter((p) => plan.to?.includes(p.id));
  const probes: Probe[] = [];
  for (const { port, protocol } of plan.ports) {
    for (const pod of topology.pods) {
      if (!pod.ports.some((p) => p.port === port && p.protocol === protocol)) {
        throw new Error(`planProbes: pod ${pod.id} does not serve ${port}/${protocol}; add it to the topology ports`);
      }
    }
    for (const from of sources) {
      for (const pod of destinations) if (plan.skipLoopback !== true || pod.id !== from) probes.push({ from, to: pod.id, port, protocol });
    }
  }
  for (const external of plan.externals ?? []) {
    if (findExternal(topology, external.target) === undefined) {
      throw new Error(`planProbes: external target "${external.target}" is not in the topology`);
    }
    for (const { port, protocol } of external.ports) {
      for (const from of sources) probes.push({ from, to: external.target, port, protocol });
    }
  }
  return probes;
}

/** Probes grouped by source pod, preserving order: the unit of one batched exec. */
export function groupBySource(probes: readonly Probe[]): Map<string, Probe[]> {
  const groups = new Map<string, Probe[]>();
  for (const probe of probes) {
    const group = groups.get(probe.from);
    if (group === undefined) groups.set(probe.from, [probe]);
    else group.push(probe);
  }
  return groups;
}

/** The expected side: answers every probe from the policies, without a cluster. */
export class SimulatedProbeRunner implements ProbeRunner {
  readonly simulator: ReachabilitySimulator;

  constructor(topology: Topology, policies: readonly V1NetworkPolicy[]) {
    this.simulator = new ReachabilitySimulator(topology, policies);
  }

  /** The expected outcome of every probe, keyed by probeKey. */
  outcomes(probes: readonly Probe[]): Map<string, ProbeOutcome> {
    return new Map(probes.map((probe) => [probeKey(probe), this.simulator.outcome(probe.from, probe.to, probe.port, probe.protocol)]));
  }

  probeAll(probes: readonly Probe[]): Promise<Map<string, ProbeOutcome>> {
    return Promise.resolve(this.outcomes(probes));
  }
}

export interface RecheckedObservation {
  observed: Map<string, ProbeOutcome>;
  /** Probes that disagreed (or failed) in the first round and were probed once more. */
  rechecked: Probe[];
}

/**
 * Probes everything, then probes the cells that disagree with `expected` (or failed) exactly
 * once more and keeps the second answer: one slow first packet should not fail a check, while
 * a real mismatch shows up twice.
 */
export async function probeWithRecheck(
  runner: ProbeRunner, probes: readonly Probe[], expected: ReadonlyMap<string, ProbeOutcome>,
  /** Cells worth a second look when they differ; all by default. Comparisons that ignore
   *  loopback pass `(p) => p.from !== p.to`, so ignored cells never cost a second round. */
  counts: (probe: Probe) => boolean = () => true,
): Promise<RecheckedObservation> {
  const first = await runner.probeAll(probes);
  const observed = new Map<string, ProbeOutcome>();
  for (const probe of probes) observed.set(probeKey(probe), first.get(probeKey(probe)) ?? 'unknown');
  const rechecked = probes.filter((p) => counts(p) && observed.get(probeKey(p)) !== expected.get(probeKey(p)));
  if (rechecked.length === 0) return { observed, rechecked };
  const second = await runner.probeAll(rechecked);
  for (const probe of rechecked) observed.set(probeKey(probe), second.get(probeKey(probe)) ?? 'unknown');
  return { observed, rechecked };
}

/**
 * Reads the result of `agnhost connect` (exit code and stderr) as a probe outcome.
 * - exit 0: connected, `allowed`.
 * - TIMEOUT: dropped, `blocked`.
 * - REFUSED, "no route to host", "operation not permitted": `blocked`. Some enforcers reject
 *   instead of dropping (kube-router, for one, uses REJECT), which surfaces as these errors; the
 *   cluster runner must wait for the servers to be Ready so "nothing listening" is ruled out.
 * - DNS, UNKNOWN, any other error, or no exit code (exec itself failed): `probe-failed`.
 */
export function classifyAgnhostConnect(exitCode: number | undefined, stderr: string): ProbeOutcome {
  if (exitCode === 0) return 'allowed';
  if (exitCode === undefined) return 'probe-failed';
  const text = stderr.trim();
  if (text.startsWith('TIMEOUT') || text.startsWith('REFUSED')) return 'blocked';
  if (text.startsWith('OTHER') && /no route to host|operation not permitted/i.test(text)) return 'blocked';
  return 'probe-failed';
}
