// Output directories are checked before any work, so a bad --report-dir or --out is the user's
// one-sentence error (exit 2), not a failure after the run.
import { accessSync, constants as fsConstants, mkdirSync } from 'node:fs';
import { networkErrorCode } from '../cluster/api-errors.js';
import { UsageError } from '../errors.js';

/** Fails before the run, not after it, when the reports could not be written. */
export function ensureWritableDir(dir: string, flag = '--report-dir'): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, fsConstants.W_OK);
  } catch (err) {
    const code = networkErrorCode(err) ?? 'unwritable';
    throw new UsageError(`report directory ${dir} cannot be written (${code}): pass a writable directory with ${flag}.`);
  }
}
