// The verdict of a check. Only specs and the spec-facing helpers in src/harness (and the suite
// libraries above it) decide that a check failed; the layers below throw the neutral errors of
// src/errors.ts, which the reporter turns into failures too.
import { DetailedError } from '../errors.js';

/** Thrown when observed cluster behaviour differs from what a check expects.
 *  `details` carries the longer expected/observed text that goes into the report. */
export class CheckFailure extends DetailedError {
  override readonly name: string = 'CheckFailure';
}
