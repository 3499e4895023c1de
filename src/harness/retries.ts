// Flake handling: `--retries N` lets mocha run a failed check again (only checks that declare
// `retryable: true`), and the result says so: a pass on a retry is `flaky` with the first
// failure as its message, a failure after retries says how many attempts it took.
import Mocha from 'mocha';
import type { CheckResult } from '../report/model.js';
import type { CheckMeta } from './registry.js';
import { firstAttempt } from './registry.js';
import { describeFailure } from './reporter.js';
import type { HarnessRuntime } from './runtime.js';

export function retriesFor(meta: Pick<CheckMeta, 'retryable'>, rt: Pick<HarnessRuntime, 'config'>): number {
  return meta.retryable ? Math.max(0, rt.config.retries ?? 0) : 0;
}

/** Remembers the first failure of every retried check (mocha's `retry` event). */
export class RetryLog {
  private readonly firstFailure = new Map<Mocha.Runnable, string>();

  listen(runner: Mocha.Runner): void {
    runner.on(Mocha.Runner.constants.EVENT_TEST_RETRY, (test: Mocha.Runnable, err: unknown) => {
      const first = firstAttempt(test);
      if (!this.firstFailure.has(first)) this.firstFailure.set(first, describeFailure(err).message);
    });
  }

  /** Turns a result of a retried test into `flaky` (passed) or records its attempts (failed). */
  annotate(result: CheckResult, test: Mocha.Runnable): CheckResult {
    const retry = (test as unknown as { currentRetry(): number }).currentRetry();
    if (retry === 0) return result;
    result.attempts = retry + 1;
    if (result.status === 'passed' || result.status === 'warn') {
      result.status = 'flaky';
      result.message = `attempt 1: ${this.firstFailure.get(firstAttempt(test)) ?? 'failed'}`;
    } else if (result.status === 'skipped') {
      // A retry that skipped proves nothing: the check failed, as its first attempt said.
      result.details = [`attempt ${retry + 1} skipped: ${result.message ?? ''}`, result.details].filter((d) => d !== undefined && d !== '').join('\n');
      result.status = 'failed';
      result.message = `attempt 1: ${this.firstFailure.get(firstAttempt(test)) ?? 'failed'}`;
    }
    return result;
  }
}
