// Assertions for checks that fail with "expected ..., seen ..." in the message, the way an
// operator reads them, instead of chai's generic wording.
import { CheckFailure } from './errors.js';

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value);
  return JSON.stringify(value);
}

export function expectEqual<T>(what: string, expected: T, seen: T, details?: string): void {
  if (JSON.stringify(expected) === JSON.stringify(seen)) return;
  throw new CheckFailure(`${what}: expected ${show(expected)}, seen ${show(seen)}`, { details });
}

export function expectIncludes(what: string, text: string, wanted: string, details?: string): void {
  if (text.includes(wanted)) return;
  throw new CheckFailure(`${what}: expected it to contain ${show(wanted)}, seen ${show(text)}`, { details });
}

export function expectThat(condition: boolean, message: string, details?: string): asserts condition {
  if (!condition) throw new CheckFailure(message, { details });
}
