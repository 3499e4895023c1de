// A mocha reporter that turns mocha's events into the result model (via ResultCollector) and
// progress events. It writes nothing itself: rendering belongs to the CLI.
import Mocha from 'mocha';
import { ApiException } from '@kubernetes/client-node';
import { apiStatusCode, describeApiError } from '../cluster/api-errors.js';
import { ComponentProblem } from '../cluster/component-problem.js';
import type { CheckResult, CheckStatus } from '../report/model.js';
import { slugify } from '../cluster/names.js';
import type { ResultCollector } from './collector.js';
import { DetailedError, InterruptedError } from '../errors.js';
import type { ProgressSink } from './progress-events.js';
import { RetryLog } from './retries.js';
import { checkOf, recordOf, registeredSuites, suiteNameOf } from './registry.js';

const { constants } = Mocha.Runner;

export interface ReporterOptions {
  collector: ResultCollector;
  sink: ProgressSink;
  /** The --grep pattern, to know which tests a failed suite hook kept from running. */
  grep?: RegExp;
}

/** Message (one line) and details (the rest) of a failure. A wait that timed out, gave up or
 *  was refused reads like a verdict: its own sentence and the last state seen, no stack. */
export function describeFailure(err: unknown): { message: string; details?: string } {
  if (err instanceof DetailedError) {
    const [first = '', ...rest] = err.message.split('\n');
    const details = [rest.join('\n').trim(), err.details ?? ''].filter((s) => s !== '').join('\n');
    return { message: first, details: details === '' ? undefined : details };
  }
  if (err instanceof ApiException || (apiStatusCode(err) !== undefined && !(err instanceof Error && err.cause !== undefined))) {
    return { message: describeApiError('API request', err) };
  }
  if (err instanceof Error) {
    const [first = '', ...rest] = err.message.split('\n');
    const details = [rest.join('\n').trim(), err.stack ?? ''].filter((s) => s !== '').join('\n');
    return { message: first || err.name, details: details === '' ? undefined : details };
  }
  return { message: String(err) };
}

/** Splits a mocha title "<id> <title>" of a test declared without check(). */
export function idAndTitle(test: Mocha.Runnable, suite: string): { id: string; title: string } {
  const meta = checkOf(test);
  if (meta !== undefined) return { id: meta.id, title: meta.title };
  const [first = '', ...rest] = test.title.split(' ');
  if (first.includes('/')) return { id: first, title: rest.join(' ') || first };
  return { id: `${suite}/${slugify(test.title) || 'unnamed'}`, title: test.title };
}

interface Outcome {
  state: 'passed' | 'failed' | 'pending';
  err?: unknown;
}

export function toCheckResult(test: Mocha.Runnable, suite: string, outcome: Outcome, durationMs: number): CheckResult {
  const meta = checkOf(test);
  const record = recordOf(test);
  const { id, title } = idAndTitle(test, suite);
  let status: CheckStatus;
  let message: string | undefined;
  let details: string | undefined;
  if (outcome.state === 'failed') {
    status = 'failed';
    ({ message, details } = describeFailure(outcome.err));
  } else if (outcome.state === 'pending') {
    status = 'skipped';
    message = record?.skipReason ?? 'skipped in the spec';
  } else if (record !== undefined && record.warnings.length > 0) {
    status = 'warn';
    message = record.warnings[0];
    if (record.warnings.length > 1) details = record.warnings.join('\n');
  } else {
    status = 'passed';
  }
  const result: CheckResult = {
    id,
    title,
    status,
    durationMs: Math.max(0, Math.round(durationMs)),
    tags: meta?.tags ?? [],
    attachments: record?.attachments ?? [],
  };
  if (message !== undefined) result.message = message;
  if (details !== undefined) result.details = details;
  // An interrupted check says nothing about the cluster, so its remediation would mislead.
  const interrupted = outcome.err instanceof InterruptedError;
  // A diagnosed cause brings its own remediation; the check's would point elsewhere.
  const remediation = outcome.err instanceof ComponentProblem ? outcome.err.remediation : meta?.remediation;
  if (remediation !== undefined && (status === 'failed' || status === 'warn') && !interrupted) result.remediation = remediation;
  return result;
}

function isHook(runnable: Mocha.Runnable): boolean {
  return (runnable as { type?: string }).type === 'hook';
}

function suiteTitle(name: string): string {
  return registeredSuites().find((s) => s.name === name)?.title ?? name;
}

/** Tests below `suite` that the grep selects (all of them without grep). */
function selectedTests(suite: Mocha.Suite, grep: RegExp | undefined): Mocha.Test[] {
  const out: Mocha.Test[] = [];
  const walk = (s: Mocha.Suite): void => {
    for (const t of s.tests) if (grep === undefined || grep.test(t.fullTitle())) out.push(t);
    s.suites.forEach(walk);
  };
  walk(suite);
  return out;
}

