// The deadline and abort signal of whatever is waiting on an API request. The client retries
// transient failures for up to apiUnavailable; inside a wait or a check with less time left,
// retries stop at that deadline instead (the wait then times out naming its own timeout), and a
// pause between retries ends when the run is interrupted. Carried by AsyncLocalStorage because
// the retrying client wraps calls made from anywhere, far from the wait that bounds them.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestScope {
  /** Epoch milliseconds after which no retry starts. */
  endAt: number;
  signal?: AbortSignal;
}

const storage = new AsyncLocalStorage<RequestScope>();

/** Runs `work` with requests bounded by `scope`; an enclosing scope with an earlier end still
 *  bounds them, and its signal applies when this one has none. */
export function withinRequestScope<T>(scope: RequestScope, work: () => T): T {
  const outer = storage.getStore();
  const signal = scope.signal ?? outer?.signal;
  const bounded: RequestScope = { endAt: Math.min(scope.endAt, outer?.endAt ?? Number.POSITIVE_INFINITY) };
  if (signal !== undefined) bounded.signal = signal;
  return storage.run(bounded, work);
}

/** The scope of the calling code, or undefined outside every wait and check. */
export function currentRequestScope(): RequestScope | undefined {
  return storage.getStore();
}
