// The one result model of a kube-assay run. Every report writer (JUnit, JSON, HTML) and the
// exit code are pure functions of a RunReport; nothing else carries results.

/** Version of the report.json format; bump the major on any incompatible change. */
export const REPORT_SCHEMA_VERSION = '1.0.0';

/** Outcome of one check. `warn` is a soft failure (manual or advisory check). */
export type CheckStatus = 'passed' | 'failed' | 'skipped' | 'warn';

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
  verdict: Verdict;
}

export interface RunReport {
  schemaVersion: string;
  metadata: RunMetadata;
  summary: Summary;
  suites: SuiteResult[];
}

/** Counts the checks of all suites and derives the verdict: any failure fails the run,
 *  and a run in which nothing passed or failed is `unknown`, never `passed`. */
export function summarize(suites: readonly SuiteResult[]): Summary {
  const summary: Summary = { total: 0, passed: 0, failed: 0, skipped: 0, warn: 0, verdict: 'unknown' };
  for (const suite of suites) {
    for (const check of suite.checks) {
      summary.total += 1;
      summary[check.status] += 1;
    }
  }
  if (summary.failed > 0) summary.verdict = 'failed';
  else if (summary.passed + summary.warn > 0) summary.verdict = 'passed';
  return summary;
}
