// Waiting with a deadline: by watch where the API offers one, else by polling. Never a bare
// sleep. A timeout error says what was expected, which named timeout expired and the last
// state seen, so a failure can be diagnosed from the message alone. Only transient trouble is
// retried; an answer that cannot change (401, 403, 404, ...) ends the wait at once.
import { ApiException, Watch, type KubeConfig } from '@kubernetes/client-node';
import { InterruptedError, WaitAbandonedError, WaitError, WaitRefusedError, WaitTimeoutError } from '../errors.js';
import { apiStatusCode, describeApiError } from './api-errors.js';
import { refusalOf, refusalSentence } from './api-refusal.js';
import { abortReason, pause } from './pause.js';
import { withinRequestScope } from './request-scope.js';
import { isTransient } from './retry.js';
import { formatDuration } from './timeouts.js';

export { pause } from './pause.js';

export interface Deadline {
  /** Name of the timeout, e.g. `podStart`, used in messages. */
  name: string;
  ms: number;
}

export interface WaitOptions<T> {
  /** What we are waiting for, phrased as an expectation: `pod ns/x to be Running`. */
  expectation: string;
  deadline: Deadline;
  /** Renders the last state seen for the timeout message. */
  describe: (state: T | undefined) => string;
  signal?: AbortSignal;
  /** Returns a reason when the state can no longer become what we wait for (e.g. the image
   *  does not exist); the wait then fails at once instead of running into the deadline. An
   *  Error is thrown as it is (a diagnosis that names its cause, e.g. a ComponentProblem). */
  fatal?: (state: T) => string | Error | undefined;
  /** Also ask `fatal` every this many ms while nothing changes: for verdicts that depend on
   *  time passing (no scheduler acted within a silence timeout), which no event announces. */
  recheckMs?: number;
}

/** A transient failure a wait remembers: the error and since when requests have failed. */
interface Outage {
  error: unknown;
  since: number;
}

function timeoutError<T>(opts: WaitOptions<T>, state: T | undefined, outage: Outage | undefined): WaitTimeoutError {
  let last = opts.describe(state);
  if (outage !== undefined) last += `\nlast error: ${describeApiError('request', outage.error)}`;
  const firstLine = last.split('\n')[0] ?? last;
  const waited = `timed out after ${formatDuration(opts.deadline.ms)} (timeout ${opts.deadline.name}) waiting for ${opts.expectation}`;
  // Retries stop at the wait's deadline (request-scope.ts): when the server was what failed,
  // say so, as the retrying client says it outside a wait.
  const message = outage === undefined
    ? `${waited}; last seen: ${firstLine}`
    : `${waited}: the API server was unavailable for the last ${formatDuration(Date.now() - outage.since)}; last answer: ${describeApiError('request', outage.error)}`;
  return new WaitTimeoutError(opts.deadline.name, message, last);
}

/** Remembers a transient failure, keeping the start of an outage that goes on. */
function outageOf(previous: Outage | undefined, error: unknown): Outage {
  return { error, since: previous?.since ?? Date.now() };
}

function abandonedError<T>(opts: WaitOptions<T>, reason: string | Error, state: T): Error {
  return reason instanceof Error ? reason : new WaitAbandonedError(opts.expectation, reason, opts.describe(state));
}

function refusedError<T>(opts: WaitOptions<T>, status: number, sentence: string, state: T | undefined, cause: unknown): WaitRefusedError {
  return new WaitRefusedError(status, sentence, { details: `while waiting for ${opts.expectation}; last state seen:\n${opts.describe(state)}`, cause });
}

/** What a poll does with an error of its probe that is not transient: a wait's own end and
 *  anything without an HTTP status (a probe's verdict, an interrupt) pass unchanged; an API
 *  answer that cannot change ends the wait as a refusal, described in one sentence. */
function pollStop<T>(opts: WaitOptions<T>, err: unknown, state: T | undefined): unknown {
  if (err instanceof WaitError || err instanceof InterruptedError) return err;
  const status = apiStatusCode(err);
  if (status === undefined) return err;
  // A probe that wrapped the error with its own context (`exec in ns/p: 403 ...`) said it best.
  const text = err instanceof Error && !(err instanceof ApiException) && err.message.includes(String(status)) ? (err.message.split('\n')[0] ?? err.message) : describeApiError('API request', err);
  return refusedError(opts, status, `gave up waiting for ${opts.expectation}: ${text}`, state, err);
}

/** Polls `probe` until `done(state)` or the deadline. Transient errors of probe (429, 5xx,
 *  dropped connections: isTransient) are remembered and retried, the deadline bounds them;
 *  any other error ends the wait at once. The interval grows from 200ms to 2s. */
