// The bottom of the module graph: error classes every layer may throw and catch. It imports
// nothing of ours, so src/cluster can end a wait with a neutral error without knowing about
// verdicts (CheckFailure stays in src/harness). The CLI maps these classes to exit codes in one
// place (src/cli/exit-codes.ts); user-facing messages are one sentence naming cause and fix.

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

/** An error whose one-line message and longer `details` (expected/observed, the last state
 *  seen) go into the report as they are, without a stack: verdicts and ended waits. */
export class DetailedError extends Error {
  override readonly name: string = 'DetailedError';
  readonly details?: string;
  constructor(message: string, options: { details?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.details = options.details;
  }
}

/** How a wait ended short of what it waited for; `details` holds the last state seen. */
export class WaitError extends DetailedError {
  override readonly name: string = 'WaitError';
}

/** A named deadline passed while waiting. Carries what was expected and the last state seen. */
export class WaitTimeoutError extends WaitError {
  override readonly name = 'WaitTimeoutError';
  readonly timeoutName: string;
  readonly lastState: string;
  constructor(timeoutName: string, message: string, lastState: string) {
    super(message, { details: `last state seen:\n${lastState}` });
    this.timeoutName = timeoutName;
    this.lastState = lastState;
  }
}

/** The state waited on can no longer become what was expected (an image that does not exist, a
 *  failed Job), so the wait gave up before its deadline. */
export class WaitAbandonedError extends WaitError {
  override readonly name = 'WaitAbandonedError';
  readonly expectation: string;
  readonly reason: string;
  constructor(expectation: string, reason: string, lastState: string) {
    super(`gave up waiting for ${expectation}: ${reason}`, { details: `last state seen:\n${lastState}` });
    this.expectation = expectation;
    this.reason = reason;
  }
}

/** The API server answered a request of a wait with a final status (401, 403, 404, 409, 422,
 *  ...): asking again cannot help, so the wait ends at once. `status` is the HTTP status. */
export class WaitRefusedError extends WaitError {
  override readonly name = 'WaitRefusedError';
  readonly status: number;
  constructor(status: number, message: string, options: { details?: string; cause?: unknown } = {}) {
    super(message, options);
    this.status = status;
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
