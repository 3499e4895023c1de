// Writes the report files of a run. All are rendered before any is written, and each
// file is written to a temporary name and renamed, so a failing writer or an interrupted run
// never leaves a half-written or mismatched set behind.

import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { RunReport } from './model.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJUnit } from './junit.js';
import { renderSarif } from './sarif.js';

export const REPORT_FILES = { junit: 'junit.xml', json: 'report.json', html: 'report.html', sarif: 'report.sarif' } as const;

export interface WrittenReports {
  junit: string;
  json: string;
  html: string;
  sarif: string;
}

/** Writes junit.xml, report.json, report.html and report.sarif into `dir` (created if missing) and returns
 *  their absolute paths. */
export async function writeReports(report: RunReport, dir: string): Promise<WrittenReports> {
  const contents = { junit: renderJUnit(report), json: renderJson(report), html: renderHtml(report), sarif: renderSarif(report) };
  const root = resolve(dir);
  await mkdir(root, { recursive: true });
  const paths: WrittenReports = {
    junit: join(root, REPORT_FILES.junit),
    json: join(root, REPORT_FILES.json),
    html: join(root, REPORT_FILES.html),
    sarif: join(root, REPORT_FILES.sarif),
  };
  for (const key of ['json', 'junit', 'html', 'sarif'] as const) {
    const temporary = `${paths[key]}.${process.pid}.tmp`;
    await writeFile(temporary, contents[key], 'utf8');
    await rename(temporary, paths[key]);
  }
  return paths;
}
