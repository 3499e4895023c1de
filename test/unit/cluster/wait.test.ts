import { ApiException } from '@kubernetes/client-node';
import { expect } from 'chai';
import { CheckFailure } from '../../../src/harness/errors.js';
import { WaitAbandonedError, WaitRefusedError, WaitTimeoutError } from '../../../src/errors.js';
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

  it('GIVEN transient probe errors until the deadline THEN it retries them and the last error is in the details', async () => {
    let calls = 0;
    const err = (await pollUntil(async () => {
      calls += 1;
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' });
    }, () => true, { expectation: 'x', deadline: { name: 't', ms: 300 }, describe: () => 'nothing' }).catch((e: unknown) => e)) as WaitTimeoutError;
    expect(err).to.be.instanceOf(WaitTimeoutError);
    expect(err.details).to.include('last error: request: connect ECONNREFUSED 127.0.0.1:6443');
    expect(calls).to.be.at.least(2);
  });

  it('GIVEN the probe gets 429 and 503 before the answer THEN it retries them and resolves', async () => {
    const answers = [new ApiException(429, 'x', '', {}), new ApiException(503, 'x', '', {})];
    let calls = 0;
    const state = await pollUntil(async () => {
      const next = answers[calls++];
      if (next !== undefined) throw next;
      return 'ready';
    }, (s) => s === 'ready', { expectation: 'x', deadline: { name: 't', ms: 5000 }, describe: () => '' });
    expect(state).to.equal('ready');
    expect(calls).to.equal(3);
  });

  it('GIVEN the probe gets 401, 403, 404, 409 or 422 THEN the wait ends after that one call, describing the API error', async () => {
    for (const code of [401, 403, 404, 409, 422]) {
      let calls = 0;
      const body = JSON.stringify({ kind: 'Status', code, message: `pods "p" said ${code}` });
      const err = await pollUntil(async () => {
        calls += 1;
        throw new ApiException(code, 'x', body, {});
      }, () => true, { expectation: 'pod ns/p to answer', deadline: { name: 't', ms: 5000 }, describe: () => 'no answer' }).catch((e: unknown) => e);
      expect(err, String(code)).to.be.instanceOf(WaitRefusedError);
      expect((err as WaitRefusedError).status).to.equal(code);
      expect((err as Error).message).to.equal(`gave up waiting for pod ns/p to answer: API request: ${code} pods "p" said ${code}`);
      expect(calls, String(code)).to.equal(1);
    }
  });

  it('GIVEN the probe wrapped a 403 with its own context THEN the wait ends with that sentence', async () => {
    const cause = new ApiException(403, 'x', JSON.stringify({ message: 'pods "c" is forbidden' }), {});
    const err = await pollUntil(async () => {
      throw new Error('exec in ns/c (container probe): 403 pods "c" is forbidden', { cause });
    }, () => true, { expectation: 'c to answer', deadline: { name: 't', ms: 5000 }, describe: () => '' }).catch((e: unknown) => e);
    expect((err as Error).message).to.equal('gave up waiting for c to answer: exec in ns/c (container probe): 403 pods "c" is forbidden');
  });

  it('GIVEN the probe throws a verdict THEN the wait passes it on unchanged after one call', async () => {
    let calls = 0;
    const verdict = new CheckFailure('the run exited early');
    const err = await pollUntil(async () => {
      calls += 1;
      throw verdict;
    }, () => true, { expectation: 'x', deadline: { name: 't', ms: 5000 }, describe: () => '' }).catch((e: unknown) => e);
    expect(err).to.equal(verdict);
    expect(calls).to.equal(1);
  });

  it('GIVEN a hopeless state THEN it fails at once with the reason', async () => {
    const started = Date.now();
    const err = await pollUntil(async () => 'ErrImageNeverPull', () => false, {
      expectation: 'pod to start',
      deadline: { name: 'podStart', ms: 10_000 },
      describe: (s) => String(s),
      fatal: (s) => (s === 'ErrImageNeverPull' ? 'image not present' : undefined),
    }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(WaitAbandonedError);
    expect(err).to.not.be.instanceOf(CheckFailure);
    expect((err as Error).message).to.equal('gave up waiting for pod to start: image not present');
    expect((err as WaitAbandonedError).details).to.equal('last state seen:\nErrImageNeverPull');
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
