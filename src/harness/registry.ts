// What the specs declared: suites (name, title) and checks (stable ID, title, tags,
// remediation), plus the per-execution record a check fills while it runs (attachments,
// warnings, skip reason). The reporter reads both when it turns mocha events into results.
// Keyed by mocha's own Suite/Test objects, so nothing depends on parsing titles.
import type { Attachment } from '../report/model.js';
import type { TimeoutName } from '../cluster/timeouts.js';
import type { PodSecurityLevel } from '../cluster/namespaces.js';

/** A suite's own check budget: its name in the suite's timeouts table and the unscaled ms. */
export interface CheckTimeout {
  name: string;
  ms: number;
}

export interface CheckOptions {
  /** What an operator should do when this check fails (shown with the failure). */
  remediation?: string;
  tags?: string[];
  /** Create a fresh namespace for the check (default true); false for read-only checks. */
  namespace?: boolean;
  /** Pod Security level enforced on the check's namespaces (default `baseline`). */
  podSecurity?: PodSecurityLevel;
  /** Named timeout bounding the whole check (default `check`): a shared one, or one of the
   *  suite's own table (e.g. `netpolDeadline`'s entries, as `{ name, ms }` before scaling). */
  timeout?: TimeoutName | CheckTimeout;
  /** Safe to run again after a failure (read-only, or works only in its own namespaces), so
   *  `--retries N` may repeat it; a pass on a retry is reported `flaky`. Default false. */
  retryable?: boolean;
  /** Why the check exists and how it is verified, for `kube-assay explain` (catalogue checks
   *  fill it from their entry). */
  details?: CheckDetails;
}

export interface CheckDetails {
  rationale?: string;
  verification?: string;
  /** Benchmark sections per profile, e.g. { 'cis-generic': ['4.2.1'] }. */
  references?: Readonly<Record<string, readonly string[]>>;
}

export interface CheckMeta {
  id: string;
  title: string;
  suite: string;
  tags: string[];
  remediation?: string;
  namespace: boolean;
  podSecurity: PodSecurityLevel;
  timeout: TimeoutName | CheckTimeout;
  retryable?: boolean;
  details?: CheckDetails;
}

export interface SuiteMeta {
  name: string;
  title: string;
}

export interface CheckRecord {
  attachments: Attachment[];
  warnings: string[];
  skipReason?: string;
  steps: string[];
}

const ID_PATTERN = /^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)+$/;

const suitesByName = new Map<string, SuiteMeta>();
const suiteOfMochaSuite = new WeakMap<Mocha.Suite, string>();
const checksById = new Map<string, CheckMeta>();
const checkOfTest = new WeakMap<Mocha.Runnable, CheckMeta>();
const recordOfTest = new WeakMap<Mocha.Runnable, CheckRecord>();

export function registerSuite(meta: SuiteMeta, mochaSuite: Mocha.Suite): void {
  const existing = suitesByName.get(meta.name);
  if (existing === undefined) suitesByName.set(meta.name, meta);
  suiteOfMochaSuite.set(mochaSuite, meta.name);
}

/** Validates and registers a check; a bad or duplicate ID is a bug in a spec, caught at load. */
export function registerCheck(meta: CheckMeta): void {
  if (!ID_PATTERN.test(meta.id)) {
    throw new Error(`check ID "${meta.id}" is not stable-ID shaped (lowercase words separated by '/' and '-', e.g. "${meta.suite}/dns-service")`);
  }
  if (!meta.id.startsWith(`${meta.suite}/`)) {
    throw new Error(`check ID "${meta.id}" must start with its suite name "${meta.suite}/"`);
  }
  if (checksById.has(meta.id)) throw new Error(`check ID "${meta.id}" is declared twice`);
  checksById.set(meta.id, meta);
}

export function bindTest(test: Mocha.Runnable, meta: CheckMeta): void {
  checkOfTest.set(test, meta);
}

export function checkOf(test: Mocha.Runnable): CheckMeta | undefined {
  // A retry runs a clone of the test; the clone knows the test it was cloned from.
  return checkOfTest.get(test) ?? checkOfTest.get(firstAttempt(test));
}

/** The test object of a check's first attempt (mocha retries clones of it). */
export function firstAttempt(test: Mocha.Runnable): Mocha.Runnable {
  const retried = 'retriedTest' in test && typeof test.retriedTest === 'function' ? (test.retriedTest as () => unknown)() : undefined;
  return retried !== null && typeof retried === 'object' ? (retried as Mocha.Runnable) : test;
}

/** The registered suite a mocha runnable or suite belongs to (nearest registered ancestor). */
export function suiteNameOf(node: Mocha.Runnable | Mocha.Suite): string | undefined {
  // A Suite has child `suites`; a Test or Hook does not and hangs off its `parent` suite.
  let current: Mocha.Suite | undefined = 'suites' in node ? node : node.parent;
  while (current !== undefined) {
    const name = suiteOfMochaSuite.get(current);
    if (name !== undefined) return name;
    current = current.parent;
  }
  return undefined;
}

export function newRecord(test: Mocha.Runnable): CheckRecord {
  const record: CheckRecord = { attachments: [], warnings: [], steps: [] };
  recordOfTest.set(test, record);
  return record;
}

export function recordOf(test: Mocha.Runnable): CheckRecord | undefined {
  return recordOfTest.get(test);
}

export function registeredSuites(): SuiteMeta[] {
  return [...suitesByName.values()];
}

export function registeredChecks(): CheckMeta[] {
  return [...checksById.values()];
}
