// The one result model of a kube-assay run. Every report writer (JUnit, JSON, HTML) and the
// exit code are pure functions of a RunReport; nothing else carries results.

/** Version of the report.json format; bump the major on any incompatible change. */
export const REPORT_SCHEMA_VERSION = '1.1.0';

/** Outcome of one check. `warn` is a soft failure (manual or advisory check); `waived` a failure
 *  an unexpired waiver accepts; `flaky` a check that failed and then passed on a retry. */
export type CheckStatus = 'passed' | 'failed' | 'skipped' | 'warn' | 'waived' | 'flaky';

/** The verdict of a whole run. Zero executed checks is `unknown`, never `passed`. */
export type Verdict = 'passed' | 'failed' | 'unknown';

export type Platform = 'eks' | 'testbed' | 'generic';

/** A table such as a connectivity truth table: rows of cells under named columns. */
export interface TableAttachment {
  kind: 'table';
  title: string;
  columns: string[];
  rows: string[][];
  /** Optional per-cell marks, same shape as rows: `bad` cells are highlighted as mismatches. */
  marks?: Array<Array<'ok' | 'bad' | null>>;
}

/** Free text such as pod logs, events or a reproduction command. */
export interface TextAttachment {
  kind: 'text';
  title: string;
  body: string;
}

export type Attachment = TableAttachment | TextAttachment;

export interface CheckResult {
  /** Stable ID, e.g. `conformance/dns-service`; never changes once published. */
  id: string;
  title: string;
  status: CheckStatus;
  durationMs: number;
  tags: string[];
  /** One-line reason for failed/skipped/warn. */
  message?: string;
  /** Longer explanation, e.g. expected vs observed. */
  details?: string;
  /** What an operator should do to fix a failure. */
  remediation?: string;
  attachments: Attachment[];
  /** The waiver that applied to this failure (status `waived`, or `failed` when it expired or
   *  waived only some offenders). */
  waiver?: AppliedWaiver;
  /** How many times the check ran, when it was retried (status `flaky`, or `failed` after retries). */
  attempts?: number;
}

/** A waiver as it acted on one check (see src/gate/waivers.ts). */
export interface AppliedWaiver {
  /** The waiver's `check` (an ID or a glob such as `cis/kubelet-*`). */
  check: string;
  reason: string;
  owner: string;
  /** Last day (UTC, YYYY-MM-DD) on which the waiver applies. */
  expires: string;
  /** `waived`: the whole failure is accepted; `partial`: some offenders are, others remain;
   *  `expired`: the waiver would match but its date has passed. */
  effect: 'waived' | 'partial' | 'expired';
  /** Offender keys (src/report/offenders.ts) the waiver accepted, when it has a `match`. */
  offenders?: string[];
}

/** One entry of the waivers file and what it did in this run. */
export interface WaiverUse {
  check: string;
  reason: string;
  owner: string;
  expires: string;
  match?: Record<string, string>;
  /** `used`: it waived something; `unused`: it matched no failure; `expired`. */
  state: 'used' | 'unused' | 'expired';
  /** IDs of the checks it waived (or would have, when expired). */
  checks: string[];
}

export interface SuiteResult {
  /** Suite name as given to `--suite`, e.g. `conformance`. */
  name: string;
  title: string;
  durationMs: number;
  checks: CheckResult[];
}

export interface ClusterInfo {
  context: string;
  server: string;
  /** Kubernetes server gitVersion, e.g. `v1.36.3`. */
  version: string;
  platform: Platform;
  nodeCount: number;
}

export interface RunMetadata {
  tool: { name: 'kube-assay'; version: string };
  runId: string;
  startedAt: string; // ISO 8601
  finishedAt: string; // ISO 8601
  durationMs: number;
  cluster: ClusterInfo;
  /** The options that shaped the run, for reproducing it. */
  options: {
    suites: string[];
    grep?: string;
    parallel: number;
    timeoutScale: number;
  };
}

export interface Summary {
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  warn: number;
  /** Optional in report format 1.0 readers' files; summarize() always sets them. */
  waived?: number;
  flaky?: number;
  verdict: Verdict;
}

export interface RunReport {
  schemaVersion: string;
  metadata: RunMetadata;
  summary: Summary;
  suites: SuiteResult[];
  /** The waivers file of the run and what each waiver did (absent without --waivers). */
  waivers?: { file: string; entries: WaiverUse[] };
}

/** Counts the checks of all suites and derives the verdict: one failure fails the run,
 *  and a run in which nothing passed or failed is `unknown`, never `passed`. A waived failure
 *  does not fail the run but proves nothing either; a flaky check did pass in the end. */
export function summarize(suites: readonly SuiteResult[]): Required<Summary> {
  const summary: Required<Summary> = { total: 0, passed: 0, failed: 0, skipped: 0, warn: 0, waived: 0, flaky: 0, verdict: 'unknown' };
  for (const suite of suites) {
    for (const check of suite.checks) {
      summary.total += 1;
      summary[check.status] += 1;
    }
  }
  if (summary.failed > 0) summary.verdict = 'failed';
  else if (summary.passed + summary.warn + summary.flaky > 0) summary.verdict = 'passed';
  return summary;
}
