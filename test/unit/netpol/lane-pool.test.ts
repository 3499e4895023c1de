import { expect } from 'chai';
import { runOnLanes, type PoolJob } from '../../../src/netpol/lane-pool.js';

interface Lane {
  name: string;
  full: boolean;
}
interface Job extends PoolJob<Lane> {
  ms: number;
}

const FULL: Lane = { name: 'S1', full: true };
const FULL2: Lane = { name: 'S2', full: true };
const SMALL: Lane = { name: 'C1', full: false };
const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const scenario = (id: string, ms = 5): Job => ({ id, ms, fits: (lane) => lane.full });
const anywhere = (id: string, ms = 5): Job => ({ id, ms, fits: () => true });

/** Runs the jobs, recording which lane ran which job and how many ran at once on each lane. */
async function record(lanes: Lane[], jobs: Job[]) {
  const ranOn = new Map<string, string>();
  const order: string[] = [];
  const busy = new Map<string, number>();
  let overlapOnOneLane = false;
  const pool = runOnLanes(lanes, jobs, async (job, lane) => {
    busy.set(lane.name, (busy.get(lane.name) ?? 0) + 1);
    if ((busy.get(lane.name) ?? 0) > 1) overlapOnOneLane = true;
    order.push(job.id);
    ranOn.set(job.id, lane.name);
    await tick(job.ms);
    busy.set(lane.name, (busy.get(lane.name) ?? 0) - 1);
    return `${job.id}@${lane.name}`;
  });
  await pool.idle;
  return { ranOn, order, overlapOnOneLane, results: pool.results };
}

describe('netpol lane pool', () => {
  it('GIVEN scenario jobs that fit only full lanes and cases that fit any THEN small lanes never run a scenario, every job runs once, one at a time per lane', async () => {
    const jobs = [scenario('s1'), scenario('s2'), scenario('s3'), anywhere('c1'), anywhere('c2'), anywhere('c3')];
    const { ranOn, overlapOnOneLane, results } = await record([FULL, FULL2, SMALL], jobs);
    for (const id of ['s1', 's2', 's3']) expect(ranOn.get(id), id).to.match(/^S/);
    expect([...ranOn.keys()].sort()).to.deep.equal(jobs.map((j) => j.id).sort());
    expect(overlapOnOneLane).to.equal(false);
    expect(await results.get('c1')).to.equal(`c1@${ranOn.get('c1') ?? '?'}`);
  });

  it('GIVEN the caller order THEN a free lane takes the first queued job that fits it: full lanes take every scenario before any case', async () => {
    const jobs = [scenario('s1', 10), scenario('s2', 10), scenario('s3', 10), anywhere('c1', 1), anywhere('c2', 1), anywhere('c3', 1), anywhere('c4', 1)];
    const { ranOn, order } = await record([FULL, SMALL], jobs);
    expect(order.filter((id) => id.startsWith('s'))).to.deep.equal(['s1', 's2', 's3']);
    // The small lane finishes every case while the full lane is still busy with scenarios.
    for (const id of ['c1', 'c2', 'c3', 'c4']) expect(ranOn.get(id), id).to.equal('C1');
  });

  it('GIVEN a full lane free after its scenarios THEN it helps with the cases still queued', async () => {
    const jobs = [scenario('s1', 1), anywhere('c1', 30), anywhere('c2', 30), anywhere('c3', 30)];
    const { ranOn } = await record([FULL, SMALL], jobs);
    expect([ranOn.get('c1'), ranOn.get('c2'), ranOn.get('c3')]).to.include('S1');
  });

  it('GIVEN a job that throws THEN only its result rejects, and the lane goes on with the next job', async () => {
    const pool = runOnLanes([SMALL], [anywhere('bad'), anywhere('good')], async (job) => {
      if (job.id === 'bad') throw new Error('the API refused');
      return 'ok';
    });
    await pool.idle;
    let error: unknown;
    await pool.results.get('bad')?.catch((err: unknown) => { error = err; });
    expect(String(error)).to.include('the API refused');
    expect(await pool.results.get('good')).to.equal('ok');
  });

  it('GIVEN the signal aborts while a job runs THEN the jobs not yet started reject with its reason and none of them runs', async () => {
    const controller = new AbortController();
    const started: string[] = [];
    const pool = runOnLanes([SMALL], [anywhere('first'), anywhere('second'), anywhere('third')], async (job) => {
      started.push(job.id);
      controller.abort(new Error('interrupted by SIGINT'));
      await tick(1);
      return job.id;
    }, controller.signal);
    await pool.idle;
    expect(started).to.deep.equal(['first']);
    expect(await pool.results.get('first')).to.equal('first');
    let reason: unknown;
    await pool.results.get('third')?.catch((err: unknown) => { reason = err; });
    expect(String(reason)).to.include('interrupted by SIGINT');
  });

  it('GIVEN a job no lane fits, or an ID twice THEN it refuses before running anything', () => {
    expect(() => runOnLanes([SMALL], [scenario('s1')], () => Promise.resolve(1))).to.throw('no lane fits job s1');
    expect(() => runOnLanes([FULL], [scenario('s1'), scenario('s1')], () => Promise.resolve(1))).to.throw('job s1 is listed twice');
  });
});

