// Waiting for policies to take effect, and the words for what was seen. Enforcers apply policy
// changes asynchronously, so every step of a scenario is observed in rounds until the cluster
// agrees with the policies or a named deadline passes (never a fixed sleep). Each round probes
// the full matrix and re-probes differing cells once (probeWithRecheck), so one slow packet does
// not fail a step and a real mismatch shows twice. No cluster here: runners are injected.
import { formatDuration } from '../cluster/timeouts.js';
import { pause, type Deadline } from '../cluster/wait.js';
import { detectNonEnforcement, type NonEnforcementFinding } from './enforcement.js';
import { probeKey, probeWithRecheck, type Probe, type ProbeOutcome, type ProbeRunner } from './probe.js';
import type { TrafficExplanation } from './simulator.js';
import { compareReachability, type CellComparison, type ReachabilityComparison } from './truth-table.js';

export interface Observation {
  comparison: ReachabilityComparison;
  observed: Map<string, ProbeOutcome>;
  /** Rounds probed (each a full matrix plus one recheck of its differing cells). */
  rounds: number;
  /** From the first probe to the last answer. */
  elapsedMs: number;
  /** Whether the cluster agreed before the deadline. */
  agreed: boolean;
  /** Set when the wait ended early: the step showed its effect and then stayed as it was. */
  settledAfterMs?: number;
}

export interface ObserveOptions {
  deadline: Deadline;
  signal?: AbortSignal;
  explain?: (probe: Probe) => TrafficExplanation;
  /** Clock, replaceable in unit tests. */
  now?: () => number;
  /** Pause between rounds; grows from `minPauseMs` to `maxPauseMs`. */
  minPauseMs?: number;
  maxPauseMs?: number;
  /**
   * Ends the wait early once the enforcer has visibly acted on the step and then had `ms` more
   * to finish: `before` is what the cells were expected to be before the step (the previous
   * step's policies and labels). A cell whose expectation the step changed and that now shows
   * the new outcome proves the change was seen; mismatches still there `ms` later are the
   * enforcer's answer, not lag. Without it, a mismatch is waited on until the deadline.
   */
  settle?: { before: ReadonlyMap<string, ProbeOutcome>; ms: number };
}

/** Some cell the step changed shows its new outcome: the enforcer has acted on the step. */
export function stepEffectSeen(
  probes: readonly Probe[], expected: ReadonlyMap<string, ProbeOutcome>, observed: ReadonlyMap<string, ProbeOutcome>,
  before: ReadonlyMap<string, ProbeOutcome>,
): boolean {
  return probes.some((p) => {
    const key = probeKey(p);
    const was = before.get(key);
    const now = expected.get(key);
    return p.from !== p.to && was !== undefined && now !== undefined && was !== now && (now === 'allowed' || now === 'blocked') && observed.get(key) === now;
  });
}

/**
 * Whether the lab's last observed state could pass for this step: every cell both probed shows
 * what the step expects (loopback left out). Labs are reused job after job, and an enforcer
 * applies one job's policy deletion and the next job's policies a moment later (about a second
 * on the testbed), so a step's first rounds can see the previous job's rules. When those look
 * the same, agreement proves nothing until the lab has been seen without them.
 */
export function previousStateCouldAgree(
  probes: readonly Probe[], expected: ReadonlyMap<string, ProbeOutcome>, previous: ReadonlyMap<string, ProbeOutcome>,
): boolean {
  let shared = 0;
  for (const p of probes) {
    if (p.from === p.to) continue;
    const key = probeKey(p);
    const was = previous.get(key);
    const now = expected.get(key);
    if (was === undefined || now === undefined) continue;
    if (was !== now) return false;
    shared += 1;
  }
  return shared > 0;
}

/**
 * Probes in rounds until no cell differs or fails (verdict `passed`), or the deadline passes;
 * always probes at least once and returns the last round. Probe-failed cells keep it polling
 * too (infrastructure may recover); at the deadline they are reported as such, never as blocks.
 */
