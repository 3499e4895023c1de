// Copying the published reports out of the runner pod into --report-dir. Each file is read by
// an exec of the image's own node (the image has no shell and no cat), checked against the
// size and SHA-256 the runner published in its log, and written only when it matches; a short
// or corrupt transfer is retried, and after the last attempt it is an error naming the file.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ClusterClients } from '../cluster/client.js';
import { execInContainer } from '../cluster/exec.js';
import type { Deadline } from '../cluster/wait.js';
import { IMAGE_NODE, RUNNER_PATHS } from './objects.js';
import type { RunnerRef } from './follow.js';
import { transferProblem, type Published, type PublishedFile } from './publish.js';

export const RETRIEVE_ATTEMPTS = 3;

/** Writes the named file of the results directory to stdout, bytes as they are. */
const PRINT_FILE = 'process.stdout.write(require("fs").readFileSync(process.argv[1]))';

export function readFileCommand(name: string): string[] {
  return [IMAGE_NODE, '-e', PRINT_FILE, `${RUNNER_PATHS.results}/${name}`];
}

/** Reads one file's bytes from the runner; a test passes its own. */
export type FileReader = (file: PublishedFile) => Promise<Buffer>;

export function execFileReader(clients: ClusterClients, ref: RunnerRef, deadline: Deadline, signal?: AbortSignal): FileReader {
  return async (file) => {
    const result = await execInContainer(clients.kc, ref, readFileCommand(file.name), deadline, signal);
    if (result.exitCode !== 0) throw new Error(`reading ${file.name} in ${ref.namespace}/${ref.pod} exited ${result.exitCode}: ${result.stderr.trim().split('\n')[0] ?? ''}`);
    return Buffer.from(result.stdout, 'utf8');
  };
}

export class RetrievalError extends Error {
  /** The runner's own exit code, when it ended without publishing (e.g. 3: not authorised). */
  constructor(message: string, readonly runnerExitCode?: number) {
    super(message);
  }
}

/** Retrieves every published file into `dir`; returns the paths written. */
export async function retrieveResults(published: Published, read: FileReader, dir: string, say: (line: string) => void): Promise<string[]> {
  if (published.files.length === 0) throw new RetrievalError('the runner published no result files, so there is nothing to retrieve');
  const root = resolve(dir);
  await mkdir(root, { recursive: true });
  const written: string[] = [];
  for (const file of published.files) {
    let problem = '';
    for (let attempt = 1; attempt <= RETRIEVE_ATTEMPTS; attempt++) {
      let data: Buffer;
      try {
        data = await read(file);
      } catch (err) {
        problem = err instanceof Error ? err.message : String(err);
        say(`retrieving ${file.name} (attempt ${attempt}/${RETRIEVE_ATTEMPTS}) failed: ${problem}`);
        continue;
      }
      const wrong = transferProblem(file, data);
      if (wrong === undefined) {
        const path = join(root, file.name);
        await writeFile(`${path}.${process.pid}.tmp`, data);
        await rename(`${path}.${process.pid}.tmp`, path);
        written.push(path);
        problem = '';
        break;
      }
      problem = wrong;
      say(`retrieving ${file.name} (attempt ${attempt}/${RETRIEVE_ATTEMPTS}): ${wrong}; retrying`);
    }
    if (problem !== '') throw new RetrievalError(`could not retrieve ${file.name} intact after ${RETRIEVE_ATTEMPTS} attempts: ${problem}`);
  }
  return written;
}
