import { expect } from 'chai';
import { mustBlockCount, observeUntilAgreed, previousStateCouldAgree, summarizeMismatch } from '../../../src/netpol/observe.js';
import { networkPolicy } from '../../../src/netpol/policies.js';
import { planProbes, probeKey, SimulatedProbeRunner, type Probe, type ProbeOutcome, type ProbeRunner } from '../../../src/netpol/probe.js';
import { topologyWithIPs } from './fixture.js';

/** Answers round by round; the last round repeats. Records how many calls it got. */
class RoundsRunner implements ProbeRunner {
  calls = 0;
  /** How many probes each call asked for. */
  readonly probed: number[] = [];
  constructor(private readonly rounds: Array<(p: Probe) => ProbeOutcome>) {}
  probeAll(probes: readonly Probe[]): Promise<Map<string, ProbeOutcome>> {
    const answer = this.rounds[Math.min(this.calls, this.rounds.length - 1)] ?? (() => 'unknown');
    this.calls += 1;
    this.probed.push(probes.length);
    return Promise.resolve(new Map(probes.map((p) => [probeKey(p), answer(p)])));
  }
}

const topology = topologyWithIPs({ namespaces: ['x', 'y'], pods: ['a', 'b'], ports: [{ port: 80, protocol: 'TCP' }] });
const denyX = networkPolicy({ name: 'deny', namespace: 'x', policyTypes: ['Ingress'] });
const probes = planProbes(topology, { ports: [{ port: 80, protocol: 'TCP' }] });
const simulator = new SimulatedProbeRunner(topology, [denyX]);
const explain = (p: Probe) => simulator.simulator.explain(p.from, p.to, p.port, p.protocol);
const deadline = (ms: number) => ({ name: 'netpolPolicyEffect', ms });
const intoX = (p: Probe) => p.to.startsWith('x/') && p.from !== p.to;

