// Validates a report.json against the shipped JSON Schema (ajv, strict mode), then against the
// rules docs/reports.md asks of a reader and a schema cannot state: the summary matches the
// checks, IDs are unique, tables are rectangular. `kube-assay compare` and `run --baseline` read
// reports back through this (src/gate/load-report.ts); the tests use it to keep the writer and
// the schema in step.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { packageRoot } from '../config/paths.js';
import { summarize, type RunReport } from './model.js';

export const REPORT_SCHEMA_FILE = 'schemas/report.schema.json';

export interface ReportValidationError {
  /** JSON Pointer into the report, e.g. `/suites/0/checks/2/status`; `` is the whole report. */
  path: string;
  /** The schema keyword (`enum`, `required`, ...) or semantic rule (`unique-check-id`, ...) broken. */
  rule: string;
  /** One sentence saying what is wrong and what is allowed. */
  message: string;
}

export type ReportValidationResult =
  | { ok: true; report: RunReport }
  | { ok: false; errors: ReportValidationError[] };

let compiled: ValidateFunction | undefined;

function reportValidator(): ValidateFunction {
  if (!compiled) {
    const schema: unknown = JSON.parse(readFileSync(join(packageRoot, REPORT_SCHEMA_FILE), 'utf8'));
    const ajv = new Ajv2020({ strict: true, allErrors: true, verbose: true, discriminator: true });
    compiled = ajv.compile(schema as object);
  }
  return compiled;
}

/** Checks that `value` (parsed report.json) is a well-formed RunReport. */
export function validateReport(value: unknown): ReportValidationResult {
  const validate = reportValidator();
  if (!validate(value)) {
    // The discriminator repeats what the `kind` enum or `required` already said about the same
    // attachment; one error per mistake reads better.
    const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'discriminator');
    return { ok: false, errors: errors.map(fromAjvError) };
  }
  const report = value as RunReport;
  const errors = semanticErrors(report);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, report };
}

/** Errors as lines for a terminal: `<source>: <path>: <message>`. */
export function formatReportErrors(errors: readonly ReportValidationError[], source = 'report.json'): string {
  return errors.map((e) => `${source}: ${e.path || '(root)'}: ${e.message}`).join('\n');
}

function fromAjvError(error: ErrorObject): ReportValidationError {
  const path = error.instancePath;
  const params = error.params as Record<string, unknown>;
  const got = error.data === undefined ? '' : `; got ${abbreviate(JSON.stringify(error.data))}`;
  let message: string;
  switch (error.keyword) {
    case 'required':
      message = `missing required property "${String(params.missingProperty)}"`;
      break;
    case 'additionalProperties':
      message = `unknown property "${String(params.additionalProperty)}" (not in report schema ${REPORT_SCHEMA_FILE})`;
      break;
    case 'enum':
      message = `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}${got}`;
      break;
    case 'const':
      message = `must be ${JSON.stringify(params.allowedValue)}${got}`;
      break;
    default:
      message = `${error.message ?? 'is invalid'}${got}`;
  }
  return { path, rule: error.keyword, message };
}

/** A wrong value is quoted in the message, but a whole suite is too long to read in a terminal. */
function abbreviate(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

function semanticErrors(report: RunReport): ReportValidationError[] {
  const errors: ReportValidationError[] = [];
  const suiteNames = new Set<string>();
  const checkIds = new Map<string, string>();
  report.suites.forEach((suite, s) => {
    if (suiteNames.has(suite.name)) {
      errors.push({ path: `/suites/${s}/name`, rule: 'unique-suite-name', message: `suite "${suite.name}" appears more than once` });
    }
    suiteNames.add(suite.name);
    suite.checks.forEach((check, c) => {
      const path = `/suites/${s}/checks/${c}`;
      const first = checkIds.get(check.id);
      if (first !== undefined) {
        errors.push({ path: `${path}/id`, rule: 'unique-check-id', message: `check ID "${check.id}" is already used at ${first}` });
      } else {
        checkIds.set(check.id, path);
      }
      check.attachments.forEach((attachment, a) => {
        if (attachment.kind !== 'table') return;
        const where = `${path}/attachments/${a}`;
        attachment.rows.forEach((row, r) => {
          if (row.length !== attachment.columns.length) {
            errors.push({ path: `${where}/rows/${r}`, rule: 'table-shape', message: `row has ${row.length} cells but the table has ${attachment.columns.length} columns` });
          }
        });
        if (attachment.marks && (attachment.marks.length !== attachment.rows.length ||
          attachment.marks.some((marks, r) => marks.length !== attachment.rows[r]?.length))) {
          errors.push({ path: `${where}/marks`, rule: 'table-shape', message: 'marks must have the same shape as rows' });
        }
      });
    });
  });
  const expected = summarize(report.suites);
  for (const key of ['total', 'passed', 'failed', 'skipped', 'warn', 'waived', 'flaky', 'verdict'] as const) {
    // waived and flaky are absent from format 1.0 files, which cannot hold those statuses.
    if ((report.summary[key] ?? 0) !== expected[key]) {
      errors.push({
        path: `/summary/${key}`,
        rule: 'summary-consistent',
        message: `is ${JSON.stringify(report.summary[key])} but the checks give ${JSON.stringify(expected[key])}`,
      });
    }
  }
  return errors;
}