describe('netpol lane pool: lanes still being built', () => {
  it('GIVEN a small lane that is ready only later THEN it joins and takes cases the full lane has not yet taken', async () => {
    let ready: (lane: Lane) => void = () => undefined;
    const late = { shape: SMALL, ready: new Promise<Lane>((resolve) => (ready = resolve)) };
    const ranOn = new Map<string, string>();
    const pool = runOnLanes<Lane, Job, string>([FULL, late], [scenario('s1', 20), scenario('s2', 20), anywhere('c1', 1), anywhere('c2', 1)], async (job, lane) => {
      ranOn.set(job.id, lane.name);
      await tick(job.ms);
      return job.id;
    });
    await tick(5);
    ready(SMALL);
    await pool.idle;
    expect(ranOn.get('c1')).to.equal('C1');
    expect(ranOn.get('c2')).to.equal('C1');
    expect(ranOn.get('s2')).to.equal('S1');
  });

  it('GIVEN the only lane a job fits fails to build THEN the job rejects with that failure, and the others still run', async () => {
    const broken = { shape: SMALL, ready: Promise.reject(new Error('probe pod lane1-x/a never became Ready')) };
    const pool = runOnLanes<Lane, Job, string>([broken, FULL], [scenario('s1'), anywhere('c1')], (job) => Promise.resolve(job.id));
    await pool.idle;
    expect(await pool.results.get('s1')).to.equal('s1');
    expect(await pool.results.get('c1')).to.equal('c1');
    const none = runOnLanes<Lane, Job, string>([{ shape: SMALL, ready: Promise.reject(new Error('never Ready')) }], [anywhere('c1')], (job) => Promise.resolve(job.id));
    await none.idle;
    let reason: unknown;
    await none.results.get('c1')?.catch((err: unknown) => { reason = err; });
    expect(String(reason)).to.include('never Ready');
  });
});

describe('netpol lane pool: releasing a lane once its work is over', () => {
  it('GIVEN a small lane with nothing left while the full lane still runs scenarios THEN it is released at once, before the full lane ends, and every built lane is released once', async () => {
    const events: string[] = [];
    let releasedWhileBusy = false;
    let fullBusy = false;
    const broken = { shape: SMALL, ready: Promise.reject(new Error('never Ready')) };
    const pool = runOnLanes<Lane, Job, string>([FULL, SMALL, broken], [scenario('s1', 30), anywhere('c1', 1), anywhere('c2', 1)], async (job, lane) => {
      if (lane.full) fullBusy = true;
      await tick(job.ms);
      if (lane.full) fullBusy = false;
      events.push(`${job.id} ended`);
      return job.id;
    }, undefined, async (lane, index) => {
      if (!lane.full && fullBusy) releasedWhileBusy = true;
      await tick(2);
      events.push(`released ${lane.name} (${index})`);
    });
    await pool.idle;
    expect(releasedWhileBusy).to.equal(true);
    expect(events.filter((e) => e.startsWith('released')).sort()).to.deep.equal(['released C1 (1)', 'released S1 (0)']);
    // idle waited for the release of the last lane, which came after its last job.
    expect(events[events.length - 1]).to.equal('released S1 (0)');
    expect(events.indexOf('released C1 (1)')).to.be.lessThan(events.indexOf('s1 ended'));
  });

  it('GIVEN the signal aborts THEN no lane is released (the caller stops and deletes them), and a release that rejects does not reject idle', async () => {
    const controller = new AbortController();
    const released: string[] = [];
    const pool = runOnLanes<Lane, Job, string>([FULL], [scenario('s1'), scenario('s2')], async (job) => {
      controller.abort(new Error('interrupted by SIGINT'));
      return job.id;
    }, controller.signal, (lane) => {
      released.push(lane.name);
      return Promise.resolve();
    });
    await pool.idle;
    expect(released).to.deep.equal([]);
    const failing = runOnLanes<Lane, Job, string>([SMALL], [anywhere('c1')], (job) => Promise.resolve(job.id), undefined, () => Promise.reject(new Error('delete refused')));
    await failing.idle;
    expect(await failing.results.get('c1')).to.equal('c1');
  });
});