export async function pollUntil<T>(probe: () => Promise<T>, done: (state: T) => boolean, opts: WaitOptions<T>): Promise<T> {
  const end = Date.now() + opts.deadline.ms;
  let interval = 200;
  let state: T | undefined;
  let lastError: Outage | undefined;
  for (;;) {
    if (opts.signal?.aborted) throw abortReason(opts.signal);
    let answer: { state: T } | undefined;
    try {
      answer = { state: await withinRequestScope({ endAt: end, signal: opts.signal }, probe) };
    } catch (err) {
      if (!isTransient(err)) throw pollStop(opts, err, state);
      lastError = outageOf(lastError, err);
    }
    if (answer !== undefined) {
      state = answer.state;
      lastError = undefined;
      if (done(answer.state)) return answer.state;
      const fatal = opts.fatal?.(answer.state);
      if (fatal !== undefined) throw abandonedError(opts, fatal, answer.state);
    }
    const left = end - Date.now();
    if (left <= 0) throw timeoutError(opts, state, lastError);
    await pause(Math.min(interval, left), opts.signal);
    interval = Math.min(interval * 2, 2000);
  }
}

/** A list call returning the current items and the list's resourceVersion. */
export type ListFn<T> = () => Promise<{ items: T[]; metadata?: { resourceVersion?: string } }>;

/** Pauses between re-lists. A watch that ran for `healthyRunMs` and then ended (the server's
 *  timeout, 410 Gone) re-lists at once; each quick failure in a row doubles the pause from
 *  `initialMs` up to `maxMs`. The deadline bounds every pause. */
export interface WatchBackoff {
  initialMs: number;
  maxMs: number;
  healthyRunMs: number;
}

export const WATCH_BACKOFF: WatchBackoff = { initialMs: 250, maxMs: 5000, healthyRunMs: 5000 };

export interface WatchTarget<T> {
  kc: KubeConfig;
  /** Collection path to watch, e.g. `/api/v1/namespaces/ns/pods`. */
  path: string;
  /** Field selector narrowing list and watch, e.g. `metadata.name=x`. */
  fieldSelector?: string;
  labelSelector?: string;
  /** Same selection as the watch, by the typed client. */
  list: ListFn<T>;
  backoff?: Partial<WatchBackoff>;
}

/** How one watch connection ended, short of the wait's end. */
type WatchEnd = { kind: 'done' } | { kind: 'timeout' } | { kind: 'ended' };

/** A status no retry can change: everything but 410 Gone (the watch's version expired: re-list)
 *  and the transient ones. */
function finalStatus(status: number | undefined, err: unknown): status is number {
  return status !== undefined && status !== 410 && !isTransient(err);
}

/** Lists, then watches from the list's resourceVersion, until `done(items)` holds or the
 *  deadline passes. Re-lists when the watch ends or the version expired (410), pausing as
 *  WatchBackoff says. A final answer (401, 403, 404, ...) to the list or the watch ends the wait
 *  at once with a WaitRefusedError naming the missing right. `done` sees the full current set
 *  of selected objects (keyed by namespace/name). */
