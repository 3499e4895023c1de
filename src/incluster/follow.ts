// Following the runner pod's log from the workstation: each new line is shown as the local run
// shows its progress, and following stops once the runner published its results (its exit
// line). A log stream that drops (the API server restarted, a proxy cut it) is opened again
// and the lines already shown are skipped, so nothing is printed twice.
import { Log } from '@kubernetes/client-node';
import { Writable } from 'node:stream';
import type { ClusterClients } from '../cluster/client.js';
import { readContainerLog } from '../cluster/logs.js';
import { pause } from '../cluster/pause.js';
import { parsePublished, type Published } from './publish.js';
import { RetrievalError } from './retrieve.js';

export interface RunnerRef {
  namespace: string;
  pod: string;
  container: string;
}

/** Splits a byte stream into lines and hands each complete one on. */
export class LineSplitter {
  private rest = '';
  constructor(private readonly onLine: (line: string) => void) {}
  push(chunk: string): void {
    const parts = (this.rest + chunk).split('\n');
    this.rest = parts.pop() ?? '';
    for (const line of parts) this.onLine(line.replace(/\r$/, ''));
  }
  flush(): void {
    if (this.rest !== '') this.onLine(this.rest);
    this.rest = '';
  }
}

/** Shows log lines past the ones already shown; published lines are kept, not shown. */
export class LogProgress {
  private seen = 0;
  private shownThisPass = 0;
  readonly lines: string[] = [];
  constructor(private readonly show: (line: string) => void) {}
  startPass(): void {
    this.shownThisPass = 0;
  }
  line(text: string): void {
    this.shownThisPass += 1;
    if (this.shownThisPass <= this.seen) return;
    this.seen += 1;
    this.lines.push(text);
    if (!text.startsWith('kube-assay-result:') && !text.startsWith('kube-assay-exit:')) this.show(text);
  }
  published(): Published {
    return parsePublished(this.lines.join('\n'));
  }
}

/** One follow of the log until it ends, the runner's exit line arrives, or `signal` aborts. */
async function followOnce(clients: ClusterClients, ref: RunnerRef, progress: LogProgress, signal: AbortSignal): Promise<void> {
  progress.startPass();
  let controller: AbortController | undefined;
  await new Promise<void>((resolve, reject) => {
    const splitter = new LineSplitter((line) => {
      progress.line(line);
      if (progress.published().exitCode !== undefined) done();
    });
    const sink = new Writable({
      write(chunk: Buffer, _enc, callback) {
        splitter.push(chunk.toString('utf8'));
        callback();
      },
      final(callback) {
        splitter.flush();
        callback();
        done();
      },
    });
    sink.on('error', () => done());
    const onAbort = (): void => done();
    function done(): void {
      signal.removeEventListener('abort', onAbort);
      controller?.abort();
      resolve();
    }
    signal.addEventListener('abort', onAbort, { once: true });
    new Log(clients.kc)
      .log(ref.namespace, ref.pod, ref.container, sink, { follow: true })
      .then((c) => {
        controller = c;
        if (signal.aborted || progress.published().exitCode !== undefined) c.abort();
      })
      .catch((err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err instanceof Error ? err : new Error(String(err)));
      });
  });
}

/** Follows until the runner published its exit line. `runnerState` says whether a dropped
 *  stream may be followed again, or the container ended (with which exit code) without publishing. */
export async function followRunner(
  clients: ClusterClients,
  ref: RunnerRef,
  show: (line: string) => void,
  runnerState: () => Promise<{ running: boolean; exitCode?: number }>,
  signal: AbortSignal,
): Promise<{ published: Published; log: string }> {
  const progress = new LogProgress(show);
  for (let attempt = 1; ; attempt++) {
    await followOnce(clients, ref, progress, signal);
    if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('stopped');
    if (progress.published().exitCode !== undefined) return { published: progress.published(), log: progress.lines.join('\n') };
    const state = await runnerState();
    if (!state.running) {
      // The stream may have ended before the last lines reached us: read the whole log once.
      const full = await readContainerLog(clients, ref);
      const published = parsePublished(full);
      if (published.exitCode !== undefined) return { published, log: full };
      const tail = full.trim().split('\n').slice(-5).join('\n');
      const how = state.exitCode === undefined ? '' : ` (exit code ${state.exitCode})`;
      throw new RetrievalError(`the runner pod ${ref.namespace}/${ref.pod} ended${how} without publishing its results; its last log lines:\n${tail}`, state.exitCode);
    }
    await pause(Math.min(500 * attempt, 5000), signal);
  }
}
