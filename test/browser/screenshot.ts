// Renders the sample report and saves a PNG of it, for the README and docs/reports.md:
//   npx tsc -p tsconfig.json && node dist/test/browser/screenshot.js docs/report-screenshot.png
// Not a test; it uses the same Chromium setup as the browser tests.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
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
    const { html } = await writeReports(sampleReport(), dir);
    const page = await chromium.context.newPage();
    await page.setViewportSize({ width: 1200, height: 900 });
    await page.goto(pathToFileURL(html).href);
    await page.screenshot({ path: target, fullPage: true });
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
