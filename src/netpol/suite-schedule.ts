// How the netpol suite spends its time: its labs are built at once in the suite setup (the full
// x/y/z labs the scenarios need, and the small lanes of the generated cases), and once
// netpol/enforcement has run, every selected scenario and generated case runs as a job on those
// labs, several at once (runOnLanes). Jobs are independent: each has a lab to itself while it
// runs, and policies, labels and added pods are taken back after it. Each check then only
// reports its own job's outcome (a scenario check waits for its scenario, netpol/generated-cases
// for all cases), so the report, the check IDs and the failure output stay as they were, while
// the cluster works on many checks at the same time. A lab is released as soon as no job is left
// for it (its health read, its namespaces dumped when a case failed there, then deleted), so a
// lane that is done stops costing the node CPU while the scenarios go on, and the end of the run
// waits only for the namespaces of the lab that finished last.
import type { Deadline } from '../cluster/wait.js';
import type { CheckContext, SetupContext } from '../harness/context.js';
import { errorSentence } from '../cluster/api-errors.js';
import { dumpNamespace } from '../cluster/dump.js';
import { deleteOwnedNamespaceNow } from '../cluster/namespaces.js';
import type { Attachment } from '../report/model.js';
import { WaitTimeoutError } from '../errors.js';
import { setMaxListeners } from 'node:events';
import { assertLabHealthy, enforcementFinding, startLab, type LabNamespaces, type NetpolLab } from './cluster-lab.js';
import { policyEffectDeadline, runScenario, runScenarioJob, scenarioTopology, type ScenarioOutcome, type ScenarioRun } from './cluster-scenario.js';
import type { GeneratedCase } from './generator.js';
import { runOnLanes, type PoolJob, type PoolRun } from './lane-pool.js';
import type { Scenario } from './scenarios.js';

/** The labs of one suite run. */
export interface NetpolLabs {
  /** Labs with namespaces x, y, z and pods a, b, c, Ready: netpol/enforcement runs in the first;
   *  the scenarios in all of them, and generated cases too once no scenario is left. */
  scenario: NetpolLab[];
  /** Namespaces of the lanes (x, y with pods a, b) for the generated cases only; their pods are
   *  started by the schedule, in the background. */
  cases: LabNamespaces[];
}

export interface CaseResult {
  generated: GeneratedCase;
  /** Index of the lab it ran in (the scenario labs first, then the lanes). */
  lane: number;
  durationMs: number;
  /** How the steps went; undefined when the case could not run (error). */
  run?: ScenarioRun;
  /** Why the case could not be judged (an API error, a pod that did not start). */
  error?: string;
}

/** What a lab left when it was released, for the check that reports the cases run there. */
export interface LabRelease {
  /** Why its results are unreliable (a pod restarted or gone since Ready), read at release. */
  unhealthy?: unknown;
  /** Events, pod status and logs of its namespaces, captured when a case failed there. */
  dumps: Attachment[];
}

export function caseFailed(result: CaseResult): boolean {
  return result.error !== undefined || result.run?.agreed !== true;
}

type SuiteJob =
  | { kind: 'scenario'; id: string; scenario: Scenario }
  | { kind: 'case'; id: string; generated: GeneratedCase };

interface ScheduledLab {
  /** Unset only in the shape of a lane still being built. */
  lab?: NetpolLab;
  /** Whether it has x, y and z with a, b and c (a scenario lab). */
  full: boolean;
}

/** Listeners the schedule's signal may have: every probe of every running job waits on it. */
const SIGNAL_LISTENERS = 256;

type JobResult = { kind: 'scenario'; outcome: ScenarioOutcome } | { kind: 'case'; result: CaseResult; startedAt: number };

/**
 * A rough cost of a generated case in seconds, to start the long ones first: a step costs a
 * probe round or a few; a pod (re)created costs its start; a namespace relabelled waits for the
 * enforcer to see it (some only resync namespaces periodically). Measured on the testbed:
 * one-step cases 3-7 s, two-step ones 7-8 s, relabelling a namespace 18 s, re-creating a pod 20 s.
 */
export function estimatedCaseSeconds(scenario: Scenario): number {
  let seconds = 0;
  let incarnations = new Map<string, number>();
  for (const step of scenario.steps) {
    seconds += 3;
    if (Object.keys(step.namespaceLabels ?? {}).length > 0) seconds += 12;
    if (Object.keys(step.podLabels ?? {}).length > 0) seconds += 5;
    const next = new Map(Object.entries(step.addedPods ?? {}).map(([id, pod]) => [id, pod.incarnation]));
    for (const [id, incarnation] of next) if (incarnations.get(id) !== incarnation) seconds += incarnations.has(id) ? 10 : 5;
    incarnations = next;
  }
  return seconds;
}