export async function watchUntil<T extends { metadata?: { name?: string; namespace?: string } }>(
  target: WatchTarget<T>,
  done: (items: T[]) => boolean,
  opts: WaitOptions<T[]>,
): Promise<T[]> {
  const end = Date.now() + opts.deadline.ms;
  const backoff: WatchBackoff = { ...WATCH_BACKOFF, ...target.backoff };
  const current = new Map<string, T>();
  const key = (o: T): string => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
  let lastError: Outage | undefined;
  let seenOnce = false;
  let quickFailures = 0;
  const seen = (): T[] | undefined => (seenOnce ? [...current.values()] : undefined);

  const pauseBeforeRelist = async (ranMs: number): Promise<void> => {
    if (ranMs >= backoff.healthyRunMs) {
      quickFailures = 0;
      return;
    }
    quickFailures += 1;
    const ms = Math.min(backoff.initialMs * 2 ** (quickFailures - 1), backoff.maxMs, Math.max(0, end - Date.now()));
    await pause(ms, opts.signal);
  };

  while (Date.now() < end) {
    if (opts.signal?.aborted) throw abortReason(opts.signal);
    let resourceVersion: string | undefined;
    try {
      const list = await withinRequestScope({ endAt: end, signal: opts.signal }, () => target.list());
      current.clear();
      for (const item of list.items) current.set(key(item), item);
      seenOnce = true;
      resourceVersion = list.metadata?.resourceVersion;
      lastError = undefined;
    } catch (err) {
      const refusal = finalStatus(apiStatusCode(err), err) ? refusalOf('list', target.path, err) : undefined;
      if (refusal !== undefined) throw refusedError(opts, refusal.status, refusal.sentence, seen(), err);
      lastError = outageOf(lastError, err);
      await pauseBeforeRelist(0);
      continue;
    }
    if (done([...current.values()])) return [...current.values()];
    const fatalNow = opts.fatal?.([...current.values()]);
    if (fatalNow !== undefined) throw abandonedError(opts, fatalNow, [...current.values()]);

    const started = Date.now();
    const outcome = await new Promise<WatchEnd>((resolve, reject) => {
      let settled = false;
      let controller: AbortController | undefined;
      const finish = (result: WatchEnd, err?: unknown): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearInterval(recheck);
        opts.signal?.removeEventListener('abort', onAbort);
        controller?.abort();
        if (err !== undefined) reject(err);
        else resolve(result);
      };
      const refuse = (status: number, sentence: string, cause: unknown): void =>
        finish({ kind: 'ended' }, refusedError(opts, status, sentence, [...current.values()], cause));
      const timer = setTimeout(() => finish({ kind: 'timeout' }), Math.max(0, end - Date.now()));
      const recheck =
        opts.recheckMs === undefined || opts.fatal === undefined
          ? undefined
          : setInterval(() => {
              const items = [...current.values()];
              const fatal = opts.fatal?.(items);
              if (fatal !== undefined) finish({ kind: 'ended' }, abandonedError(opts, fatal, items));
            }, opts.recheckMs);
      const onAbort = (): void => finish({ kind: 'ended' }, abortReason(opts.signal));
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      const query: Record<string, string | number | boolean | undefined> = {
        resourceVersion,
        allowWatchBookmarks: true,
        fieldSelector: target.fieldSelector,
        labelSelector: target.labelSelector,
        timeoutSeconds: Math.max(1, Math.ceil((end - Date.now()) / 1000)),
      };
      new Watch(target.kc)
        .watch(
          target.path,
          query,
          (phase: string, obj: unknown) => {
            if (phase === 'ERROR') {
              // A Status in the stream: 410 Gone (re-list) or, rarely, a refusal.
              const status = isRecord(obj) && typeof obj.code === 'number' ? obj.code : undefined;
              const message = isRecord(obj) && typeof obj.message === 'string' ? obj.message : undefined;
              if (finalStatus(status, obj)) refuse(status, refusalSentence('watch', target.path, status, message), obj);
              else finish({ kind: 'ended' });
              return;
            }
            if (phase === 'BOOKMARK' || !isRecord(obj)) return;
            const item = obj as T;
            if (phase === 'DELETED') current.delete(key(item));
            else current.set(key(item), item);
            const items = [...current.values()];
            if (done(items)) {
              finish({ kind: 'done' });
              return;
            }
            const fatal = opts.fatal?.(items);
            if (fatal !== undefined) finish({ kind: 'ended' }, abandonedError(opts, fatal, items));
          },
          (err: unknown) => {
            // After we settled, the error is our own abort of the connection, not news.
            if (settled || err === null || err === undefined) {
              finish({ kind: 'ended' });
              return;
            }
            const status = apiStatusCode(err);
            if (finalStatus(status, err)) {
              refuse(status, refusalSentence('watch', target.path, status), err);
              return;
            }
            lastError = outageOf(lastError, err);
            finish({ kind: 'ended' });
          },
        )
        .then((c) => {
          controller = c;
          if (settled) c.abort();
        })
        .catch((err: unknown) => {
          lastError = outageOf(lastError, err);
          finish({ kind: 'ended' });
        });
    });
    if (outcome.kind === 'done') return [...current.values()];
    if (outcome.kind === 'timeout') break;
    await pauseBeforeRelist(Date.now() - started);
  }
  throw timeoutError(opts, seen(), lastError);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Runs `work` but gives up at the deadline with a timeout error naming it. The work itself is
 *  not cancelled unless it honours `signal`; use for calls that have no timeout of their own. */
export async function withDeadline<T>(work: (signal: AbortSignal) => Promise<T>, deadline: Deadline, expectation: string): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new WaitTimeoutError(deadline.name, `timed out after ${formatDuration(deadline.ms)} (timeout ${deadline.name}) waiting for ${expectation}`, 'no answer');
      controller.abort(err);
      reject(err);
    }, deadline.ms);
  });
  try {
    return await Promise.race([work(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
