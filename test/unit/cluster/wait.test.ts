import { expect } from 'chai';
import { CheckFailure, WaitTimeoutError } from '../../../src/harness/errors.js';
import { Timeouts, formatDuration } from '../../../src/cluster/timeouts.js';
import { pollUntil, withDeadline } from '../../../src/cluster/wait.js';

describe('waiting with a deadline', () => {
  it('GIVEN the state arrives THEN it resolves with it', async () => {
    let n = 0;
    const state = await pollUntil(async () => ++n, (s) => s >= 3, { expectation: 'n to reach 3', deadline: { name: 'test', ms: 5000 }, describe: (s) => `n=${String(s)}` });
    expect(state).to.equal(3);
  });

  it('GIVEN the deadline passes THEN the error names the timeout, the expectation and the last state seen', async () => {
    const err = await pollUntil(async () => 'Pending', (s) => s === 'Running', {
      expectation: 'pod ns/p to be Running',
      deadline: { name: 'podStart', ms: 50 },
      describe: (s) => `phase ${String(s)}`,
    }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(WaitTimeoutError);
    expect((err as WaitTimeoutError).message).to.equal('timed out after 50ms (timeout podStart) waiting for pod ns/p to be Running; last seen: phase Pending');
    expect((err as WaitTimeoutError).timeoutName).to.equal('podStart');
  });

  it('GIVEN probe errors until the deadline THEN the last error is in the details', async () => {
    const err = (await pollUntil(async () => {
      throw new Error('connection refused');
    }, () => true, { expectation: 'x', deadline: { name: 't', ms: 30 }, describe: () => 'nothing' }).catch((e: unknown) => e)) as WaitTimeoutError;
    expect(err.details).to.include('last error: request: connection refused');
  });

  it('GIVEN a hopeless state THEN it fails at once with the reason', async () => {
    const started = Date.now();
    const err = await pollUntil(async () => 'ErrImageNeverPull', () => false, {
      expectation: 'pod to start',
      deadline: { name: 'podStart', ms: 10_000 },
      describe: (s) => String(s),
      fatal: (s) => (s === 'ErrImageNeverPull' ? 'image not present' : undefined),
    }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(CheckFailure);
    expect((err as Error).message).to.equal('gave up waiting for pod to start: image not present');
    expect(Date.now() - started).to.be.lessThan(5000);
  });

  it('GIVEN the signal aborts THEN the wait stops with its reason', async () => {
    const controller = new AbortController();
    setImmediate(() => controller.abort(new Error('interrupted by SIGINT')));
    const err = await pollUntil(async () => 1, () => false, { expectation: 'x', deadline: { name: 't', ms: 10_000 }, describe: () => '', signal: controller.signal }).catch((e: unknown) => e);
    expect((err as Error).message).to.equal('interrupted by SIGINT');
  });

  it('bounds calls that have no timeout of their own', async () => {
    const err = await withDeadline(() => new Promise(() => undefined), { name: 'apiRequest', ms: 20 }, 'GET /version').catch((e: unknown) => e);
    expect(err).to.be.instanceOf(WaitTimeoutError);
    expect((err as Error).message).to.include('timeout apiRequest');
  });
});

describe('named timeouts', () => {
  it('scale with --timeout-scale and render for messages', () => {
    const t = new Timeouts(2);
    expect(t.ms('dnsResolve')).to.equal(60_000);
    expect(t.label('dnsResolve')).to.equal('dnsResolve (1m)');
    expect(new Timeouts(0.5).ms('podStart')).to.equal(60_000);
    expect(() => new Timeouts(0)).to.throw();
    expect(formatDuration(1500)).to.equal('1.5s');
    expect(formatDuration(90_000)).to.equal('1m30s');
  });
});