describe('netpol: observing until the policies take effect', () => {
  let expected: Map<string, ProbeOutcome>;
  before(async () => {
    expected = await simulator.probeAll(probes);
  });

  it('GIVEN a policy that shows after two rounds THEN it keeps probing and agrees on the third, without waiting for the deadline', async () => {
    const runner = new RoundsRunner([() => 'allowed', () => 'allowed', () => 'allowed', () => 'allowed', (p) => (intoX(p) ? 'blocked' : 'allowed')]);
    const started = Date.now();
    const observation = await observeUntilAgreed(runner, probes, expected, { deadline: deadline(5000), minPauseMs: 1, maxPauseMs: 2 });
    expect(observation.agreed).to.equal(true);
    // Each round is a probe of all cells plus one recheck of those that differ: 2 + 2 + 1 calls.
    expect(observation.rounds).to.equal(3);
    expect(runner.calls).to.equal(5);
    expect(Date.now() - started).to.be.below(1000);
  });

  it('GIVEN a cell that differs once and then agrees THEN the recheck saves the round (one slow packet does not fail a step)', async () => {
    // First answer: the policy holds except for one cell into x; the recheck then sees it blocked.
    const slowCell = (p: Probe) => p.from === 'y/a' && p.to === 'x/b';
    const runner = new RoundsRunner([(p) => (slowCell(p) ? 'allowed' : intoX(p) ? 'blocked' : 'allowed'), (p) => (intoX(p) ? 'blocked' : 'allowed')]);
    const observation = await observeUntilAgreed(runner, probes, expected, { deadline: deadline(5000), minPauseMs: 1 });
    expect(observation).to.deep.include({ agreed: true, rounds: 1 });
    expect(runner.calls).to.equal(2);
    expect(runner.probed, 'the recheck probes only the cell that differed').to.deep.equal([probes.length, 1]);
  });

  it('GIVEN a policy that never shows THEN it gives up at the deadline with the last comparison, and says nothing is enforced', async () => {
    const runner = new RoundsRunner([() => 'allowed']);
    const observation = await observeUntilAgreed(runner, probes, expected, { deadline: deadline(60), minPauseMs: 5, maxPauseMs: 10, explain });
    expect(observation.agreed).to.equal(false);
    expect(observation.rounds).to.be.greaterThan(1);
    expect(observation.comparison.counts.differ).to.equal(mustBlockCount(probes, expected));
    const summary = summarizeMismatch('step 1/1 (x denies all ingress)', observation, deadline(60));
    expect(summary.message).to.equal('step 1/1 (x denies all ingress): NetworkPolicy objects are accepted but not enforced: traffic that policy x/deny must block was allowed from x/a to x/b on 80/TCP, as were all 5 other cells the policies must block.');
    expect(summary.nonEnforcement?.mustBlock).to.equal(6);
    // Once netpol/enforcement passed, the same cells point at the scenario's own rules instead.
    const proven = summarizeMismatch('step 1/1 (x denies all ingress)', observation, deadline(60), undefined, true);
    expect(proven.nonEnforcement).to.equal(undefined);
    expect(proven.message).to.match(/^step 1\/1 \(x denies all ingress\): 6 of 12 cells differ from the policies .*: 6 allowed that must be blocked, 0 blocked that must be allowed; e\.g\. x\/a -> x\/b 80\/TCP: expected blocked, observed allowed$/);
  });

  it('GIVEN only some cells differ THEN the message counts both directions and names the first cell', async () => {
    const runner = new RoundsRunner([(p) => (intoX(p) && p.from !== 'y/a' ? 'blocked' : p.to === 'y/b' && p.from === 'x/a' ? 'blocked' : 'allowed')]);
    const observation = await observeUntilAgreed(runner, probes, expected, { deadline: deadline(20), minPauseMs: 5 });
    const { message, nonEnforcement } = summarizeMismatch('step 2/3 (deny)', observation, deadline(20));
    expect(nonEnforcement).to.equal(undefined);
    expect(message).to.match(/^step 2\/3 \(deny\): 3 of 12 cells differ from the policies after \d+m?s \(\d+ rounds?, timeout netpolPolicyEffect 20ms\): 2 allowed that must be blocked, 1 blocked that must be allowed; e\.g\. /);
  });

  it('GIVEN probes that keep failing THEN the step is "could not tell" with the evidence, never a policy mismatch', async () => {
    const runner = new RoundsRunner([(p) => (p.from === 'y/b' ? 'probe-failed' : intoX(p) ? 'blocked' : 'allowed')]);
    const observation = await observeUntilAgreed(runner, probes, expected, { deadline: deadline(20), minPauseMs: 5 });
    expect(observation.agreed).to.equal(false);
    const key = probeKey({ from: 'y/b', to: 'x/a', port: 80, protocol: 'TCP' });
    const { message } = summarizeMismatch('step 1/1 (x)', observation, deadline(20), new Map([[key, { detail: 'exec failed: 500' }]]));
    expect(message).to.match(/^step 1\/1 \(x\): could not tell: 3 of 12 probes failed \(infrastructure, not policy\) after .*; e\.g\. y\/b -> x\/a 80\/TCP: exec failed: 500$/);
  });

  it('GIVEN the expected matrix THEN must-block cells leave loopback out', () => {
    expect(mustBlockCount(probes, expected)).to.equal(6); // 4 sources x 2 pods of x, minus x/a and x/b to themselves
  });

  it('GIVEN an aborted check THEN waiting between rounds stops at once', async () => {
    const controller = new AbortController();
    const runner = new RoundsRunner([() => 'allowed']);
    setTimeout(() => controller.abort(new Error('interrupted by SIGINT')), 20);
    let caught: unknown;
    await observeUntilAgreed(runner, probes, expected, { deadline: deadline(10_000), signal: controller.signal, minPauseMs: 5000 }).catch((err: unknown) => (caught = err));
    expect(String(caught)).to.include('interrupted by SIGINT');
  });
});

