// One scenario on the lab: expected reachability from the simulator, observed from the batched
// cluster runner, step by step (apply the difference of policies, then observe until the
// cluster agrees or the policy-effect deadline passes). On a step that does not agree, the check
// fails with a short message, expected/observed/comparison tables, counts and a command per
// differing cell. Scenario policies are removed after the check, whatever happened.
import { netpolDeadline } from './timeouts.js';
import type { V1NetworkPolicy } from '@kubernetes/client-node';
import { pollUntil, type Deadline } from '../cluster/wait.js';
import { WaitAbandonedError, WaitTimeoutError } from '../errors.js';
import { formatDuration } from '../cluster/timeouts.js';
import { CheckFailure } from '../harness/errors.js';
import type { CheckContext, SetupContext } from '../harness/context.js';
import { bindPolicies, policyChanges } from './binding.js';
import { assertLabHealthy, clusterDnsTarget, enforcementFinding, PROBE_TIMEOUT_SECONDS, type NetpolLab } from './cluster-lab.js';
import { applyPolicyChanges, deleteRunPolicies } from './cluster-policies.js';
import type { NonEnforcementFinding } from './enforcement.js';
import { mustBlockCount, observeUntilAgreed, previousStateCouldAgree, summarizeMismatch, type MismatchSummary, type Observation } from './observe.js';
import { planProbes, probeKey, SimulatedProbeRunner, type Probe, type ProbeOutcome, type ProbeRunner } from './probe.js';
import type { Scenario, ScenarioRequirement, ScenarioStep } from './scenarios.js';
import type { ProbeObservation } from './cluster-script.js';
import { applyStepState, restoreStepState } from './cluster-step-state.js';
import { stepStateChanges, stepTopology } from './step-state.js';
import {
  cellsNeedingAttention, formatCounts, observedTables, OUTCOME_LEGEND, reachabilityAttachments, STATUS_LEGEND, toTableAttachment,
} from './truth-table.js';
import { CLOUD_METADATA, DEFAULT_NAMESPACES, DEFAULT_PODS, findExternal, findPod, type ExternalTarget, type Topology, type TopologyRequest } from './topology.js';

export function policyEffectDeadline(t: SetupContext): Deadline {
  return netpolDeadline(t.timeouts, 'netpolPolicyEffect');
}

/** The part of the lab a scenario asked for; externals get the addresses resolved for this run. */
export function scenarioTopology(lab: Topology, request: TopologyRequest, externals: readonly ExternalTarget[] = []): Topology {
  const namespaces = request.namespaces ?? DEFAULT_NAMESPACES;
  const pods = request.pods ?? DEFAULT_PODS;
  return {
    namespaces: lab.namespaces.filter((n) => namespaces.includes(n.logical)),
    pods: lab.pods.filter((p) => namespaces.includes(p.namespace) && pods.includes(p.name)),
    externals: (request.externals ?? []).map((e) => externals.find((r) => r.name === e.name) ?? findExternal(lab, e.name) ?? e),
  };
}

export interface StepRecord {
  description: string;
  observation: Observation;
}

/** Resolves what the scenario requires, or says what is missing (the check is then skipped). */
async function resolveRequirements(
  t: SetupContext, lab: NetpolLab, requirements: readonly ScenarioRequirement[],
): Promise<{ externals: ExternalTarget[] } | { skip: string }> {
  const resolved: ExternalTarget[] = [];
  for (const requirement of requirements) {
    if (requirement === 'cluster-dns') {
      const dns = await clusterDnsTarget(t);
      if ('problem' in dns) return { skip: `needs cluster DNS: ${dns.problem}` };
      resolved.push(dns.target);
    } else {
      const problem = await metadataProblem(t, lab);
      if (problem !== undefined) return { skip: `needs a cloud metadata service to prove egress to it can be denied: ${problem}` };
    }
  }
  return { externals: resolved };
}

/** With no policy in place, something must answer at the metadata address, or there is nothing to deny. */
async function metadataProblem(t: SetupContext, lab: NetpolLab): Promise<string | undefined> {
  const source = lab.topology.pods[0];
  if (source === undefined) return 'the lab has no pods';
  const topology: Topology = { ...lab.topology, externals: [CLOUD_METADATA] };
  const probe: Probe = { from: source.id, to: CLOUD_METADATA.name, port: 80, protocol: 'TCP' };
  const key = probeKey(probe);
  const attempt = async (): Promise<ProbeAttempt> => {
    const runner = lab.runnerFor(topology, t.signal);
    const outcome = (await runner.probeAll([probe])).get(key);
    return { outcome, detail: runner.evidence.get(key)?.detail ?? outcome ?? 'no answer' };
  };
  return answerProblem(attempt, `${CLOUD_METADATA.ip ?? '?'}:80 from ${source.id}`, netpolDeadline(t.timeouts, 'netpolMetadataAnswer'), t.signal);
}