/**
 * The jobs in the order lanes take them: scenarios in declaration order (their checks report in
 * that order, so each result is there when its check asks), then the generated cases longest
 * first (so no long case starts last and keeps the suite waiting). A scenario fits only a full
 * lab; a case fits every lab.
 */
export function suiteJobs(scenarios: readonly Scenario[], cases: readonly GeneratedCase[]): Array<SuiteJob & PoolJob<{ full: boolean }>> {
  const byCost = cases.map((generated, index) => ({ generated, index, cost: estimatedCaseSeconds(generated) }))
    .sort((a, b) => b.cost - a.cost || a.index - b.index);
  return [
    ...scenarios.map((scenario) => ({ kind: 'scenario' as const, id: scenario.id, scenario, fits: (lane: { full: boolean }) => lane.full })),
    ...byCost.map(({ generated }) => ({ kind: 'case' as const, id: generated.id, generated, fits: () => true })),
  ];
}

/** Waits for `promise`, but gives up when the waiting check's own signal aborts. */
async function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) throw signal.reason;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, aborted]);
  } finally {
    if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
  }
}

/** The setup's context for the jobs, with the schedule's own signal and step lines dropped
 *  (each job keeps its own lines for its check). */
function jobContext(setup: SetupContext, signal: AbortSignal): SetupContext {
  return {
    id: setup.id, runId: setup.runId, config: setup.config, clients: setup.clients, cluster: setup.cluster,
    probeImage: setup.probeImage, timeouts: setup.timeouts, signal,
    labels: (extra) => setup.labels(extra),
    deadline: (name) => setup.deadline(name),
    createNamespace: (suffix, options) => setup.createNamespace(suffix, options),
    defer: (description, action) => setup.defer(description, action),
    step: () => undefined,
  };
}

/** Runs one generated case; an error of the case (not an abort) becomes its result. */
async function runCase(t: SetupContext, lab: NetpolLab, lane: number, generated: GeneratedCase, deadline: Deadline): Promise<CaseResult> {
  const started = Date.now();
  const topology = scenarioTopology(lab.topology, generated.topology);
  try {
    const run = await runScenario(t, lab, generated, topology, { log: () => undefined, deadline });
    return { generated, lane, durationMs: Date.now() - started, run };
  } catch (err) {
    if (t.signal.aborted) throw err;
    return { generated, lane, durationMs: Date.now() - started, error: errorSentence(err) };
  }
}

export class NetpolSchedule {
  private run: PoolRun<JobResult> | undefined;
  private startedAt = 0;
  private readonly controller = new AbortController();
  /** The lanes' labs as their pods become Ready (started at once, in the background). */
  private readonly lanes: Array<Promise<NetpolLab>>;
  /** Indexes of the labs in which a generated case failed (their release dumps them). */
  private readonly failedLanes = new Set<number>();
  /** What each released lab left, by lab index; a lab never released (the run was stopped, or
   *  the lane never built) has no entry. */
  private readonly releases = new Map<number, LabRelease>();

  /**
   * `scenarios` and `cases` are those of the selected checks, in declaration order. Starts the
   * lanes' pods now: after the scenario labs are Ready rather than with them, because every
   * server's startup probe costs CPU, and 30 pods starting at once on a 2-core node took 104 s
   * against 17.5 s for the 9 of one lab.
   */
  constructor(
    private readonly setup: SetupContext, readonly labs: NetpolLabs,
    private readonly scenarios: readonly Scenario[], readonly cases: readonly GeneratedCase[],
  ) {
    setMaxListeners(SIGNAL_LISTENERS, this.controller.signal);
    const t = jobContext(setup, this.controller.signal);
    this.lanes = labs.cases.map((namespaces) => startLab(t, namespaces));
    // Awaited by the pool or stop(); a failure surfaces there, never as an unhandled rejection.
    for (const lane of this.lanes) lane.catch(() => undefined);
  }

  /** Why lanes could not be built (their pods did not start), one sentence each. */
  async laneFailures(): Promise<string[]> {
    const lanes = await Promise.allSettled(this.lanes);
    return lanes.flatMap((l, i) => (l.status === 'rejected' ? [`lane ${i + 1}: ${errorSentence(l.reason)}`] : []));
  }

  /** What each lab left when it was released, by the index CaseResult.lane counts (scenario
   *  labs first), once every lab is idle. Called after every job's result is in, so this only
   *  waits for the last releases. */
  async released(t: CheckContext): Promise<ReadonlyMap<number, LabRelease>> {
    await untilAborted(this.start().idle, t.signal);
    return this.releases;
  }

