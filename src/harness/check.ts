// The spec API: suite() groups checks under a suite name, check() declares one check with a
// stable ID (mocha test title "<id> <title>"), beforeSuite() builds shared fixtures. The wrapper
// gives every check a fresh labelled namespace, a deadline, failure dumps taken before any
// deletion, and cleanup that runs whatever happened.
import { setMaxListeners } from 'node:events';
import { CleanupStack } from '../cluster/cleanup-stack.js';
import { ComponentProblem } from '../cluster/component-problem.js';
import { errorSentence } from '../cluster/api-errors.js';
import { dumpNamespace } from '../cluster/dump.js';
import { markNamespaceKept } from '../cluster/namespaces.js';
import { withinRequestScope } from '../cluster/request-scope.js';
import { formatDuration } from '../cluster/timeouts.js';
import { DetailedError, InterruptedError, WaitTimeoutError } from '../errors.js';
import { CheckSkipped, HarnessContext, type CheckContext, type SetupContext } from './context.js';
import { bindTest, newRecord, registerCheck, registerSuite, type CheckMeta, type CheckOptions, type CheckRecord } from './registry.js';
import { blockedReason, POD_COMPONENTS } from './findings.js';
import { getRuntime, type HarnessRuntime } from './runtime.js';
import { retriesFor } from './retries.js';
import type { AnySuiteDefinition } from './suite-definition.js';

export type CheckBody = (t: CheckContext) => Promise<void>;
export type SetupBody = (s: SetupContext) => Promise<void>;

let currentSuite: string | undefined;

/** Declares the checks of a suite, by its definition (suites/<name>/suite.ts: name, title,
 *  config section, timeouts, permissions). A suite's spec files each call this with the same one. */
export function suite(definition: Pick<AnySuiteDefinition, 'name' | 'title'>, body: () => void): void {
  const { name, title } = definition;
  describe(title, function (this: Mocha.Suite) {
    registerSuite({ name, title }, this);
    const previous = currentSuite;
    currentSuite = name;
    try {
      body();
    } finally {
      currentSuite = previous;
    }
  });
}

/** Declares a check. The ID is stable forever (reports are compared by it): `<suite>/<name>`. */
export function check(id: string, title: string, body: CheckBody, options: CheckOptions = {}): Mocha.Test {
  if (currentSuite === undefined) throw new Error(`check("${id}") must be declared inside suite()`);
  const meta: CheckMeta = {
    id,
    title,
    suite: currentSuite,
    tags: options.tags ?? [],
    remediation: options.remediation,
    namespace: options.namespace ?? true,
    podSecurity: options.podSecurity ?? 'baseline',
    timeout: options.timeout ?? 'check',
    retryable: options.retryable ?? false,
    ...(options.details === undefined ? {} : { details: options.details }),
  };
  registerCheck(meta);
  const test = it(`${id} ${title}`, async function (this: Mocha.Context) {
    const runnable = this.test;
    if (runnable === undefined) throw new Error('mocha gave the check no test object');
    this.retries(retriesFor(meta, getRuntime()));
    await runCheck(meta, body, runnable);
  });
  bindTest(test, meta);
  return test;
}

/** Shared setup for the checks of the enclosing suite (e.g. probe pods used by many checks).
 *  Whatever it creates is removed after the suite's last check (and on signal). */
export function beforeSuite(title: string, body: SetupBody): void {
  const suiteName = currentSuite;
  if (suiteName === undefined) throw new Error(`beforeSuite("${title}") must be declared inside suite()`);
  let stack: CleanupStack | undefined;
  let unregister: (() => void) | undefined;
  before(title, async function (this: Mocha.Context) {
    const rt = getRuntime();
    stack = new CleanupStack();
    unregister = rt.cleanup.pushStack(`cleanup of ${suiteName} setup`, stack);
    const scratch: CheckRecord = { attachments: [], warnings: [], steps: [] };
    const controller = linkedAbort(rt);
    const ctx = new HarnessContext(rt, `${suiteName}/setup`, suiteName, stack, scratch, controller.signal, 'baseline');
    try {
      // Shared fixtures run pods: on a cluster already found broken, say so instead of waiting.
      const blocked = rt.findings.blocking(POD_COMPONENTS);
      if (blocked !== undefined) throw new DetailedError(blockedReason(blocked));
      const ms = rt.timeouts.ms('suiteSetup');
      await withCheckDeadline(withinRequestScope({ endAt: Date.now() + ms, signal: controller.signal }, () => body(ctx)), ms, 'suiteSetup', controller);
    } catch (err) {
      if (err instanceof ComponentProblem) rt.findings.record(`${suiteName}/setup`, err);
      throw err;
    } finally {
      controller.dispose();
    }
  });
  after(`cleanup: ${title}`, async function () {
    if (stack === undefined) return;
    const failures = await stack.runAll();
    unregister?.();
    for (const f of failures) getRuntime().progress.emit({ type: 'note', text: `cleanup of ${suiteName} setup: ${f.description} failed: ${errorSentence(f.error)}` });
  });
}

interface LinkedAbort {
  signal: AbortSignal;
  abort(reason: unknown): void;
  dispose(): void;
}

