// Retrying only what is transient: throttling (429), server-side trouble (5xx), dropped
// connections and the refusals of a server that is still starting. Never other 4xx answers such
// as 403, 404, 409 or 422: those are facts, not weather.
import { DetailedError } from '../errors.js';
import { apiStatusCode, describeApiError, networkErrorCode, retryAfterSeconds } from './api-errors.js';
import { pause } from './pause.js';
import { currentRequestScope } from './request-scope.js';
import { formatDuration } from './timeouts.js';

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
  /** How long transient failures of one call are retried in all (timeout apiUnavailable): long
   *  enough to ride through an API server restart. */
  budget: { name: string; ms: number };
  baseDelayMs: number;
  maxDelayMs: number;
  /** Asked after a 401/403: false while the server is still starting (its /readyz is not 200),
   *  which makes the refusal transient. Without it a 401/403 is final. */
  ready?: () => Promise<boolean>;
}

export const DEFAULT_RETRY: RetryPolicy = { budget: { name: 'apiUnavailable', ms: 60_000 }, baseDelayMs: 200, maxDelayMs: 5000 };

/** Whether another try may succeed: a transient failure (isTransient), or a 401/403 from a
 *  server that `ready` says is still starting (a refusal it did not process, so creates too). */
export async function worthRetrying(err: unknown, kind: RequestKind, ready?: () => Promise<boolean>): Promise<boolean> {
  const status = apiStatusCode(err);
  if ((status === 401 || status === 403) && ready !== undefined) return !(await ready());
  return isTransient(err, kind);
}

/** Delay before attempt `attempt` (1-based retry count): Retry-After when the server sent one,
 *  else exponential backoff. */
export function retryDelayMs(err: unknown, attempt: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'> = DEFAULT_RETRY): number {
  const after = retryAfterSeconds(err);
  if (after !== undefined) return Math.min(after * 1000, policy.maxDelayMs * 2);
  return Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
}

/** A call kept failing transiently for the whole retry budget. */
export class ApiUnavailableError extends DetailedError {
  override readonly name = 'ApiUnavailableError';
  constructor(elapsedMs: number, policy: RetryPolicy, last: unknown) {
    super(`the API server was unavailable for ${formatDuration(elapsedMs)} (timeout ${policy.budget.name}, ${formatDuration(policy.budget.ms)}); last answer: ${describeApiError('request', last)}`, { cause: last });
  }
}

/** Runs `call`, retrying transient failures until the budget is spent. Creates are retried only
 *  when the request provably was not processed (429, connection refused, a refusal by a server
 *  that is not ready yet), so a retry can never duplicate one. */
export async function withRetry<T>(call: () => Promise<T>, kind: RequestKind, policy: RetryPolicy = DEFAULT_RETRY): Promise<T> {
  const started = Date.now();
  // The wait or check this request serves (request-scope.ts): its deadline ends the retries
  // first when it comes sooner, and its signal ends a pause.
  const scope = currentRequestScope();
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (!(await worthRetrying(err, kind, policy.ready))) throw err;
      const delay = retryDelayMs(err, attempt, policy);
      const elapsed = Date.now() - started;
      if (scope !== undefined && Date.now() + delay > scope.endAt) throw err; // the caller's timeout speaks for it
      if (elapsed + delay > policy.budget.ms) throw attempt === 1 ? err : new ApiUnavailableError(elapsed, policy, err);
      await pause(delay, scope?.signal);
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
