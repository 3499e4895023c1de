// report.json writer. The file is the input for comparing two runs (the upgrade gate), so its
// text must depend only on the results: keys are written in one fixed order whatever order the
// producer built the objects in, undefined optional fields are dropped, arrays keep run order.

import type { RunReport } from './model.js';

/** Keys that lead their object, in this order, so that a diff shows identity and outcome first
 *  (`id`, `status`, ...). Keys not listed follow in alphabetical order. */
const KEY_ORDER: readonly string[] = [
  // report
  'schemaVersion', 'metadata', 'summary', 'suites',
  // metadata
  'tool', 'runId', 'startedAt', 'finishedAt',
  // summary
  'verdict', 'total', 'passed', 'failed', 'waived', 'flaky', 'warn', 'skipped',
  // suite, check, attachment, tool, cluster
  'id', 'name', 'kind', 'status', 'title', 'context', 'server', 'version', 'platform', 'nodeCount',
  'durationMs', 'tags', 'message', 'details', 'remediation', 'columns', 'rows', 'marks', 'body',
  'attachments', 'attempts', 'waiver', 'checks',
  // waiver, waivers
  'check', 'effect', 'state', 'reason', 'owner', 'expires', 'match', 'offenders', 'file', 'entries',
  // metadata tail, options
  'cluster', 'options', 'grep', 'parallel', 'timeoutScale',
];
const RANK = new Map(KEY_ORDER.map((key, index) => [key, index]));

function compareKeys(a: string, b: string): number {
  const rankA = RANK.get(a) ?? Number.MAX_SAFE_INTEGER;
  const rankB = RANK.get(b) ?? Number.MAX_SAFE_INTEGER;
  if (rankA !== rankB) return rankA - rankB;
  return a < b ? -1 : a > b ? 1 : 0;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort(compareKeys)) {
      const child: unknown = (value as Record<string, unknown>)[key];
      if (child !== undefined) out[key] = canonical(child);
    }
    return out;
  }
  return value;
}

/** The report as JSON text: fixed key order, two-space indent, trailing newline. */
export function renderJson(report: RunReport): string {
  return `${JSON.stringify(canonical(report), null, 2)}\n`;
}
