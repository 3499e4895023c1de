// Waiting with a deadline: by watch where the API offers one, else by polling. Never a bare
// sleep. A timeout error says what was expected, which named timeout expired and the last
// state seen, so a failure can be diagnosed from the message alone.
import { Watch, type KubeConfig } from '@kubernetes/client-node';
import { CheckFailure, InterruptedError, WaitTimeoutError } from '../harness/errors.js';
import { describeApiError } from './api-errors.js';
import { formatDuration } from './timeouts.js';

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
   *  does not exist); the wait then fails at once instead of running into the deadline. */
  fatal?: (state: T) => string | undefined;
}

/** Resolves after `ms`, or rejects early when `signal` aborts. Only used between polls. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new InterruptedError('abort');
}

function timeoutError<T>(opts: WaitOptions<T>, state: T | undefined, lastError: unknown): WaitTimeoutError {
  let last = opts.describe(state);
  if (lastError !== undefined) last += `\nlast error: ${describeApiError('request', lastError)}`;
  const firstLine = last.split('\n')[0] ?? last;
  return new WaitTimeoutError(
    opts.deadline.name,
    `timed out after ${formatDuration(opts.deadline.ms)} (timeout ${opts.deadline.name}) waiting for ${opts.expectation}; last seen: ${firstLine}`,
    last,
  );
}

function fatalError<T>(opts: WaitOptions<T>, reason: string, state: T): CheckFailure {
  return new CheckFailure(`gave up waiting for ${opts.expectation}: ${reason}`, { details: `last state seen:\n${opts.describe(state)}` });
}

/** Polls `probe` until `done(state)` or the deadline. Errors thrown by probe are remembered and
 *  retried (the deadline bounds them); the interval grows from 200ms to 2s. */
export async function pollUntil<T>(probe: () => Promise<T>, done: (state: T) => boolean, opts: WaitOptions<T>): Promise<T> {
  const end = Date.now() + opts.deadline.ms;
  let interval = 200;
  let state: T | undefined;
  let lastError: unknown;
  for (;;) {
    if (opts.signal?.aborted) throw abortReason(opts.signal);
    try {
      state = await probe();
      lastError = undefined;
      if (done(state)) return state;
      const fatal = opts.fatal?.(state);
      if (fatal !== undefined) throw fatalError(opts, fatal, state);
    } catch (err) {
      if (err instanceof CheckFailure) throw err;
      if (err instanceof InterruptedError) throw err;
      lastError = err;
    }
    const left = end - Date.now();
    if (left <= 0) throw timeoutError(opts, state, lastError);
    await pause(Math.min(interval, left), opts.signal);
    interval = Math.min(interval * 2, 2000);
  }
}

/** A list call returning the current items and the list's resourceVersion. */
export type ListFn<T> = () => Promise<{ items: T[]; metadata?: { resourceVersion?: string } }>;

export interface WatchTarget<T> {
  kc: KubeConfig;
  /** Collection path to watch, e.g. `/api/v1/namespaces/ns/pods`. */
  path: string;
  /** Field selector narrowing list and watch, e.g. `metadata.name=x`. */
  fieldSelector?: string;
  labelSelector?: string;
  /** Same selection as the watch, by the typed client. */
  list: ListFn<T>;
}

/** Lists, then watches from the list's resourceVersion, until `done(items)` holds or the
 *  deadline passes. Re-lists when the watch ends or the version expired (410). `done` sees the
 *  full current set of selected objects (keyed by namespace/name). */
export async function watchUntil<T extends { metadata?: { name?: string; namespace?: string } }>(
  target: WatchTarget<T>,
  done: (items: T[]) => boolean,
  opts: WaitOptions<T[]>,
): Promise<T[]> {
  const end = Date.now() + opts.deadline.ms;
  const current = new Map<string, T>();
  const key = (o: T): string => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
  let lastError: unknown;
  let seenOnce = false;

  while (Date.now() < end) {
    if (opts.signal?.aborted) throw abortReason(opts.signal);
    let resourceVersion: string | undefined;
    try {
      const list = await target.list();
      current.clear();
      for (const item of list.items) current.set(key(item), item);
      seenOnce = true;
      resourceVersion = list.metadata?.resourceVersion;
      lastError = undefined;
    } catch (err) {
      lastError = err;
      await pause(Math.min(1000, Math.max(0, end - Date.now())), opts.signal);
      continue;
    }
    if (done([...current.values()])) return [...current.values()];
    const fatalNow = opts.fatal?.([...current.values()]);
    if (fatalNow !== undefined) throw fatalError(opts, fatalNow, [...current.values()]);

    const outcome = await new Promise<'done' | 'ended' | 'timeout'>((resolve, reject) => {
      let settled = false;
      let controller: AbortController | undefined;
      const finish = (result: 'done' | 'ended' | 'timeout', err?: unknown): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        controller?.abort();
        if (err !== undefined) reject(err);
        else resolve(result);
      };
      const timer = setTimeout(() => finish('timeout'), Math.max(0, end - Date.now()));
      const onAbort = (): void => finish('ended', abortReason(opts.signal));
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
              finish('ended'); // typically 410 Gone: re-list
              return;
            }
            if (phase === 'BOOKMARK' || typeof obj !== 'object' || obj === null) return;
            const item = obj as T;
            if (phase === 'DELETED') current.delete(key(item));
            else current.set(key(item), item);
            const items = [...current.values()];
            if (done(items)) {
              finish('done');
              return;
            }
            const fatal = opts.fatal?.(items);
            if (fatal !== undefined) finish('ended', fatalError(opts, fatal, items));
          },
          (err: unknown) => {
            // After we settled, the error is our own abort of the connection, not news.
            if (!settled && err !== null && err !== undefined) lastError = err;
            finish('ended');
          },
        )
        .then((c) => {
          controller = c;
          if (settled) c.abort();
        })
        .catch((err: unknown) => {
          lastError = err;
          finish('ended');
        });
    });
    if (outcome === 'done') return [...current.values()];
    if (outcome === 'timeout') break;
  }
  throw timeoutError(opts, seenOnce ? [...current.values()] : undefined, lastError);
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
