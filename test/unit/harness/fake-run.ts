// Runs specs declared with the real suite()/check() API through a real mocha Runner and our
// reporter, without a cluster: checks use `namespace: false` and a runtime whose clients are
// never called. Mocha's bdd globals are swapped in only while the specs are declared.
import Mocha from 'mocha';
import type { ClusterClients } from '../../../src/cluster/client.js';
import { CleanupStack } from '../../../src/cluster/cleanup-stack.js';
import { Timeouts } from '../../../src/cluster/timeouts.js';
import { mergeConfig } from '../../../src/config/resolve.js';
import { ResultCollector } from '../../../src/harness/collector.js';
import { ComponentFindings } from '../../../src/harness/findings.js';
import type { ProgressEvent } from '../../../src/harness/progress-events.js';
import { attachReporter } from '../../../src/harness/reporter.js';
import { setRuntime, type HarnessRuntime } from '../../../src/harness/runtime.js';
import type { SuiteResult } from '../../../src/report/model.js';

export interface FakeRunResult {
  suites: SuiteResult[];
  events: ProgressEvent[];
  runtime: HarnessRuntime;
}

export interface FakeRunOptions {
  grep?: RegExp;
  timeoutScale?: number;
  /** Called once the run started, e.g. to interrupt it. */
  interrupt?: AbortController;
  /** --retries of the run. */
  retries?: number;
}

type Globals = Record<'describe' | 'it' | 'before' | 'after', unknown>;

export async function fakeRun(declare: () => void, options: FakeRunOptions = {}): Promise<FakeRunResult> {
  const root = new Mocha.Suite('', new Mocha.Context());
  root.root = true;
  Mocha.interfaces.bdd(root);
  const bdd: Record<string, unknown> = {};
  (root as unknown as NodeJS.EventEmitter).emit('pre-require', bdd, '', { options: {} });
  const g = globalThis as unknown as Globals;
  const saved: Globals = { describe: g.describe, it: g.it, before: g.before, after: g.after };
  Object.assign(g, { describe: bdd.describe, it: bdd.it, before: bdd.before, after: bdd.after });
  try {
    declare();
  } finally {
    Object.assign(g, saved);
  }

  const events: ProgressEvent[] = [];
  const interrupt = options.interrupt ?? new AbortController();
  const runtime: HarnessRuntime = {
    clients: { requestCount: () => 0 } as unknown as ClusterClients,
    config: { ...mergeConfig({}, {}, '/'), retries: options.retries },
    runId: 'unit-run',
    cluster: { context: 'fake', server: 'https://fake', version: 'v1.36.3', platform: 'generic', nodeCount: 1 },
    probeImage: 'probe:test',
    timeouts: new Timeouts(options.timeoutScale ?? 1),
    cleanup: new CleanupStack(),
    progress: { emit: (e) => events.push(e) },
    interrupt: interrupt.signal,
    findings: new ComponentFindings(),
  };
  const runner = new Mocha.Runner(root, { cleanReferencesAfterRun: false } as unknown as boolean);
  if (options.grep !== undefined) runner.grep(options.grep, false);
  const collector = new ResultCollector();
  attachReporter(runner, { collector, sink: runtime.progress, grep: options.grep });
  setRuntime(runtime);
  try {
    await new Promise<void>((resolve) => runner.run(() => resolve()));
  } finally {
    setRuntime(undefined);
  }
  return { suites: collector.results(), events, runtime };
}
