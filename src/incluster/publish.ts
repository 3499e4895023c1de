// The in-cluster runner's side of result retrieval (`run --hold`): after the reports are written
// it prints, in its log, one line per report with its SHA-256 and size, then the run's exit code;
// then it keeps the files retrievable until the hold time passes or it is stopped. The
// workstation (`run --in-cluster`, `kube-assay results`) reads these lines back from the log and
// accepts a transferred file only when its bytes match (a truncated transfer is caught).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { pause } from '../cluster/pause.js';
import { formatDuration } from '../cluster/timeouts.js';

const RESULT_PREFIX = 'kube-assay-result:';
const EXIT_PREFIX = 'kube-assay-exit:';

export interface PublishedFile {
  name: string;
  sha256: string;
  bytes: number;
}

export interface Published {
  files: PublishedFile[];
  /** The run's exit code, once the runner printed it. */
  exitCode?: number;
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export function resultLine(file: PublishedFile): string {
  return `${RESULT_PREFIX} sha256=${file.sha256} bytes=${file.bytes} file=${file.name}`;
}

export function exitLine(code: number): string {
  return `${EXIT_PREFIX} ${code}`;
}

/** The lines the runner prints for the reports at `paths`, with the run's exit code last. */
export async function publishedLines(paths: readonly string[], exitCode: number): Promise<string[]> {
  const lines: string[] = [];
  for (const path of paths) {
    const data = await readFile(path);
    lines.push(resultLine({ name: basename(path), sha256: sha256Hex(data), bytes: data.length }));
  }
  lines.push(exitLine(exitCode));
  return lines;
}

const RESULT_PATTERN = /^kube-assay-result: sha256=([0-9a-f]{64}) bytes=(\d+) file=([A-Za-z0-9._-]+)$/;
const EXIT_PATTERN = /^kube-assay-exit: (\d{1,3})$/;

/** Reads the published lines back from a runner's log; the last set printed wins. */
export function parsePublished(log: string): Published {
  const files = new Map<string, PublishedFile>();
  let exitCode: number | undefined;
  for (const raw of log.split('\n')) {
    const line = raw.trim();
    const result = RESULT_PATTERN.exec(line);
    if (result?.[1] !== undefined && result[2] !== undefined && result[3] !== undefined) {
      files.set(result[3], { sha256: result[1], bytes: Number(result[2]), name: result[3] });
      continue;
    }
    const exit = EXIT_PATTERN.exec(line);
    if (exit?.[1] !== undefined) exitCode = Number(exit[1]);
  }
  return { files: [...files.values()], ...(exitCode === undefined ? {} : { exitCode }) };
}

/** The error in a transferred file, or undefined when it is the published one. */
export function transferProblem(expected: PublishedFile, data: Buffer): string | undefined {
  if (data.length !== expected.bytes) {
    return `${expected.name}: received ${data.length} bytes, the runner published ${expected.bytes}${data.length < expected.bytes ? ' (truncated)' : ''}`;
  }
  const got = sha256Hex(data);
  return got === expected.sha256 ? undefined : `${expected.name}: SHA-256 ${got} differs from the published ${expected.sha256}`;
}

/** After publishing: keeps the process (and so the pod and its files) alive for `seconds`, or
 *  until `signal` aborts (SIGTERM when the pod or its namespace is deleted). */
export async function holdResults(seconds: number, say: (line: string) => void, signal: AbortSignal, namespace?: string): Promise<void> {
  if (seconds <= 0) return;
  const how = namespace === undefined ? 'kube-assay results --namespace NAMESPACE' : `kube-assay results --namespace ${namespace}`;
  say(`holding the results for ${formatDuration(seconds * 1000)}: retrieve them with \`${how}\`; deleting the namespace ends the hold`);
  try {
    await pause(seconds * 1000, signal);
  } catch {
    // Stopped early: the results were retrieved, or the pod is being deleted.
  }
}