export interface ProbeAttempt {
  outcome: ProbeOutcome | undefined;
  /** What the probe printed, e.g. `connection refused`. */
  detail: string;
}

/** Why nothing answers at `where` (`ADDRESS:PORT from POD`) with no policy in place, or undefined
 *  once something does. A refused connection is asked again until `deadline` (the service may be
 *  restarting); no answer at all (a timeout, no route) means there is none, at once. */
export async function answerProblem(attempt: () => Promise<ProbeAttempt>, where: string, deadline: Deadline, signal?: AbortSignal): Promise<string | undefined> {
  const problem = (detail: string) => `nothing answered at ${where} with no policy in place (${detail})`;
  try {
    await pollUntil(attempt, (a) => a.outcome === 'allowed', {
      expectation: `an answer at ${where}`, deadline, signal, describe: (a) => a?.detail ?? 'no attempt finished',
      fatal: (a) => (/refused/i.test(a.detail) ? undefined : problem(a.detail)),
    });
    return undefined;
  } catch (err) {
    if (signal?.aborted === true) throw err;
    if (err instanceof WaitAbandonedError) return err.reason;
    if (err instanceof WaitTimeoutError) return `${problem(err.lastState)}, still refused after ${formatDuration(deadline.ms)} (timeout ${deadline.name})`;
    throw err;
  }
}

function stepName(index: number, total: number, description: string): string {
  return `step ${index + 1}/${total} (${description})`;
}

/** A step that did not agree in time; carries the non-enforcement finding when there is one. */
export class ScenarioStepFailure extends CheckFailure {
  override readonly name = 'ScenarioStepFailure';
  readonly nonEnforcement: NonEnforcementFinding | undefined;
  /** Which step, e.g. `step 2/2 (y denies all ingress)`. */
  readonly step: string;
  constructor(step: string, summary: MismatchSummary, details: string) {
    super(summary.message, { details });
    this.step = step;
    this.nonEnforcement = summary.nonEnforcement;
  }
}

/** The "cells to look at" text of a step that did not agree: legend, counts, and per cell the
 *  outcomes, the rule that decides it and a command to reproduce it. */
export function mismatchText(observation: Observation, topology: Topology, evidence: ReadonlyMap<string, { detail: string }>): string {
  const cells = cellsNeedingAttention(observation.comparison, topology, { timeoutSeconds: PROBE_TIMEOUT_SECONDS });
  const lines = cells.map((c) => [
    `- ${c.key}: expected ${c.expected}, observed ${c.observed}${evidence.get(c.key) ? ` (${evidence.get(c.key)?.detail ?? ''})` : ''}`,
    ...(c.reason ? [`  why expected: ${c.reason}`] : []),
    `  reproduce: ${c.command}`,
  ].join('\n'));
  const legend = topology.namespaces.map((n) => `${n.logical} = ${n.name}`).join(', ');
  const symbols = [`expected/observed: ${OUTCOME_LEGEND}`, `comparison: ${STATUS_LEGEND}`];
  return [`namespaces: ${legend}`, ...symbols, `counts: ${formatCounts(observation.comparison.counts)}`, ...lines].join('\n');
}

/** Attaches everything a person needs for a step that did not agree, and returns the failure. */
function stepFailure(
  t: CheckContext, where: string, observation: Observation, topology: Topology, evidence: ReadonlyMap<string, { detail: string }>,
  deadline: Deadline, enforcementProven: boolean,
): ScenarioStepFailure {
  const summary = summarizeMismatch(where, observation, deadline, evidence, enforcementProven);
  for (const table of reachabilityAttachments(observation.comparison)) t.attach({ ...table, title: `${where}: ${table.title}` });
  t.attachText(`${where}: cells to look at`, mismatchText(observation, topology, evidence));
  const details = `${formatCounts(observation.comparison.counts)}; ${observation.rounds} round(s) in ${formatDuration(observation.elapsedMs)}`;
  return new ScenarioStepFailure(where, summary, details);
}

/** Cells the scenario's policies must block, over all steps (before any step has run). */
function mustBlockOf(t: SetupContext, scenario: Scenario, topology: Topology): number {
  return scenario.steps.reduce((sum, step) => {
    const stepped = stepTopology(topology, step);
    const probes = planProbes(stepped, scenario.probes);
    const expected = new SimulatedProbeRunner(stepped, bindPolicies(step.policies, stepped, { labels: t.labels() })).outcomes(probes);
    return sum + mustBlockCount(probes, expected);
  }, 0);
}

/** What `probes` were expected to show before a step: the previous step's topology and
 *  policies (cells to or from pods that did not exist then are left out). */
