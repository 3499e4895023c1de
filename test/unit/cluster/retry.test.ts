import { expect } from 'chai';
import { ApiException } from '@kubernetes/client-node';
import { isTransient, retrying, retryDelayMs, withRetry } from '../../../src/cluster/retry.js';

const api = (code: number, headers: Record<string, string> = {}): ApiException<string> => new ApiException(code, 'x', '{}', headers);
const net = (code: string): Error => Object.assign(new Error(`connect ${code}`), { code });
const fast = { attempts: 4, baseDelayMs: 1, maxDelayMs: 2 };

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

  it('gives up after the attempt budget', async () => {
    let calls = 0;
    await withRetry(async () => {
      calls += 1;
      throw api(503);
    }, 'read', fast).catch(() => undefined);
    expect(calls).to.equal(4);
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
