// The one place where errors become exit codes and user-facing text. Documented in the README.
import { ClusterAccessError, ConfigError, UsageError, WaitRefusedError } from '../errors.js';

export const ExitCode = {
  /** Every check that ran passed (or warned). */
  Passed: 0,
  /** Some check failed, or no check ran at all (a run with zero results is not a pass). */
  Failed: 1,
  /** Usage or configuration error. */
  Usage: 2,
  /** The cluster is unreachable, or the identity is not authenticated or not authorised. */
  ClusterAccess: 3,
  /** A bug in kube-assay. */
  Internal: 4,
  /** Conventional shell codes for a run stopped by a signal (after cleanup). */
  Interrupted: 130,
  Terminated: 143,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export function exitCodeFor(err: unknown): ExitCodeValue {
  if (err instanceof UsageError || err instanceof ConfigError) return ExitCode.Usage;
  if (err instanceof ClusterAccessError) return ExitCode.ClusterAccess;
  // A wait outside any check (e.g. for a run's namespaces to go) refused for lack of credentials or rights.
  if (err instanceof WaitRefusedError && (err.status === 401 || err.status === 403)) return ExitCode.ClusterAccess;
  if (isCommanderUsageError(err)) return ExitCode.Usage;
  return ExitCode.Internal;
}

/** Text printed on stderr for an error that ends the command. User errors are their one
 *  sentence; internal errors say so and point at --debug. With debug, the stack follows. */
export function formatFatalError(err: unknown, debug: boolean): string {
  const code = exitCodeFor(err);
  const message = err instanceof Error ? err.message : String(err);
  const lines: string[] = [];
  if (code === ExitCode.Internal) {
    lines.push(`kube-assay: internal error: ${message}${debug ? '' : ' (run again with --debug for the stack trace, and please report it)'}`);
  } else {
    lines.push(`kube-assay: ${message}`);
  }
  if (debug && err instanceof Error && err.stack) {
    lines.push(err.stack);
    let cause: unknown = err.cause;
    while (cause instanceof Error) {
      lines.push(`caused by: ${cause.stack ?? cause.message}`);
      cause = cause.cause;
    }
  }
  return lines.join('\n');
}

/** commander throws CommanderError for bad flags when exitOverride() is on. */
function isCommanderUsageError(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    'code' in err &&
    typeof err.code === 'string' &&
    err.code.startsWith('commander.') &&
    'exitCode' in err &&
    err.exitCode !== 0
  );
}
