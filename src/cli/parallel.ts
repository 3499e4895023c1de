// --parallel N: up to N suites at once, each in its own process (mocha runs one suite tree per
// process). Children get the resolved config over IPC, report progress events and finally their
// part of the result; the parent merges the parts. Children run in their own process group so
// a terminal's Ctrl-C reaches only the parent, which forwards it exactly once.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config/types.js';
import type { ClusterInfo, SuiteResult } from '../report/model.js';
import type { SuiteFiles } from '../harness/discover.js';
import type { ProgressEvent, ProgressSink } from '../harness/progress-events.js';
import { RUNTIME_NODE_FLAGS } from './node-flags.js';

export interface ChildRequest {
  type: 'start';
  config: Config;
  runId: string;
  suite: SuiteFiles;
  cluster: ClusterInfo;
  probeImage: string;
}

export type ChildMessage =
  | { type: 'progress'; event: ProgressEvent }
  | { type: 'result'; suites: SuiteResult[]; apiRequests: number; maxRssBytes: number }
  | { type: 'error'; message: string };

export interface ParallelOutcome {
  parts: SuiteResult[][];
  apiRequests: number;
  maxRssBytes: number;
}

const childEntry = fileURLToPath(new URL('./child.js', import.meta.url));

/** A failed check standing in for a suite whose process died without reporting. */
export function lostSuite(suite: string, reason: string): SuiteResult {
  return {
    name: suite,
    title: suite,
    durationMs: 0,
    checks: [{ id: `${suite}/harness`, title: 'suite process finished and reported its results', status: 'failed', durationMs: 0, tags: [], attachments: [], message: reason }],
  };
}

export async function runParallel(
  suites: readonly SuiteFiles[],
  limit: number,
  base: Omit<ChildRequest, 'type' | 'suite'>,
  sink: ProgressSink,
  interrupt: AbortSignal,
): Promise<ParallelOutcome> {
  const outcome: ParallelOutcome = { parts: [], apiRequests: 0, maxRssBytes: 0 };
  const queue = [...suites];
  const running = new Set<ChildProcess>();
  const forward = (): void => {
    const reason: unknown = interrupt.reason;
    const signal: NodeJS.Signals = reason instanceof Error && reason.message.includes('SIGTERM') ? 'SIGTERM' : 'SIGINT';
    for (const child of running) child.kill(signal);
  };
  interrupt.addEventListener('abort', forward, { once: true });

  const runOne = (suite: SuiteFiles): Promise<void> =>
    new Promise((resolve) => {
      const child = fork(childEntry, [], { detached: true, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [...RUNTIME_NODE_FLAGS] });
      running.add(child);
      let reported = false;
      let error: string | undefined;
      child.on('message', (raw: unknown) => {
        const message = raw as ChildMessage;
        if (message.type === 'progress') sink.emit(message.event);
        else if (message.type === 'error') error = message.message;
        else if (message.type === 'result') {
          reported = true;
          outcome.parts.push(message.suites);
          outcome.apiRequests += message.apiRequests;
          outcome.maxRssBytes += message.maxRssBytes;
        }
      });
      child.on('exit', (code, signal) => {
        running.delete(child);
        if (!reported) {
          const why = error ?? `the process exited with ${signal ?? `code ${code ?? '?'}`} before reporting results`;
          outcome.parts.push([lostSuite(suite.name, why)]);
        }
        resolve();
      });
      const request: ChildRequest = { type: 'start', ...base, suite };
      child.send(request);
    });

  const workers = Array.from({ length: Math.min(limit, suites.length) }, async () => {
    for (;;) {
      if (interrupt.aborted) return;
      const next = queue.shift();
      if (next === undefined) return;
      await runOne(next);
    }
  });
  await Promise.all(workers);
  interrupt.removeEventListener('abort', forward);
  return outcome;
}
