import { expect } from 'chai';
import { ApiException } from '@kubernetes/client-node';
import { ApiUnavailableError, isTransient, retrying, retryDelayMs, withRetry } from '../../../src/cluster/retry.js';
import { startFakeApi } from './fake-api.js';
import { serverReady } from '../../../src/cluster/readiness.js';
import { KubeConfig } from '@kubernetes/client-node';
import { kubeconfigYaml } from './kubeconfig-fixture.js';
import { withinRequestScope } from '../../../src/cluster/request-scope.js';
import { pollUntil } from '../../../src/cluster/wait.js';
import { WaitTimeoutError } from '../../../src/errors.js';

const api = (code: number, headers: Record<string, string> = {}): ApiException<string> => new ApiException(code, 'x', '{}', headers);
const net = (code: string): Error => Object.assign(new Error(`connect ${code}`), { code });
const fast = { budget: { name: 'apiUnavailable', ms: 40 }, baseDelayMs: 5, maxDelayMs: 5 };

describe('retrying transient errors only', () => {
  it('treats 429, 5xx and dropped connections as transient, and 4xx answers as facts', () => {
    for (const code of [429, 500, 502, 503, 504]) expect(isTransient(api(code)), String(code)).to.equal(true);
    for (const code of [400, 401, 403, 404, 409, 422]) expect(isTransient(api(code)), String(code)).to.equal(false);
    expect(isTransient(net('ECONNRESET'))).to.equal(true);
    expect(isTransient(new Error('bad request body'))).to.equal(false);
  });

  it('retries a create only when the server provably did not process it', () => {
    expect(isTransient(api(429), 'create')).to.equal(true);
    expect(isTransient(api(500), 'create')).to.equal(false);
    expect(isTransient(net('ECONNREFUSED'), 'create')).to.equal(true);
    expect(isTransient(net('ECONNRESET'), 'create')).to.equal(false);
  });

  it('honours Retry-After and otherwise backs off exponentially', () => {
    expect(retryDelayMs(api(429, { 'retry-after': '2' }), 1)).to.equal(2000);
    expect(retryDelayMs(api(503), 1)).to.equal(200);
    expect(retryDelayMs(api(503), 3)).to.equal(800);
  });

  it('GIVEN 503 then success THEN the call succeeds; GIVEN 404 THEN it fails at once', async () => {
    let calls = 0;
    const value = await withRetry(async () => {
      calls += 1;
      if (calls < 3) throw api(503);
      return 'ok';
    }, 'read', fast);
    expect(value).to.equal('ok');
    expect(calls).to.equal(3);

    calls = 0;
    const err = await withRetry(async () => {
      calls += 1;
      throw api(404);
    }, 'read', fast).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ApiException);
    expect(calls).to.equal(1);
  });

  it('GIVEN transient failures for the whole budget THEN it gives up with one sentence naming the outage, the timeout and the last answer', async () => {
    let calls = 0;
    const err = await withRetry(async () => {
      calls += 1;
      throw net('ECONNREFUSED');
    }, 'create', fast).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ApiUnavailableError);
    expect((err as Error).message).to.match(/^the API server was unavailable for \d+ms \(timeout apiUnavailable, 40ms\); last answer: request: .*ECONNREFUSED/);
    expect(calls).to.be.greaterThan(2);
  });

  it('GIVEN a wait with less time left than the retry budget THEN retries stop at its deadline and the wait times out naming its own timeout', async () => {
    const long = { budget: { name: 'apiUnavailable', ms: 60_000 }, baseDelayMs: 5, maxDelayMs: 5 };
    let calls = 0;
    // Without the bound the 60 s budget would run past the test's own timeout.
    const err: unknown = await pollUntil(
      () => withRetry(async () => {
        calls += 1;
        throw api(503);
      }, 'read', long),
      () => true,
      { expectation: 'an answer', deadline: { name: 'shortWait', ms: 60 }, describe: () => 'no answer' },
    ).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(WaitTimeoutError);
    expect((err as Error).message).to.match(/^timed out after 60ms \(timeout shortWait\) waiting for an answer: the API server was unavailable for the last \d+ms; last answer: /);
    expect(calls).to.be.greaterThan(1);
  });

  it('GIVEN the scope\'s signal aborts during a pause between retries THEN the call stops with the abort reason', async () => {
    const slow = { budget: { name: 'apiUnavailable', ms: 60_000 }, baseDelayMs: 50_000, maxDelayMs: 50_000 };
    const controller = new AbortController();
    const call = withinRequestScope({ endAt: Date.now() + 120_000, signal: controller.signal }, () => withRetry(async () => { throw api(503); }, 'read', slow));
    setTimeout(() => controller.abort(new Error('interrupted by SIGINT')), 20);
    const err: unknown = await call.catch((e: unknown) => e);
    expect((err as Error).message).to.equal('interrupted by SIGINT');
  });

  it('GIVEN nested scopes THEN the earlier end bounds the inner one', async () => {
    const err: unknown = await withinRequestScope({ endAt: Date.now() + 30 }, () =>
      withinRequestScope({ endAt: Date.now() + 60_000 }, () => withRetry(async () => { throw api(503); }, 'read', { budget: { name: 'apiUnavailable', ms: 60_000 }, baseDelayMs: 10, maxDelayMs: 10 })),
    ).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ApiException); // the transient answer itself, for the wait to report
  });

  it('GIVEN 403 from a server whose /readyz is not yet 200 THEN the 403 is retried, also for a create, until it is ready', async () => {
    let ready = false;
    let calls = 0;
    const value = await withRetry(async () => {
      calls += 1;
      if (calls === 3) ready = true;
      if (!ready) throw api(403);
      return 'created';
    }, 'create', { ...fast, budget: { name: 'apiUnavailable', ms: 5000 }, ready: async () => ready });
    expect(value).to.equal('created');
    expect(calls).to.equal(3);
  });

  it('GIVEN 401 or 403 from a ready server THEN it is final after one call', async () => {
    for (const code of [401, 403]) {
      let calls = 0;
      const err = await withRetry(async () => {
        calls += 1;
        throw api(code);
      }, 'read', { ...fast, ready: async () => true }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ApiException);
      expect(calls, String(code)).to.equal(1);
    }
  });

  it('GIVEN an API server THEN it is starting while /readyz is 5xx, or 401/403 after it was 200; a server refusing /readyz from the start is judged up', async () => {
    let readyz = 500;
    const fakeApi = await startFakeApi({ route: (req, res) => {
      if (req.url.pathname !== '/readyz') return false;
      res.writeHead(readyz);
      res.end(readyz === 200 ? 'ok' : '[-]poststarthook/rbac/bootstrap-roles failed: not finished');
      return true;
    } });
    try {
      const kc = new KubeConfig();
      kc.loadFromString(kubeconfigYaml(fakeApi.url));
      expect(await serverReady(kc)).to.equal(false);
      // A server that refuses /readyz to us from the start is hardened, not starting: real refusals.
      readyz = 403;
      expect(await serverReady(kc)).to.equal(true);
      readyz = 200;
      expect(await serverReady(kc)).to.equal(true);
      // Once it was ready, a 403 on /readyz is a restarted server whose authorizer is not synced.
      readyz = 403;
      expect(await serverReady(kc)).to.equal(false);
    } finally {
      await fakeApi.close();
    }
  });

  it('wraps every API method, classifying create* as non-idempotent', async () => {
    const calls: string[] = [];
    const fake = {
      async createThing(): Promise<string> {
        calls.push('create');
        throw api(500);
      },
      async readThing(): Promise<string> {
        calls.push('read');
        if (calls.filter((c) => c === 'read').length < 2) throw api(500);
        return 'read-ok';
      },
    };
    const wrapped = retrying(fake, fast);
    await wrapped.createThing().catch(() => undefined);
    expect(calls.filter((c) => c === 'create')).to.have.length(1);
    expect(await wrapped.readThing()).to.equal('read-ok');
  });
});
