// Writes compare.json, compare.html and compare-junit.xml, all rendered before any is written and
// each renamed into place, like the run's reports (src/report/write.ts).
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Comparison } from './compare.js';
import { renderComparisonHtml } from './compare-html.js';
import { renderComparisonJUnit } from './compare-junit.js';

export const COMPARE_FILES = { json: 'compare.json', html: 'compare.html', junit: 'compare-junit.xml' } as const;

export function renderComparisonJson(comparison: Comparison): string {
  return `${JSON.stringify(comparison, null, 2)}\n`;
}

export async function writeComparison(comparison: Comparison, dir: string, durations?: ReadonlyMap<string, number>): Promise<Record<keyof typeof COMPARE_FILES, string>> {
  const contents = { json: renderComparisonJson(comparison), html: renderComparisonHtml(comparison), junit: renderComparisonJUnit(comparison, durations) };
  const root = resolve(dir);
  await mkdir(root, { recursive: true });
  const paths = { json: join(root, COMPARE_FILES.json), html: join(root, COMPARE_FILES.html), junit: join(root, COMPARE_FILES.junit) };
  for (const key of ['json', 'junit', 'html'] as const) {
    const temporary = `${paths[key]}.${process.pid}.tmp`;
    await writeFile(temporary, contents[key], 'utf8');
    await rename(temporary, paths[key]);
  }
  return paths;
}
