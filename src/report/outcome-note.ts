// One sentence about what a waiver or a retry did to a check, shared by every writer so that
// JUnit, HTML and SARIF say the same thing about a waived, partly waived or flaky result.
import type { AppliedWaiver, CheckResult } from './model.js';

/** `waived by <check> (owner, until <date>): <reason>` and the like; empty when nothing applied. */
export function outcomeNote(check: CheckResult): string {
  const parts: string[] = [];
  if (check.waiver !== undefined) parts.push(waiverSentence(check.waiver));
  if (check.attempts !== undefined && check.attempts > 1) {
    parts.push(check.status === 'flaky'
      ? `Flaky: failed ${check.attempts - 1} time(s), then passed on attempt ${check.attempts}.`
      : `Failed on all ${check.attempts} attempts.`);
  }
  return parts.join(' ');
}

export function waiverSentence(waiver: AppliedWaiver): string {
  const who = `waiver "${waiver.check}" (owner ${waiver.owner}, until ${waiver.expires})`;
  switch (waiver.effect) {
    case 'expired':
      return `The ${who} expired on ${waiver.expires} and no longer waives this failure: ${waiver.reason}`;
    case 'partial':
      return `Waived by ${who} for ${waiver.offenders?.length ?? 0} offender(s) only (${(waiver.offenders ?? []).join('; ')}); the others still fail: ${waiver.reason}`;
    case 'waived':
      return `Waived by ${who}: ${waiver.reason}`;
  }
}