function expectedBefore(topology: Topology, policies: readonly V1NetworkPolicy[], probes: readonly Probe[]): Map<string, ProbeOutcome> {
  const exists = (id: string) => findPod(topology, id) !== undefined || findExternal(topology, id) !== undefined;
  return new SimulatedProbeRunner(topology, policies).outcomes(probes.filter((p) => exists(p.from) && exists(p.to)));
}

/** How a scenario's steps went: all agreed, or the first that did not, with its evidence. */
export type ScenarioRun =
  | { agreed: true; records: StepRecord[] }
  | {
    agreed: false;
    records: StepRecord[];
    /** `step 2/3 (...)`. */
    where: string;
    observation: Observation;
    /** The topology of the failing step (added pods included). */
    topology: Topology;
    evidence: ReadonlyMap<string, ProbeObservation>;
  };

export interface RunScenarioOptions {
  /** Where the step names go (t.step for one check; quieter for concurrent cases). */
  log: (line: string) => void;
  deadline: Deadline;
}

/** What each lab showed at the last step it observed, for the next job's first step. */
const lastObserved = new WeakMap<NetpolLab, ReadonlyMap<string, ProbeOutcome>>();

/**
 * Before a job's first step applies its policies: when the lab's last observed state already
 * looks like what the step expects (see previousStateCouldAgree), waits until the lab's pods
 * are seen reaching each other with no policy in place, so the step's agreement is the
 * enforcer's answer to this job, not the previous job's rules still in place. Returns that
 * observation (not agreed: the deleted policies still apply), or undefined when no wait was needed.
 */
async function confirmLabOpen(
  lab: NetpolLab, runner: ProbeRunner, stepped: Topology, probes: readonly Probe[], expected: ReadonlyMap<string, ProbeOutcome>,
  deadline: Deadline, signal: AbortSignal,
): Promise<Observation | undefined> {
  const last = lastObserved.get(lab);
  if (last === undefined || !previousStateCouldAgree(probes, expected, last)) return undefined;
  const between = probes.filter((p) => findPod(stepped, p.to) !== undefined);
  return observeUntilAgreed(runner, between, expectedBefore(stepped, [], between), { deadline, signal });
}

/**
 * Runs the steps of a scenario in `topology` (part of `lab`): for each step, changes labels and
 * added pods, applies the policy difference, and observes until the cluster agrees or the
 * deadline passes; stops at the first step that does not agree. Policies, labels and added pods
 * are taken back afterwards, whatever happened. Never fails by itself: the caller decides.
 */
export async function runScenario(t: SetupContext, lab: NetpolLab, scenario: Scenario, topology: Topology, options: RunScenarioOptions): Promise<ScenarioRun> {
  const records: StepRecord[] = [];
  const addedIps = new Map<string, string>();
  let previous: ScenarioStep | undefined;
  let previousPolicies: V1NetworkPolicy[] = [];
  let previousTopology = topology;
  const settleMs = netpolDeadline(t.timeouts, 'netpolSettle').ms;
  try {
    for (const [index, step] of scenario.steps.entries()) {
      const where = stepName(index, scenario.steps.length, step.description);
      options.log(where);
      const changes = stepStateChanges(previous, step);
      // Set first: if the change fails half-way, the restore below still undoes all of it.
      previous = step;
      await applyStepState(t, topology, changes, step, addedIps);
      const stepped = stepTopology(topology, step, addedIps);
      const policies = bindPolicies(step.policies, stepped, { labels: t.labels() });
      const probes = planProbes(stepped, scenario.probes);
      const simulator = new SimulatedProbeRunner(stepped, policies);
      const expected = simulator.outcomes(probes);
      const runner = lab.runnerFor(stepped, t.signal);
      const open = index === 0 ? await confirmLabOpen(lab, runner, stepped, probes, expected, options.deadline, t.signal) : undefined;
      if (open !== undefined) {
        options.log(`the lab last showed what ${where} expects: waited ${formatDuration(open.elapsedMs)} (${open.rounds} round(s)) for it to show no policy first`);
        if (!open.agreed) {
          const before = `before ${where}, with the lab's previous policies deleted and none applied yet`;
          return { agreed: false, records, where: before, observation: open, topology: stepped, evidence: runner.evidence };
        }
      }
      await applyPolicyChanges(t.clients, policyChanges(previousPolicies, policies), t.runId);
      const before = expectedBefore(previousTopology, previousPolicies, probes);
      previousPolicies = policies;
      previousTopology = stepped;
      const observation = await observeUntilAgreed(runner, probes, expected, {
        deadline: options.deadline, signal: t.signal, explain: (p) => simulator.simulator.explain(p.from, p.to, p.port, p.protocol),
        settle: { before, ms: settleMs },
      });
      records.push({ description: step.description, observation });
      lastObserved.set(lab, observation.observed);
      if (!observation.agreed) return { agreed: false, records, where, observation, topology: stepped, evidence: runner.evidence };
    }
    return { agreed: true, records };
  } finally {
    await deleteRunPolicies(t.clients, topology.namespaces.map((n) => n.name), t.runId);
    await restoreStepState(t, topology, previous, addedIps);
  }
}

