// What the live checks of this suite report: one row per thing tried, with what Kubernetes should
// do, what it did and whether that matches. The spec attaches the rows and fails on a wrong one,
// so a failure names every step that went wrong, not only the first.
import type { CheckContext } from '../harness/context.js';
import { CheckFailure } from '../harness/errors.js';

export interface Observation {
  what: string;
  expected: string;
  observed: string;
  ok: boolean;
}

export function observation(what: string, expected: string, observed: string, ok: boolean): Observation {
  return { what, expected, observed, ok };
}

/** Attaches the rows as a table and fails the check when one of them is wrong. */
export function reportObservations(t: Pick<CheckContext, 'attachTable'>, title: string, rows: readonly Observation[]): void {
  t.attachTable(
    title,
    ['what', 'expected', 'observed', 'verdict'],
    rows.map((r) => [r.what, r.expected, r.observed, r.ok ? 'ok' : 'WRONG']),
    rows.map((r) => [null, null, null, r.ok ? 'ok' : 'bad']),
  );
  const wrong = rows.filter((r) => !r.ok);
  if (wrong.length > 0) {
    throw new CheckFailure(`${wrong.length} of ${rows.length} steps went wrong: ${wrong.map((r) => `${r.what}: expected ${r.expected}, observed ${r.observed}`).join('; ')}`);
  }
}
