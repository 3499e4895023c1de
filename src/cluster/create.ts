// Creating an object with context in the error: `create pod ns/x: 403 pods "x" is forbidden: ...`.
// The API error stays the `cause`, so status codes remain readable by callers (apiStatusCode, ...).
import { withContext } from './api-errors.js';

/** Runs `create` and rethrows its failure as `create <kind> <ref>: <described API error>`. */
export async function createWithContext<T>(kind: string, ref: string, create: () => Promise<T>): Promise<T> {
  try {
    return await create();
  } catch (err) {
    throw withContext(`create ${kind} ${ref}`, err);
  }
}
