// Running independent jobs over a fixed set of lanes, several at once: each lane runs one job at
// a time, and a lane that falls free takes the first job still queued that fits it (the
// caller's order is the priority). The netpol suite runs its scenarios and generated cases this
// way: a scenario fits only a lab with x, y and z, a generated case fits any lab, so the full labs
// take the scenarios first and the small lanes the cases, and whoever is free takes what is left.
// No cluster here: the runner of a job is injected, so the scheduling is unit-tested.

export interface PoolJob<L> {
  /** Unique among the jobs of one pool. */
  id: string;
  /** Whether the job can run on `lane`; at least one lane must fit every job. */
  fits: (lane: L) => boolean;
}

export interface PoolRun<R> {
  /** One promise per job id; settles when that job has run (or was aborted before it started). */
  results: Map<string, Promise<R>>;
  /** Settles once every lane is idle (all jobs ran, or the pool was aborted). Never rejects. */
  idle: Promise<void>;
}

/** A lane, known now or still being built (a lab whose pods are starting). */
export interface LaneSlot<L> {
  /** What the lane will be, so jobs can be checked against it before it exists. */
  shape: L;
  ready: Promise<L>;
}

/** Runs `jobs` on `lanes`; `run` gets the job, its lane and the lane's index in `lanes`. A lane
 *  still being built joins once ready (one that fails to build takes no job). Once `signal`
 *  aborts, jobs not yet started reject with its reason (running ones are the runner's).
 *  `done` is called once for each built lane that no queued job fits any more (its work is
 *  over, so it can be released while other lanes still run), never after the signal aborted;
 *  `idle` waits for it. It must handle its own errors: a rejection is dropped. */
export function runOnLanes<L, J extends PoolJob<L>, R>(
  lanes: ReadonlyArray<L | LaneSlot<L>>, jobs: readonly J[], run: (job: J, lane: L, laneIndex: number) => Promise<R>, signal?: AbortSignal,
  done?: (lane: L, laneIndex: number) => Promise<void>,
): PoolRun<R> {
  const slots: Array<LaneSlot<L>> = lanes.map((lane) => (isSlot(lane) ? lane : { shape: lane, ready: Promise.resolve(lane) }));
  const ids = new Set<string>();
  for (const job of jobs) {
    if (ids.has(job.id)) throw new Error(`runOnLanes: job ${job.id} is listed twice`);
    ids.add(job.id);
    if (!slots.some((slot) => job.fits(slot.shape))) throw new Error(`runOnLanes: no lane fits job ${job.id}`);
  }
  const buildErrors: unknown[] = [];
  const settle = new Map<string, { resolve: (r: R) => void; reject: (e: unknown) => void }>();
  const results = new Map<string, Promise<R>>();
  for (const job of jobs) {
    const promise = new Promise<R>((resolve, reject) => settle.set(job.id, { resolve, reject }));
    // A result nobody awaits (its check was not reached) must not be an unhandled rejection.
    promise.catch(() => undefined);
    results.set(job.id, promise);
  }
  const queue = [...jobs];
  const worker = async (slot: LaneSlot<L>, laneIndex: number): Promise<void> => {
    let lane: L;
    try {
      lane = await slot.ready;
    } catch (err) {
      buildErrors.push(err);
      return;
    }
    for (;;) {
      if (signal?.aborted === true) return;
      const at = queue.findIndex((job) => job.fits(lane));
      if (at < 0) {
        // The queue only shrinks: no job will ever fit this lane again.
        await done?.(lane, laneIndex).catch(() => undefined);
        return;
      }
      const [job] = queue.splice(at, 1) as [J];
      const handle = settle.get(job.id);
      try {
        handle?.resolve(await run(job, lane, laneIndex));
      } catch (err) {
        handle?.reject(err);
      }
    }
  };
  const idle = Promise.all(slots.map((slot, i) => worker(slot, i))).then(() => {
    // Whatever is still queued was stopped by the signal, or no lane it fits could be built.
    const reason: unknown = signal?.aborted === true ? signal.reason : (buildErrors[0] ?? new Error('the job was never started'));
    for (const job of queue.splice(0)) settle.get(job.id)?.reject(reason);
  });
  return { results, idle };
}

function isSlot<L>(lane: L | LaneSlot<L>): lane is LaneSlot<L> {
  return typeof lane === 'object' && lane !== null && 'ready' in lane && 'shape' in lane && lane.ready instanceof Promise;
}
