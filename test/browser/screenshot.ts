// Renders a report and saves a PNG of it, for the README and docs/reports.md:
//   npx tsc -p tsconfig.json && node dist/test/browser/screenshot.js docs/report-screenshot.png [report.json]
// With a report.json (e.g. of a real testbed run) it renders that; otherwise the golden sample.
// Not a test; it uses the same Chromium setup as the browser tests.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RunReport } from '../../src/report/model.js';
import { writeReports } from '../../src/report/write.js';
import { sampleReport } from '../golden/sample-report.js';
import { chromiumMissingReason, launchChromium } from './chromium.js';

async function main(): Promise<void> {
  const target = resolve(process.argv[2] ?? 'docs/report-screenshot.png');
  const missing = chromiumMissingReason();
  if (missing) throw new Error(missing);
  const dir = mkdtempSync(join(tmpdir(), 'kube-assay-shot-'));
  const chromium = await launchChromium();
  try {
    const source = process.argv[3];
    const report = source ? (JSON.parse(readFileSync(source, 'utf8')) as RunReport) : sampleReport();
    const { html } = await writeReports(report, dir);
    const page = await chromium.context.newPage();
    await page.setViewportSize({ width: 1200, height: 900 });
    await page.goto(pathToFileURL(html).href);
    // Docs show the top of long reports: summary, filters and the first failures.
    const height = Math.min(await page.evaluate(() => document.documentElement.scrollHeight), 2300);
    await page.screenshot({ path: target, fullPage: true, clip: { x: 0, y: 0, width: 1200, height } });
    process.stdout.write(`wrote ${target}\n`);
  } finally {
    await chromium.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`screenshot failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
