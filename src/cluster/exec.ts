// Running a command in a container through the API server's exec endpoint (websocket): this is
// the control plane -> kubelet :10250 path, so it fails when that path is broken.
import { Writable } from 'node:stream';
import { Exec, type KubeConfig, type V1Status } from '@kubernetes/client-node';
import { WaitTimeoutError } from '../errors.js';
import { describeApiError } from './api-errors.js';
import { formatDuration } from './timeouts.js';
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

export async function execInContainer(kc: KubeConfig, target: ContainerRef, command: string[], deadline: Deadline, signal?: AbortSignal): Promise<ExecResult> {
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
        reject(err instanceof Error && err.message.startsWith(what) ? err : new Error(describeApiError(what, err), { cause: err }));
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
      .catch((err: unknown) => finish(err));
  });
}