export function attachReporter(runner: Mocha.Runner, options: ReporterOptions): void {
  const { collector, sink, grep } = options;
  const retries = new RetryLog();
  retries.listen(runner);
  const started = new Map<Mocha.Runnable, number>();
  const outcomes = new Map<Mocha.Runnable, Outcome>();
  const suiteOf = (node: Mocha.Runnable | Mocha.Suite): string => suiteNameOf(node) ?? 'default';
  // runner.suite is the suite running *now* once the run starts; keep the root.
  const root = runner.suite;

  // A suite may span several spec files (one describe each): announce it at its first describe
  // and finish it after its last one that has selected tests (mocha skips the others).
  const remainingDescribes = new Map<string, number>();
  const announced = new Set<string>();
  const isSuiteRoot = (suite: Mocha.Suite): boolean =>
    !suite.root && suite.parent !== undefined && suiteNameOf(suite) !== undefined && suiteNameOf(suite.parent) !== suiteNameOf(suite);

  runner.on(constants.EVENT_RUN_BEGIN, () => {
    const tests = selectedTests(root, grep);
    const suites = [...new Set(tests.map((t) => suiteOf(t)))];
    const walk = (s: Mocha.Suite): void => {
      if (isSuiteRoot(s)) {
        if (selectedTests(s, grep).length > 0) remainingDescribes.set(suiteOf(s), (remainingDescribes.get(suiteOf(s)) ?? 0) + 1);
        return;
      }
      s.suites.forEach(walk);
    };
    walk(root);
    sink.emit({ type: 'run-start', suites, totalChecks: tests.length });
  });

  runner.on(constants.EVENT_SUITE_BEGIN, (suite: Mocha.Suite) => {
    if (!isSuiteRoot(suite)) return;
    const name = suiteOf(suite);
    if (announced.has(name)) return;
    announced.add(name);
    collector.suiteStart(name, suiteTitle(name));
    const total = selectedTests(root, grep).filter((t) => suiteOf(t) === name).length;
    sink.emit({ type: 'suite-start', suite: name, title: suiteTitle(name), totalChecks: total });
  });

  runner.on(constants.EVENT_SUITE_END, (suite: Mocha.Suite) => {
    if (!isSuiteRoot(suite)) return;
    const name = suiteOf(suite);
    const left = (remainingDescribes.get(name) ?? 1) - 1;
    remainingDescribes.set(name, left);
    if (left === 0) {
      collector.suiteEnd(name);
      sink.emit({ type: 'suite-end', suite: name });
    }
  });

  runner.on(constants.EVENT_TEST_BEGIN, (test: Mocha.Test) => {
    started.set(test, Date.now());
    const { id, title } = idAndTitle(test, suiteOf(test));
    sink.emit({ type: 'check-start', suite: suiteOf(test), id, title });
  });

  runner.on(constants.EVENT_TEST_PASS, (test: Mocha.Test) => outcomes.set(test, { state: 'passed' }));
  runner.on(constants.EVENT_TEST_PENDING, (test: Mocha.Test) => outcomes.set(test, { state: 'pending' }));

  runner.on(constants.EVENT_TEST_FAIL, (runnable: Mocha.Runnable, err: unknown) => {
    if (!isHook(runnable)) {
      outcomes.set(runnable, { state: 'failed', err });
      return;
    }
    // A failed hook has no test of its own: report it as a failed check, and the checks it
    // kept from running as skipped, so nothing silently disappears from the report.
    const suite = suiteOf(runnable);
    const isAfter = /"after (all|each)" hook/.test(runnable.title);
    const id = `${suite}/${isAfter ? 'teardown' : 'setup'}`;
    const { message, details } = describeFailure(err);
    const result: CheckResult = { id, title: runnable.title, status: 'failed', durationMs: runnable.duration ?? 0, tags: [], attachments: [], message };
    if (details !== undefined) result.details = details;
    collector.add(suite, result, suiteTitle(suite));
    sink.emit({ type: 'check-end', suite, result });
    if (!isAfter && runnable.parent !== undefined) {
      for (const test of selectedTests(runnable.parent, grep)) {
        if (outcomes.has(test) || started.has(test)) continue;
        const { id: testId, title } = idAndTitle(test, suiteOf(test));
        const skipped: CheckResult = { id: testId, title, status: 'skipped', durationMs: 0, tags: checkOf(test)?.tags ?? [], attachments: [], message: `not run: ${runnable.title} failed` };
        outcomes.set(test, { state: 'pending' });
        collector.add(suiteOf(test), skipped, suiteTitle(suiteOf(test)));
        sink.emit({ type: 'check-end', suite: suiteOf(test), result: skipped });
      }
    }
  });

  runner.on(constants.EVENT_TEST_END, (test: Mocha.Test) => {
    const outcome = outcomes.get(test) ?? { state: test.isPending() ? 'pending' : test.state === 'failed' ? 'failed' : 'passed' };
    const suite = suiteOf(test);
    const begin = started.get(test);
    const duration = test.duration ?? (begin === undefined ? 0 : Date.now() - begin);
    const result = retries.annotate(toCheckResult(test, suite, outcome, duration), test);
    collector.add(suite, result, suiteTitle(suite));
    sink.emit({ type: 'check-end', suite, result });
  });
}

/** The class form mocha instantiates: `new KubeAssayReporter(runner, mochaOptions)`. */
export class KubeAssayReporter {
  constructor(runner: Mocha.Runner, options: { reporterOption?: ReporterOptions; reporterOptions?: ReporterOptions }) {
    const opts = options.reporterOption ?? options.reporterOptions;
    if (opts === undefined) throw new Error('KubeAssayReporter needs reporter options { collector, sink }');
    attachReporter(runner, opts);
  }
}