describe('netpol: a step that took effect settles instead of waiting for the deadline', () => {
  let expected: Map<string, ProbeOutcome>;
  const was = new Map(probes.map((p) => [probeKey(p), 'allowed' as ProbeOutcome]));
  before(async () => {
    expected = await simulator.probeAll(probes);
  });
  // The policy shows on x/a but x/b keeps answering: what an enforcer bug looks like.
  const partly = (p: Probe): ProbeOutcome => (intoX(p) && p.to === 'x/a' ? 'blocked' : 'allowed');

  it('GIVEN some changed cells showing the step and others staying wrong THEN it stops after the settle time, well before the deadline, and says so', async () => {
    const runner = new RoundsRunner([partly]);
    const observation = await observeUntilAgreed(runner, probes, expected, { deadline: deadline(60_000), minPauseMs: 1, maxPauseMs: 5, settle: { before: was, ms: 40 } });
    expect(observation.agreed).to.equal(false);
    expect(observation.settledAfterMs).to.be.a('number').and.below(1000);
    expect(summarizeMismatch('step 1/1 (x denies ingress)', observation, deadline(60_000)).message).to.contain('the step showed its effect, then these cells stayed as they were');
  });

  it('GIVEN nothing of the step showing yet THEN it keeps waiting until the deadline (lag is not a verdict)', async () => {
    const runner = new RoundsRunner([() => 'allowed']);
    const observation = await observeUntilAgreed(runner, probes, expected, { deadline: deadline(80), minPauseMs: 1, maxPauseMs: 5, settle: { before: was, ms: 1 } });
    expect(observation.agreed).to.equal(false);
    expect(observation.settledAfterMs).to.equal(undefined);
    expect(observation.elapsedMs).to.be.at.least(80);
  });

  it('GIVEN the rest of the step showing within the settle time THEN it agrees', async () => {
    const runner = new RoundsRunner([partly, partly, (p) => (intoX(p) ? 'blocked' : 'allowed')]);
    const observation = await observeUntilAgreed(runner, probes, expected, { deadline: deadline(60_000), minPauseMs: 1, maxPauseMs: 2, settle: { before: was, ms: 5_000 } });
    expect(observation.agreed).to.equal(true);
  });
});

describe('netpol: a reused lab whose last state looks like the next step', () => {
  let expected: Map<string, ProbeOutcome>;
  before(async () => {
    expected = await simulator.probeAll(probes);
  });

  it('GIVEN the previous job left the lab showing exactly what this step expects THEN agreement would prove nothing (wait for the open lab first)', () => {
    expect(previousStateCouldAgree(probes, expected, new Map(expected))).to.equal(true);
  });

  it('GIVEN one cell the previous job showed differently THEN the step can only agree once its own policies apply', () => {
    const cell = probes.find(intoX);
    if (cell === undefined) throw new Error('no cell into x');
    const previous = new Map(expected);
    previous.set(probeKey(cell), 'allowed');
    expect(previousStateCouldAgree(probes, expected, previous)).to.equal(false);
  });

  it('GIVEN a previous state sharing no cell with the step, or only pod-to-itself cells, THEN there is nothing to confuse', () => {
    expect(previousStateCouldAgree(probes, expected, new Map())).to.equal(false);
    const loopback = new Map(probes.filter((p) => p.from === p.to).map((p) => [probeKey(p), expected.get(probeKey(p)) ?? 'allowed'] as const));
    expect(loopback.size).to.be.greaterThan(0);
    expect(previousStateCouldAgree(probes, expected, loopback)).to.equal(false);
  });

  it('GIVEN a previous state that differs only in cells this step does not probe THEN it could still agree', () => {
    const previous = new Map(expected);
    previous.set('z/c -> x/a 80/TCP', 'blocked');
    expect(previousStateCouldAgree(probes, expected, previous)).to.equal(true);
  });
});
