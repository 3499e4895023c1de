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

/** Runs `jobs` on `lanes`; `run` gets the job, its lane and the lane's index in `lanes`. Once
 *  `signal` aborts, jobs not yet started reject with its reason (running ones are the runner's). */
export function runOnLanes<L, J extends PoolJob<L>, R>(
  lanes: readonly L[], jobs: readonly J[], run: (job: J, lane: L, laneIndex: number) => Promise<R>, signal?: AbortSignal,
): PoolRun<R> {
  const ids = new Set<string>();
  for (const job of jobs) {
    if (ids.has(job.id)) throw new Error(`runOnLanes: job ${job.id} is listed twice`);
    ids.add(job.id);
    if (!lanes.some((lane) => job.fits(lane))) throw new Error(`runOnLanes: no lane fits job ${job.id}`);
  }
  const settle = new Map<string, { resolve: (r: R) => void; reject: (e: unknown) => void }>();
  const results = new Map<string, Promise<R>>();
  for (const job of jobs) {
    const promise = new Promise<R>((resolve, reject) => settle.set(job.id, { resolve, reject }));
    // A result nobody awaits (its check was not reached) must not be an unhandled rejection.
    promise.catch(() => undefined);
    results.set(job.id, promise);
  }
  const queue = [...jobs];
  const worker = async (lane: L, laneIndex: number): Promise<void> => {
    for (;;) {
      if (signal?.aborted === true) return;
      const at = queue.findIndex((job) => job.fits(lane));
      if (at < 0) return;
      const [job] = queue.splice(at, 1) as [J];
      const handle = settle.get(job.id);
      try {
        handle?.resolve(await run(job, lane, laneIndex));
      } catch (err) {
        handle?.reject(err);
      }
    }
  };
  const idle = Promise.all(lanes.map((lane, i) => worker(lane, i))).then(() => {
    // Whatever is still queued was stopped by the signal: say so to whoever waits for it.
    const reason: unknown = signal?.reason ?? new Error('the job was never started');
    for (const job of queue.splice(0)) settle.get(job.id)?.reject(reason);
  });
  return { results, idle };
}