  /** A lab no job is left for: its health now, its namespaces dumped if a case failed there,
   *  then its pods and namespaces deleted without waiting. A failed deletion is left to the
   *  suite's cleanup, which deletes the same namespaces again and reports what it cannot. */
  private async release(t: SetupContext, lab: NetpolLab, lane: number): Promise<void> {
    let unhealthy: unknown;
    try {
      await assertLabHealthy(t, lab);
    } catch (err) {
      unhealthy = err;
    }
    const dumps = this.failedLanes.has(lane) ? (await Promise.all(lab.namespaces.map((ns) => dumpNamespace(t.clients, ns)))).flat() : [];
    this.releases.set(lane, { unhealthy, dumps });
    await Promise.allSettled(lab.namespaces.map((ns) => deleteOwnedNamespaceNow(t.clients, ns, t.runId)));
  }

  /**
   * Starts every job, once. ORDER MATTERS: called by the checks that report jobs, which run after
   * netpol/enforcement (declaration order), so jobs see what it found: when nothing is enforced,
   * the generated cases are not run at all and each scenario decides on its own skip.
   */
  private start(): PoolRun<JobResult> {
    if (this.run !== undefined) return this.run;
    const t = jobContext(this.setup, this.controller.signal);
    const cases = enforcementFinding.of(this.setup).current.state === 'not-enforced' ? [] : this.cases;
    const lanes = [
      ...this.labs.scenario.map((lab): ScheduledLab => ({ lab, full: true })),
      ...this.lanes.map((ready) => ({ shape: { full: false }, ready: ready.then((lab): ScheduledLab => ({ lab, full: false })) })),
    ];
    const deadline = policyEffectDeadline(t);
    this.startedAt = Date.now();
    this.run = runOnLanes<ScheduledLab, ReturnType<typeof suiteJobs>[number], JobResult>(lanes, suiteJobs(this.scenarios, cases), async (job, { lab }, index): Promise<JobResult> => {
      if (lab === undefined) throw new Error(`lane ${index + 1} has no lab`);
      if (job.kind === 'scenario') return { kind: 'scenario', outcome: await runScenarioJob(t, lab, job.scenario) };
      const startedAt = Date.now();
      const result = await runCase(t, lab, index, job.generated, deadline);
      if (caseFailed(result)) this.failedLanes.add(index);
      return { kind: 'case', result, startedAt };
    }, this.controller.signal, async ({ lab }, index) => {
      if (lab !== undefined) await this.release(t, lab, index);
    });
    return this.run;
  }

  /** Waits for one job on behalf of check `t`: an interrupt of the run stops every job; the
   *  check's own timeout only stops its wait. */
  private async await(t: CheckContext, id: string): Promise<JobResult> {
    const result = this.start().results.get(id);
    if (result === undefined) throw new Error(`${id} is not scheduled in this run`);
    try {
      return await untilAborted(result, t.signal);
    } catch (err) {
      if (t.signal.aborted && !(t.signal.reason instanceof WaitTimeoutError)) this.controller.abort(t.signal.reason);
      throw err;
    }
  }

  /** The outcome of scenario `scenario`, to report in its check. */
  async scenario(t: CheckContext, scenario: Scenario): Promise<ScenarioOutcome> {
    const result = await this.await(t, scenario.id);
    if (result.kind !== 'scenario') throw new Error(`${scenario.id} is not a scenario job`);
    return result.outcome;
  }

  /** Every generated case's result, in case order, and the time from the first start to the last end. */
  async caseResults(t: CheckContext): Promise<{ results: CaseResult[]; elapsedMs: number }> {
    const results: CaseResult[] = [];
    let first = Number.POSITIVE_INFINITY;
    let last = this.startedAt;
    for (const generated of this.cases) {
      const result = await this.await(t, generated.id);
      if (result.kind !== 'case') throw new Error(`${generated.id} is not a generated case job`);
      results.push(result.result);
      first = Math.min(first, result.startedAt);
      last = Math.max(last, result.startedAt + result.result.durationMs);
    }
    return { results, elapsedMs: results.length === 0 ? 0 : last - first };
  }

  /** Stops jobs still queued or running and waits until every lab is idle and every lane built
   *  or failed; runs before the labs' namespaces are deleted. */
  async stop(): Promise<void> {
    this.controller.abort(new Error('the netpol suite ended'));
    if (this.run !== undefined) await this.run.idle;
    await Promise.allSettled(this.lanes);
  }
}