/** Listeners one abort signal may have before Node warns of a leak: every concurrent wait of a
 *  check listens on its signal (probe fan-outs run dozens), and every running check on the
 *  run's interrupt. Node's default of 10 is below both. */
const SIGNAL_LISTENERS = 256;

/** An abort controller that also fires when the run is interrupted. */
function linkedAbort(rt: HarnessRuntime): LinkedAbort {
  const controller = new AbortController();
  setMaxListeners(SIGNAL_LISTENERS, controller.signal, rt.interrupt);
  const onInterrupt = (): void => controller.abort(rt.interrupt.reason instanceof Error ? rt.interrupt.reason : new InterruptedError('signal'));
  if (rt.interrupt.aborted) onInterrupt();
  else rt.interrupt.addEventListener('abort', onInterrupt, { once: true });
  return {
    signal: controller.signal,
    abort: (reason) => controller.abort(reason),
    dispose: () => rt.interrupt.removeEventListener('abort', onInterrupt),
  };
}

/** Races the body against the check's deadline and the interrupt signal. On either, the signal
 *  aborts so helpers stop waiting, and the wrapper moves on to dumps and cleanup. */
async function withCheckDeadline(work: Promise<void>, ms: number, name: string, controller: LinkedAbort): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const stopped = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new WaitTimeoutError(name, `the check did not finish within ${formatDuration(ms)} (timeout ${name})`, 'see the steps and dumps');
      controller.abort(err);
      reject(err);
    }, ms);
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason instanceof Error ? controller.signal.reason : new InterruptedError('abort')), { once: true });
  });
  stopped.catch(() => undefined); // settles after the race when nobody listens any more
  work.catch(() => undefined); // a body still running after the deadline must not raise unhandled rejections
  try {
    await Promise.race([work, stopped]);
  } finally {
    clearTimeout(timer);
  }
}

async function runCheck(meta: CheckMeta, body: CheckBody, test: Mocha.Runnable): Promise<void> {
  const rt = getRuntime();
  const record = newRecord(test);
  const stack = new CleanupStack();
  const unregister = rt.cleanup.pushStack(`cleanup of ${meta.id}`, stack);
  const controller = linkedAbort(rt);
  const ctx = new HarnessContext(rt, meta.id, meta.suite, stack, record, controller.signal, meta.podSecurity);
  let failure: unknown;
  try {
    const budget = typeof meta.timeout === 'string'
      ? { name: meta.timeout, ms: rt.timeouts.ms(meta.timeout) }
      : { name: meta.timeout.name, ms: rt.timeouts.custom(meta.timeout.ms) };
    // No API retry inside the check outlives its deadline or the run's interrupt.
    const work = withinRequestScope({ endAt: Date.now() + budget.ms, signal: controller.signal }, async () => {
      // A check that runs pods in its namespace cannot prove anything once the scheduler, the
      // controller-manager or the probe image was found broken: say so at once.
      const blocked = meta.namespace ? rt.findings.blocking(POD_COMPONENTS, meta.id) : undefined;
      if (blocked !== undefined) ctx.skip(blockedReason(blocked));
      if (meta.namespace) await ctx.createPrimaryNamespace();
      await body(ctx);
    });
    await withCheckDeadline(work, budget.ms, budget.name, controller);
  } catch (err) {
    failure = err;
  } finally {
    controller.dispose();
  }

  if (failure instanceof ComponentProblem) rt.findings.record(meta.id, failure);
  const skipped = failure instanceof CheckSkipped;
  const failed = failure !== undefined && !skipped;
  const interrupted = rt.interrupt.aborted;
  if (failed && !interrupted && ctx.namespaces.length > 0) {
    // Dumps first: once the namespace is deleted, its events, pod states and logs are gone.
    ctx.step('capture events, pod status and logs');
    for (const ns of ctx.namespaces) record.attachments.push(...(await dumpNamespace(rt.clients, ns)));
  }
  const keep = failed && rt.config.keepOnFailure && !interrupted && ctx.namespaces.length > 0;
  if (keep) {
    for (const ns of ctx.namespaces) {
      try {
        await markNamespaceKept(rt.clients, ns);
      } catch (err) {
        rt.progress.emit({ type: 'note', text: `could not label kept namespace ${ns}: ${errorSentence(err)}` });
      }
    }
    rt.progress.emit({
      type: 'note',
      text: `${meta.id}: kept namespace${ctx.namespaces.length > 1 ? 's' : ''} ${ctx.namespaces.join(', ')} for debugging; remove with \`kube-assay cleanup --run-id ${rt.runId}\``,
    });
  }
  if (stack.size > 0) ctx.step('clean up');
  const cleanupFailures = await stack.runAll({ skipKinds: keep ? ['namespace'] : [] });
  unregister();
  if (cleanupFailures.length > 0) {
    const text = cleanupFailures.map((f) => `${f.description}: ${errorSentence(f.error)}`).join('\n');
    record.attachments.push({ kind: 'text', title: 'cleanup problems', body: text });
    rt.progress.emit({ type: 'note', text: `${meta.id}: cleanup problems: ${text}` });
  }
  if (skipped) {
    test.pending = true; // mocha reports a pending test; the reporter adds the reason
    return;
  }
  if (failed) {
    // An interrupted check stops; running it again would only delay the cleanup.
    if (interrupted) test.retries(0);
    throw failure;
  }
}

