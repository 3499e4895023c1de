// A bounded pause that an abort signal cuts short. Waits and retries use it between attempts;
// it has its own module so retry.ts and wait.ts can both use it without importing each other.
import { InterruptedError } from '../errors.js';

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

export function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new InterruptedError('abort');
}
