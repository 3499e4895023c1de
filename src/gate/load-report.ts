// Reads a report.json for the upgrade gate (compare, run --baseline). Anything that is not a
// report of this major version is one sentence naming the file and what to pass instead (exit 2).
import { readUserFile } from '../config/read-file.js';
import { UsageError } from '../errors.js';
import { REPORT_SCHEMA_VERSION, type RunReport } from '../report/model.js';
import { formatReportErrors, validateReport } from '../report/validate.js';

const MAJOR = REPORT_SCHEMA_VERSION.split('.')[0] ?? '1';

/** Parses and validates `path`; `role` (baseline, current) names it in errors. */
export function loadReportFile(path: string, role: string): RunReport {
  const text = readUserFile(path, (code) => new UsageError(`${role} report ${path} cannot be read (${code}): pass the report.json a kube-assay run wrote.`));
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`${role} report ${path} is not JSON, so not a kube-assay report: pass the report.json a kube-assay run wrote.`);
  }
  return parseReport(value, path, role);
}

export function parseReport(value: unknown, path: string, role: string): RunReport {
  const version = isRecord(value) ? value.schemaVersion : undefined;
  if (!isRecord(value) || typeof version !== 'string' || !Array.isArray(value.suites)) {
    throw new UsageError(`${role} report ${path} is not a kube-assay report (no schemaVersion and suites): pass the report.json a kube-assay run wrote.`);
  }
  const major = version.split('.')[0];
  if (major !== MAJOR) {
    throw new UsageError(`${role} report ${path} has report format ${version}, but this kube-assay reads format ${MAJOR}.x (it writes ${REPORT_SCHEMA_VERSION}): compare reports written by kube-assay versions of the same format major.`);
  }
  const result = validateReport(value);
  if (!result.ok) {
    const first = formatReportErrors(result.errors.slice(0, 1), path);
    const more = result.errors.length > 1 ? ` (and ${result.errors.length - 1} more problems)` : '';
    throw new UsageError(`${role} report is not a valid kube-assay report: ${first}${more}; pass an unmodified report.json.`);
  }
  return result.report;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