export async function observeUntilAgreed(
  runner: ProbeRunner, probes: readonly Probe[], expected: ReadonlyMap<string, ProbeOutcome>, options: ObserveOptions,
): Promise<Observation> {
  const now = options.now ?? Date.now;
  const started = now();
  const end = started + options.deadline.ms;
  let interval = options.minPauseMs ?? 250;
  const maxPause = options.maxPauseMs ?? 1000;
  let rounds = 0;
  let settleBy: number | undefined;
  for (;;) {
    // Pod-to-itself cells are left out of the verdict (CNIs differ), so never rechecked either.
    const { observed } = await probeWithRecheck(runner, probes, expected, (p) => p.from !== p.to);
    rounds += 1;
    const comparison = compareReachability(probes, expected, observed, options.explain ? { explain: options.explain } : {});
    const agreed = comparison.verdict === 'passed';
    const settle = options.settle;
    if (!agreed && settle !== undefined && settleBy === undefined && comparison.counts.probeFailed === 0 && stepEffectSeen(probes, expected, observed, settle.before)) {
      settleBy = now() + settle.ms;
    }
    const settled = settleBy !== undefined && now() >= settleBy;
    const left = Math.min(end, settleBy ?? end) - now();
    if (agreed || left <= 0) {
      return { comparison, observed, rounds, elapsedMs: now() - started, agreed, ...(settled && !agreed && now() < end ? { settledAfterMs: now() - started } : {}) };
    }
    await pause(Math.min(interval, left), options.signal);
    interval = Math.min(interval * 2, maxPause);
  }
}

/** Cells the policies must block (loopback excluded); enforcement is only testable when > 0. */
export function mustBlockCount(probes: readonly Probe[], expected: ReadonlyMap<string, ProbeOutcome>): number {
  return compareReachability(probes, expected, expected).cells.filter((c) => c.status !== 'ignored' && c.expected === 'blocked').length;
}

function firstOf(cells: readonly CellComparison[], status: CellComparison['status']): CellComparison | undefined {
  return cells.find((c) => c.status === status);
}

export interface MismatchSummary {
  /** One line for the check's message. */
  message: string;
  /** Set when every must-block cell was allowed: the message is then its sentence. */
  nonEnforcement?: NonEnforcementFinding;
}

/**
 * The short message of a step that did not agree in time. `where` names the step, e.g.
 * `step 2/3 (the policy is updated to deny all ingress)`. When nothing the policies must block
 * was blocked, the one sentence of detectNonEnforcement replaces the cell counts.
 */
export function summarizeMismatch(
  where: string, observation: Observation, deadline: Deadline, evidence?: ReadonlyMap<string, { detail: string }>,
  /** True once enforcement was proven (netpol/enforcement passed): a scenario whose few
   *  must-block cells all pass then points at its own rules, not at enforcement as a whole. */
  enforcementProven = false,
): MismatchSummary {
  const { comparison } = observation;
  const { counts } = comparison;
  const rounds = `${observation.rounds} round${observation.rounds === 1 ? '' : 's'}`;
  const waited = observation.settledAfterMs !== undefined
    ? `after ${formatDuration(observation.elapsedMs)} (${rounds}; the step showed its effect, then these cells stayed as they were)`
    : `after ${formatDuration(observation.elapsedMs)} (${rounds}, timeout ${deadline.name} ${formatDuration(deadline.ms)})`;
  const finding = enforcementProven ? undefined : detectNonEnforcement(comparison.cells);
  if (finding !== undefined) return { message: `${where}: ${finding.sentence}`, nonEnforcement: finding };
  const compared = counts.total - counts.ignored;
  const differ = firstOf(comparison.cells, 'differ');
  if (differ !== undefined) {
    const mustBlock = comparison.cells.filter((c) => c.status === 'differ' && c.expected === 'blocked').length;
    const mustAllow = counts.differ - mustBlock;
    const failed = counts.probeFailed > 0 ? `, ${counts.probeFailed} probe-failed` : '';
    return {
      message: `${where}: ${counts.differ} of ${compared} cells differ from the policies ${waited}: ${mustBlock} allowed that must be blocked, ` +
        `${mustAllow} blocked that must be allowed${failed}; e.g. ${differ.key}: expected ${differ.expected}, observed ${differ.observed}`,
    };
  }
  const failed = firstOf(comparison.cells, 'probe-failed');
  if (failed !== undefined) {
    const why = evidence?.get(failed.key)?.detail;
    return {
      message: `${where}: could not tell: ${counts.probeFailed} of ${compared} probes failed (infrastructure, not policy) ${waited}; ` +
        `e.g. ${failed.key}${why === undefined ? '' : `: ${why}`}`,
    };
  }
  return { message: `${where}: could not tell: ${counts.unknown} of ${compared} cells have no definite expected or observed outcome ${waited}` };
}
