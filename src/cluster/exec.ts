// Running a command in a container through the API server's exec endpoint (websocket): this is
// the control plane -> kubelet :10250 path, so it fails when that path is broken.
import { Writable } from 'node:stream';
import { Exec, type KubeConfig, type V1Status } from '@kubernetes/client-node';
import { WaitTimeoutError } from '../errors.js';
import { describeApiError, networkErrorCode } from './api-errors.js';
import { pause } from './pause.js';
import { serverReady } from './readiness.js';
import { BASE_TIMEOUTS_MS, formatDuration } from './timeouts.js';
import { worthRetrying } from './retry.js';
import type { Deadline } from './wait.js';

export interface ContainerRef {
  namespace: string;
  pod: string;
  container: string;
}

export interface ExecResult {
  command: string[];
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** A command a person can paste to reproduce an exec. */
export function kubectlExec(target: ContainerRef, command: readonly string[]): string {
  const quoted = command.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`));
  return `kubectl exec -n ${target.namespace} ${target.pod} -c ${target.container} -- ${quoted.join(' ')}`;
}

/** Exit code carried by the exec status frame; throws when the command could not run at all. */
export function exitCodeFromStatus(status: V1Status): number {
  if (status.status === 'Success') return 0;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  const code = cause?.message === undefined ? Number.NaN : Number.parseInt(cause.message, 10);
  if (Number.isInteger(code)) return code;
  throw new Error(`exec failed: ${status.message ?? status.reason ?? 'unknown error'}`);
}

class Collector extends Writable {
  private chunks: Buffer[] = [];
  override _write(chunk: Buffer | string, _enc: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    callback();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** The cause of a failed exec connection: the websocket library rejects with an ErrorEvent
 *  (`{ message, error }`), not an Error, and an HTTP refusal of the upgrade only as the text
 *  "Unexpected server response: 403". */
export function execConnectFailure(err: unknown): { text: string; status?: number; code?: string } {
  const record = typeof err === 'object' && err !== null ? (err as Record<string, unknown>) : {};
  const inner = record.error instanceof Error ? record.error : err instanceof Error ? err : undefined;
  const text = (typeof record.message === 'string' && record.message !== '' ? record.message : inner?.message) ?? String(err);
  const status = /Unexpected server response: (\d{3})/.exec(text)?.[1];
  return { text, status: status === undefined ? undefined : Number(status), code: networkErrorCode(inner ?? err) };
}

/** Runs `command`; a connection that cannot be opened is retried for `connectBudgetMs` while the
 *  server may come back (worthRetrying, as for API requests: the command never started, so it
 *  counts as a read), so an API server restart does not fail it. */
export async function execInContainer(
  kc: KubeConfig,
  target: ContainerRef,
  command: string[],
  deadline: Deadline,
  signal?: AbortSignal,
  connectBudgetMs: number = BASE_TIMEOUTS_MS.apiUnavailable,
): Promise<ExecResult> {
  const what = `exec in ${target.namespace}/${target.pod} (container ${target.container})`;
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await execOnce(kc, target, command, deadline, signal);
    } catch (err) {
      if (!(err instanceof ExecConnectError)) throw err;
      const waited = Date.now() - started;
      const delay = Math.min(200 * 2 ** (attempt - 1), 5000);
      if (signal?.aborted || waited + delay > connectBudgetMs || !(await worthRetrying(err, 'read', () => serverReady(kc)))) {
        throw new Error(attempt === 1 ? `${what}: ${err.failure.text}` : `${what}: the API server was unavailable for ${formatDuration(waited)}; last: ${err.failure.text}`, { cause: err });
      }
      await pause(delay, signal);
    }
  }
}


/** A connection that never opened; `statusCode` and `code` are where apiStatusCode and
 *  networkErrorCode look, so the shared retry decision reads it like any API error. */
class ExecConnectError extends Error {
  readonly statusCode?: number;
  readonly code?: string;
  constructor(readonly failure: ReturnType<typeof execConnectFailure>, cause: unknown) {
    super(failure.text, { cause });
    this.statusCode = failure.status;
    this.code = failure.code;
  }
}

async function execOnce(kc: KubeConfig, target: ContainerRef, command: string[], deadline: Deadline, signal?: AbortSignal): Promise<ExecResult> {
  const stdout = new Collector();
  const stderr = new Collector();
  const what = `exec in ${target.namespace}/${target.pod} (container ${target.container})`;
  let status: V1Status | undefined;
  return new Promise<ExecResult>((resolve, reject) => {
    let settled = false;
    let socket: { close: () => void } | undefined;
    const finish = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket?.close();
      if (err !== undefined) {
        const passOn = err instanceof ExecConnectError || (err instanceof Error && err.message.startsWith(what));
        // A socket error after the connection opened is an ErrorEvent too: say what it carries.
        const text = err instanceof Error ? describeApiError(what, err) : `${what}: ${execConnectFailure(err).text}`;
        reject(passOn ? err : new Error(text, { cause: err }));
        return;
      }
      if (status === undefined) {
        reject(new Error(`${what}: the connection closed without an exit status (command ${JSON.stringify(command)})`));
        return;
      }
      try {
        resolve({ command, stdout: stdout.text(), stderr: stderr.text(), exitCode: exitCodeFromStatus(status) });
      } catch (e) {
        reject(new Error(`${what}: ${e instanceof Error ? e.message : String(e)}`));
      }
    };
    const timer = setTimeout(() => {
      finish(
        new WaitTimeoutError(
          deadline.name,
          `${what}: no exit status after ${formatDuration(deadline.ms)} (timeout ${deadline.name}) for ${JSON.stringify(command)}`,
          `stdout so far: ${stdout.text().slice(-500)}\nstderr so far: ${stderr.text().slice(-500)}`,
        ),
      );
    }, deadline.ms);
    const onAbort = (): void => finish(signal?.reason instanceof Error ? signal.reason : new Error(`${what}: aborted`));
    signal?.addEventListener('abort', onAbort, { once: true });
    new Exec(kc)
      .exec(target.namespace, target.pod, target.container, command, stdout, stderr, null, false, (s) => {
        status = s;
      })
      .then((ws) => {
        socket = ws;
        if (settled) {
          ws.close();
          return;
        }
        ws.on('close', () => finish());
        ws.on('error', (err: unknown) => finish(err));
      })
      .catch((err: unknown) => finish(new ExecConnectError(execConnectFailure(err), err)));
  });
}
