// Runs suites in this process: mocha loads the compiled spec files (ESM) and runs them with our
// reporter; the result is the suites of the result model. Also loads specs without running
// them, for `kube-assay list`.
import Mocha from 'mocha';
import type { SuiteResult } from '../report/model.js';
import { ResultCollector } from './collector.js';
import type { ProgressSink } from './progress-events.js';
import { KubeAssayReporter, type ReporterOptions } from './reporter.js';

export interface InProcessRun {
  files: string[];
  grep?: RegExp;
  sink: ProgressSink;
  /** Aborted on SIGINT/SIGTERM: no further check starts. */
  interrupt: AbortSignal;
}

function newMocha(grep: RegExp | undefined, reporterOptions?: ReporterOptions): Mocha {
  const mocha = new Mocha({ timeout: 0, color: false });
  if (reporterOptions !== undefined) mocha.reporter(KubeAssayReporter as unknown as typeof Mocha.reporters.Base, reporterOptions);
  if (grep !== undefined) mocha.grep(grep);
  return mocha;
}

export async function runSuitesInProcess(run: InProcessRun): Promise<SuiteResult[]> {
  const collector = new ResultCollector();
  const mocha = newMocha(run.grep, { collector, sink: run.sink, grep: run.grep });
  mocha.files = run.files;
  await mocha.loadFilesAsync();
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    const onInterrupt = (): void => {
      runner.abort();
    };
    if (run.interrupt.aborted) onInterrupt();
    else run.interrupt.addEventListener('abort', onInterrupt, { once: true });
  });
  return collector.results();
}

/** Loads spec files so their suite()/check() declarations register, without running anything. */
export async function loadSpecs(files: string[]): Promise<void> {
  const mocha = newMocha(undefined);
  mocha.files = files;
  await mocha.loadFilesAsync();
}
