// Applies waivers to a run's report: a failed check an unexpired waiver matches becomes `waived`
// (never `passed`); with `match`, only matching offender rows are waived and the check stays
// failed while others remain; an expired waiver waives nothing and the check says so. Pure, with
// the clock injected, so expiry is tested without waiting for a date.
import type { AppliedWaiver, CheckResult, RunReport, WaiverUse } from '../report/model.js';
import { summarize } from '../report/model.js';
import { offendersOf, type Offender } from '../report/offenders.js';
import { outcomeNote } from '../report/outcome-note.js';
import type { Waiver, WaiversFile } from './waivers-file.js';

/** `*` any run of characters, `?` one; everything else literal. */
export function globMatches(pattern: string, value: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(value);
}

/** A waiver applies through the whole of its `expires` day, UTC. */
export function isExpired(waiver: Pick<Waiver, 'expires'>, now: Date): boolean {
  return now.toISOString().slice(0, 10) > waiver.expires;
}

function rowMatches(offender: Offender, match: NonNullable<Waiver['match']>): boolean {
  return Object.entries(match).every(([column, pattern]) => {
    const cell = offender.cells[column];
    return cell !== undefined && pattern !== undefined && globMatches(pattern, cell);
  });
}

/** Offender keys the waiver covers on this check; undefined when it covers the whole check. */
function coverage(waiver: Waiver, check: CheckResult): string[] | undefined {
  if (waiver.match === undefined) return undefined;
  const match = waiver.match;
  return offendersOf(check).filter((o) => rowMatches(o, match)).map((o) => o.key);
}

function applied(waiver: Waiver, effect: AppliedWaiver['effect'], offenders?: string[]): AppliedWaiver {
  const out: AppliedWaiver = { check: waiver.check, reason: waiver.reason, owner: waiver.owner, expires: waiver.expires, effect };
  if (offenders !== undefined) out.offenders = offenders;
  return out;
}

/** Undoes an earlier application (a report written by `run --waivers` compared with new ones). */
function unwaive(check: CheckResult): void {
  if (check.status === 'waived') check.status = 'failed';
  delete check.waiver;
}

export function applyWaivers(input: RunReport, waivers: WaiversFile, now: Date): RunReport {
  const report = structuredClone(input);
  const uses = waivers.waivers.map((w) => ({ waiver: w, checks: new Set<string>() }));
  for (const suite of report.suites) {
    for (const check of suite.checks) {
      unwaive(check);
      if (check.status !== 'failed') continue;
      const all = offendersOf(check).map((o) => o.key);
      const waivedRows = new Set<string>();
      let first: Waiver | undefined;
      let expired: Waiver | undefined;
      for (const use of uses) {
        const { waiver } = use;
        if (!globMatches(waiver.check, check.id)) continue;
        const covered = coverage(waiver, check);
        if (covered !== undefined && covered.length === 0) continue;
        use.checks.add(check.id);
        if (isExpired(waiver, now)) {
          expired ??= waiver;
          continue;
        }
        first ??= waiver;
        for (const key of covered ?? all) waivedRows.add(key);
        if (covered === undefined) {
          check.status = 'waived';
          check.waiver = applied(waiver, 'waived');
          break;
        }
      }
      if (check.status === 'waived') continue;
      if (first !== undefined) {
        const rows = all.filter((k) => waivedRows.has(k));
        const whole = rows.length === all.length;
        if (whole) check.status = 'waived';
        check.waiver = applied(first, whole ? 'waived' : 'partial', rows);
      } else if (expired !== undefined) {
        check.waiver = applied(expired, 'expired');
      }
    }
  }
  const entries: WaiverUse[] = uses.map(({ waiver, checks }) => {
    const entry: WaiverUse = {
      check: waiver.check,
      reason: waiver.reason,
      owner: waiver.owner,
      expires: waiver.expires,
      state: isExpired(waiver, now) ? 'expired' : checks.size > 0 ? 'used' : 'unused',
      checks: [...checks],
    };
    if (waiver.match !== undefined) entry.match = { ...waiver.match } as Record<string, string>;
    return entry;
  });
  report.waivers = { file: waivers.file, entries };
  report.summary = summarize(report.suites);
  return report;
}

/** Lines for the terminal after the run: each failure a waiver accepted (the live result line
 *  said FAIL before the waivers were applied), then the waivers that did not waive, unused and
 *  expired ones, each named by its check and its match so two waivers of one check differ. */
export function waiverNotes(report: RunReport): string[] {
  const accepted = report.suites.flatMap((suite) => suite.checks)
    .filter((c) => c.waiver !== undefined && c.waiver.effect !== 'expired')
    .map((c) => `${c.id} ${c.status === 'waived' ? 'is waived' : 'stays failed, partly waived'}: ${outcomeNote(c)}`);
  const idle = (report.waivers?.entries ?? []).flatMap((w) => {
    const name = `waiver ${w.check}${w.match === undefined ? '' : ` (match ${Object.entries(w.match).map(([k, v]) => `${k}=${v}`).join(', ')})`} (owner ${w.owner})`;
    if (w.state === 'unused') return [`${name} is unused: it matched no failure in this run; remove it from ${report.waivers?.file} once the failure is gone for good`];
    if (w.state === 'expired') {
      const which = w.checks.length > 0 ? `; ${w.checks.join(', ')} fail(s) again` : '';
      return [`${name} expired on ${w.expires} and waives nothing${which}`];
    }
    return [];
  });
  return [...accepted, ...idle];
}
