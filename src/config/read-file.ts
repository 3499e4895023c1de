// Reading a file the user named (config, waivers, expectations, a report): one place that
// turns a failed read into the caller's one-sentence error, named by the errno (ENOENT, EACCES).
import { readFileSync } from 'node:fs';

export function readUserFile(path: string, refuse: (code: string) => Error): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : 'unreadable';
    throw refuse(code);
  }
}
