// The run a spec executes in: set once by the CLI (or a --parallel child) before mocha loads
// the specs, read by check()/beforeSuite(). Specs are plain modules calling mocha's globals,
// so this one explicit holder replaces passing arguments through mocha.
import type { ClusterClients } from '../cluster/client.js';
import type { CleanupStack } from '../cluster/cleanup-stack.js';
import type { Timeouts } from '../cluster/timeouts.js';
import type { Config } from '../config/types.js';
import type { ClusterInfo } from '../report/model.js';
import type { ComponentFindings } from './findings.js';
import type { ProgressSink } from './progress-events.js';

export interface HarnessRuntime {
  clients: ClusterClients;
  config: Config;
  runId: string;
  cluster: ClusterInfo;
  /** Probe image after the platform default was applied. */
  probeImage: string;
  timeouts: Timeouts;
  /** Run-level cleanup: every check's and suite's own stack is nested in it, so a signal
   *  handler that runs this stack removes everything still registered. */
  cleanup: CleanupStack;
  progress: ProgressSink;
  /** Aborted on SIGINT/SIGTERM: checks in flight stop, clean up and report as interrupted. */
  interrupt: AbortSignal;
  /** Components found not working so far in this process (one per suite with --parallel). */
  findings: ComponentFindings;
}

let current: HarnessRuntime | undefined;

export function setRuntime(runtime: HarnessRuntime | undefined): void {
  current = runtime;
}

export function getRuntime(): HarnessRuntime {
  if (current === undefined) {
    throw new Error('kube-assay checks run only under `kube-assay run` (no harness runtime is set)');
  }
  return current;
}