/** What running a scenario as a check came to, before it is reported (reportScenario). */
export type ScenarioOutcome =
  | { kind: 'skipped'; steps: string[]; reason: string }
  | { kind: 'ran'; steps: string[]; run: ScenarioRun; deadline: Deadline; enforcementProven: boolean }
  | { kind: 'error'; steps: string[]; error: unknown };

/**
 * Runs a scenario the way its check does, in `lab`, without reporting: checks the lab's pods,
 * removes leftover policies, resolves what the scenario requires, skips when NetworkPolicy is
 * known not to be enforced and the scenario has cells to block, and runs the steps. The step
 * lines are collected, so this can run while another check is being reported (the suite runs
 * its scenarios in several labs at once) and be replayed into the scenario's own check.
 */
export async function runScenarioJob(t: SetupContext, lab: NetpolLab, scenario: Scenario): Promise<ScenarioOutcome> {
  const steps: string[] = [];
  const log = (line: string): void => {
    steps.push(line);
  };
  try {
    await assertLabHealthy(t, lab);
    const leftovers = await deleteRunPolicies(t.clients, lab.namespaces, t.runId);
    if (leftovers.length > 0) log(`removed leftover policies ${leftovers.join(', ')}`);
    const requirements = await resolveRequirements(t, lab, scenario.requires ?? []);
    if ('skip' in requirements) return { kind: 'skipped', steps, reason: requirements.skip };
    const topology = scenarioTopology(lab.topology, scenario.topology, requirements.externals);
    const enforcement = enforcementFinding.of(t).current;
    if (enforcement.state === 'not-enforced') {
      const mustBlock = mustBlockOf(t, scenario, topology);
      if (mustBlock > 0) {
        const cells = mustBlock === 1 ? 'the 1 cell' : `the ${mustBlock} cells`;
        return { kind: 'skipped', steps, reason: `NetworkPolicy is not enforced in this cluster (see netpol/enforcement), so ${cells} this scenario's policies must block cannot be tested` };
      }
    }
    const deadline = policyEffectDeadline(t);
    const run = await runScenario(t, lab, scenario, topology, { log, deadline });
    return { kind: 'ran', steps, run, deadline, enforcementProven: enforcement.state === 'enforced' };
  } catch (error) {
    if (t.signal.aborted) throw error;
    return { kind: 'error', steps, error };
  }
}

/**
 * Reports a scenario outcome as its check: replays the step lines, then skips, throws the error,
 * throws ScenarioStepFailure on the first step that did not agree within the deadline (with
 * tables and cells to look at), or attaches the proof. Returns the step records (the
 * enforcement check reads them).
 */
export function reportScenario(t: CheckContext, outcome: ScenarioOutcome, scenario: Scenario): StepRecord[] {
  for (const line of outcome.steps) t.step(line);
  if (outcome.kind === 'skipped') t.skip(outcome.reason);
  if (outcome.kind === 'error') throw outcome.error;
  const { run, deadline } = outcome;
  if (!run.agreed) throw stepFailure(t, run.where, run.observation, run.topology, run.evidence, deadline, outcome.enforcementProven);
  attachProof(t, run.records, scenario.steps.length);
  return run.records;
}

/**
 * Runs a scenario as one check, in `lab` and now. Only netpol/enforcement changes what the suite
 * knows about enforcement (enforcementFinding): one scenario's failing cells are too little
 * evidence to skip all the others.
 */
export async function checkScenario(t: CheckContext, lab: NetpolLab, scenario: Scenario): Promise<StepRecord[]> {
  return reportScenario(t, await runScenarioJob(t, lab, scenario), scenario);
}

/** On success: how long each step took to show, and the observed tables as evidence. */
function attachProof(t: CheckContext, records: readonly StepRecord[], total: number): void {
  const lines = records.map((r, i) =>
    `${stepName(i, total, r.description)}: ${r.observation.comparison.counts.agree} cells agree after ${formatDuration(r.observation.elapsedMs)} (${r.observation.rounds} round${r.observation.rounds === 1 ? '' : 's'})`);
  t.attachText('steps', lines.join('\n'));
  const last = records[records.length - 1];
  if (last === undefined) return;
  for (const table of observedTables(last.observation.comparison)) t.attach({ ...toTableAttachment(table), title: `${stepName(records.length - 1, total, last.description)}: ${table.title}` });
}
