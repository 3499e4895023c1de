// Retrying only what is transient: throttling (429), server-side trouble (5xx) and dropped
// connections. Never 4xx answers such as 403, 404, 409 or 422: those are facts, not weather.
import { apiStatusCode, networkErrorCode, retryAfterSeconds } from './api-errors.js';
import { pause } from './pause.js';

const TRANSIENT_STATUS = new Set([429, 500, 502, 503, 504]);
const TRANSIENT_NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ECONNABORTED', 'UND_ERR_SOCKET']);
/** Errors that prove the request never reached the server (safe to retry a create). */
const NOT_SENT_NETWORK = new Set(['ECONNREFUSED', 'EAI_AGAIN']);

export type RequestKind = 'read' | 'create';

export function isTransient(err: unknown, kind: RequestKind = 'read'): boolean {
  const status = apiStatusCode(err);
  if (status !== undefined) return kind === 'create' ? status === 429 : TRANSIENT_STATUS.has(status);
  const code = networkErrorCode(err);
  if (code === undefined) return false;
  return kind === 'create' ? NOT_SENT_NETWORK.has(code) : TRANSIENT_NETWORK.has(code);
}

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 200, maxDelayMs: 5000 };

/** Delay before attempt `attempt` (1-based retry count): Retry-After when the server sent one,
 *  else exponential backoff. */
export function retryDelayMs(err: unknown, attempt: number, policy: RetryPolicy = DEFAULT_RETRY): number {
  const after = retryAfterSeconds(err);
  if (after !== undefined) return Math.min(after * 1000, policy.maxDelayMs * 2);
  return Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
}

/** Runs `call`, retrying transient failures. Creates are retried only when the request
 *  provably was not processed (429, connection refused), so a retry can never duplicate one. */
export async function withRetry<T>(call: () => Promise<T>, kind: RequestKind, policy: RetryPolicy = DEFAULT_RETRY): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (attempt >= policy.attempts || !isTransient(err, kind)) throw err;
      await pause(retryDelayMs(err, attempt, policy));
    }
  }
}

/** Wraps every method of a generated API client so its calls go through withRetry. Method
 *  names starting with `create` are treated as non-idempotent. */
export function retrying<T extends object>(api: T, policy: RetryPolicy = DEFAULT_RETRY): T {
  return new Proxy(api, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      const kind: RequestKind = property.startsWith('create') ? 'create' : 'read';
      return (...args: unknown[]) => withRetry(() => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args), kind, policy);
    },
  });
}
