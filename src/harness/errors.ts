// Typed errors. The CLI maps each class to one exit code in one place (src/cli/exit-codes.ts);
// everything else is an internal error. User-facing messages are one sentence naming the cause
// and the fix, so they can be printed without a stack trace.

/** Wrong command-line usage, e.g. an unknown suite name or a flag value out of range. Exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The configuration file (or a kubeconfig) is missing, malformed or invalid. Exit 2. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The cluster cannot be reached, or the identity is not authenticated or not authorised. Exit 3. */
export class ClusterAccessError extends Error {
  override readonly name = 'ClusterAccessError';
}

/** Thrown by helpers when observed cluster behaviour differs from what a check expects.
 *  `details` carries the longer expected/observed text that goes into the report. */
export class CheckFailure extends Error {
  override readonly name: string = 'CheckFailure';
  readonly details?: string;
  constructor(message: string, options: { details?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.details = options.details;
  }
}

/** A named deadline passed while waiting. Carries what was expected and the last state seen. */
export class WaitTimeoutError extends CheckFailure {
  override readonly name = 'WaitTimeoutError';
  readonly timeoutName: string;
  readonly lastState: string;
  constructor(timeoutName: string, message: string, lastState: string) {
    super(message, { details: `last state seen:\n${lastState}` });
    this.timeoutName = timeoutName;
    this.lastState = lastState;
  }
}

/** The run was interrupted by SIGINT/SIGTERM; checks in flight stop with this. */
export class InterruptedError extends Error {
  override readonly name = 'InterruptedError';
  readonly signal: string;
  constructor(signal: string) {
    super(`interrupted by ${signal}`);
    this.signal = signal;
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
