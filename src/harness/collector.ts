// Builds the suites of the result model from check results as they arrive. Pure: no mocha, no
// cluster, no clock except the one injected, so it is unit-tested directly.
import type { CheckResult, SuiteResult } from '../report/model.js';

export class ResultCollector {
  private readonly suites = new Map<string, { title: string; startedAt: number; endedAt?: number; checks: CheckResult[] }>();

  constructor(private readonly now: () => number = Date.now) {}

  suiteStart(name: string, title: string): void {
    if (!this.suites.has(name)) this.suites.set(name, { title, startedAt: this.now(), checks: [] });
  }

  suiteEnd(name: string): void {
    const suite = this.suites.get(name);
    if (suite !== undefined) suite.endedAt = this.now();
  }

  add(suiteName: string, result: CheckResult, suiteTitle = suiteName): void {
    this.suiteStart(suiteName, suiteTitle);
    this.suites.get(suiteName)?.checks.push(result);
  }

  has(suiteName: string, checkId: string): boolean {
    return this.suites.get(suiteName)?.checks.some((c) => c.id === checkId) ?? false;
  }

  results(): SuiteResult[] {
    return [...this.suites].map(([name, s]) => ({
      name,
      title: s.title,
      durationMs: Math.max(0, (s.endedAt ?? this.now()) - s.startedAt),
      checks: [...s.checks],
    }));
  }
}

/** Merges suite results from several processes (--parallel); a suite split across processes
 *  keeps one entry with all its checks. */
export function mergeSuiteResults(parts: ReadonlyArray<readonly SuiteResult[]>): SuiteResult[] {
  const merged = new Map<string, SuiteResult>();
  for (const part of parts) {
    for (const suite of part) {
      const existing = merged.get(suite.name);
      if (existing === undefined) merged.set(suite.name, { ...suite, checks: [...suite.checks] });
      else {
        existing.checks.push(...suite.checks);
        existing.durationMs = Math.max(existing.durationMs, suite.durationMs);
      }
    }
  }
  return [...merged.values()];
}
