// report.html in a real headless Chromium (Debian's `chromium`): it opens from file:// without
// any network request, shows the counts of report.json, and its filters and search work.
// Run: npx mocha --reporter dot 'dist/test/browser/**/*.test.js'
// Without Chromium the tests are skipped with the reason printed, never passed.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { RunReport } from '../../src/report/model.js';
import { writeReports, type WrittenReports } from '../../src/report/write.js';
import { sampleReport } from '../golden/sample-report.js';
import { chromiumMissingReason, launchChromium, type LaunchedChromium } from './chromium.js';

/** Chromium's first start on a 2-core machine takes seconds; each step is quicker. */
const BROWSER_START_TIMEOUT_MS = 60_000;
const STEP_TIMEOUT_MS = 20_000;
/** One click or lookup on a local page; a broken page should fail fast, not after 30 s each. */
const ACTION_TIMEOUT_MS = 5_000;

async function visibleCheckIds(page: Page): Promise<string[]> {
  return page.locator('.check:visible').evaluateAll((els) => els.map((el) => el.getAttribute('data-id') ?? ''));
}

async function visibleStatuses(page: Page): Promise<string[]> {
  return page.locator('.check:visible').evaluateAll((els) => els.map((el) => el.getAttribute('data-status') ?? ''));
}

describe('report.html in headless Chromium', function () {
  this.timeout(BROWSER_START_TIMEOUT_MS);
  let chromium: LaunchedChromium | undefined;
  let dir: string | undefined;
  let written: WrittenReports;
  let report: RunReport;
  let page: Page;
  const requests: string[] = [];
  const pageErrors: string[] = [];

  before(async function () {
    const missing = chromiumMissingReason();
    if (missing) {
      console.log(`      skipped: ${missing}`);
      this.skip();
    }
    dir = mkdtempSync(join(tmpdir(), 'kube-assay-browser-'));
    written = await writeReports(sampleReport(), dir);
    report = JSON.parse(readFileSync(written.json, 'utf8')) as RunReport;
    chromium = await launchChromium();
  });

  after(async () => {
    await chromium?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async function () {
    this.timeout(STEP_TIMEOUT_MS);
    if (!chromium) return;
    page = await chromium.context.newPage();
    page.setDefaultTimeout(ACTION_TIMEOUT_MS);
    page.on('request', (request) => requests.push(request.url()));
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    await page.goto(pathToFileURL(written.html).href);
  });

  afterEach(async () => {
    await page?.close();
  });

  it('opens without errors and without any request besides the file itself', () => {
    expect(pageErrors, 'page errors (a CSP violation shows up here)').to.deep.equal([]);
    expect(requests.filter((url) => url !== pathToFileURL(written.html).href)).to.deep.equal([]);
  });

  it('shows the counts and the verdict of report.json', async () => {
    const shown: Record<string, number> = {};
    for (const key of ['total', 'passed', 'failed', 'skipped', 'warn', 'waived', 'flaky'] as const) {
      shown[key] = Number(await page.locator(`[data-count="${key}"]`).innerText());
    }
    const { verdict, ...counts } = report.summary;
    expect(shown).to.deep.equal(counts);
    expect((await page.locator('#verdict').innerText()).toLowerCase()).to.equal(verdict);
    expect(await page.locator('#shown-count').innerText()).to.equal(`${counts.total} of ${counts.total} checks shown`);
  });

  it('filters by status: failed, waived and flaky (select and tiles) each show only their checks', async () => {
    await page.locator('#filter-status').selectOption('failed');
    expect(await visibleStatuses(page)).to.deep.equal(['failed', 'failed', 'failed']);
    expect(await page.locator('#shown-count').innerText()).to.equal(`3 of ${report.summary.total} checks shown`);
    // Waived and flaky have filters of their own.
    await page.locator('#filter-status').selectOption('waived');
    expect(await visibleCheckIds(page)).to.deep.equal(['conformance/service-endpoints']);
    await page.locator('button[data-status-filter="flaky"]').click();
    expect(await visibleCheckIds(page)).to.deep.equal(['conformance/job-completes']);
    // The summary tiles filter too.
    await page.locator('button[data-status-filter="warn"]').click();
    expect(await visibleCheckIds(page)).to.deep.equal(['netpol/egress-dns']);
    await page.locator('button[data-status-filter="all"]').click();
    expect(await visibleCheckIds(page)).to.have.length(report.summary.total);
  });

  it('filters by suite and hides the other suites', async () => {
    await page.locator('#filter-suite').selectOption('netpol');
    const netpolIds = report.suites.find((s) => s.name === 'netpol')?.checks.map((c) => c.id);
    expect(await visibleCheckIds(page)).to.deep.equal(netpolIds);
    expect(await page.locator('section.suite[data-suite="conformance"]').isVisible()).to.equal(false);
  });

  it('searches IDs, titles, messages and dumps, and says when nothing matches', async () => {
    await page.locator('#filter-search').fill('CoreDNS');
    expect(await visibleCheckIds(page)).to.deep.equal(['conformance/dns-service']);
    await page.locator('#filter-search').fill('default-deny');
    expect(await visibleCheckIds(page)).to.deep.equal(['netpol/default-deny-ingress']);
    await page.locator('#filter-status').selectOption('passed');
    expect(await visibleCheckIds(page)).to.deep.equal([]);
    expect(await page.locator('#no-match').isVisible()).to.equal(true);
  });

  it('renders table attachments as real tables with mismatches highlighted', async () => {
    const table = page.locator('[data-id="netpol/default-deny-ingress"] table.data');
    expect(await table.evaluate((el) => el.tagName)).to.equal('TABLE');
    expect(await table.locator('thead th').allInnerTexts()).to.deep.equal(['from \\ to', 'a/x', 'a/y', 'b/x']);
    expect(await table.locator('tbody tr').count()).to.equal(3);
    const bad = table.locator('td.bad');
    expect(await bad.count()).to.equal(2);
    const [badBackground, okBackground] = await Promise.all([
      bad.first().evaluate((el) => getComputedStyle(el).backgroundColor),
      table.locator('td.ok').first().evaluate((el) => getComputedStyle(el).backgroundColor),
    ]);
    expect(badBackground, 'the inline stylesheet applied (CSP hash matches)').not.to.equal(okBackground);
  });

  it('does not run markup that arrives in check data', async () => {
    const hostile = sampleReport();
    const check = hostile.suites[0]?.checks[3];
    if (!check || !dir) throw new Error('sample report changed');
    check.message = '<img src=x onerror="document.title=\'pwned\'">';
    check.id = '"><script>document.title="pwned"</script>';
    const paths = await writeReports(hostile, join(dir, 'hostile'));
    await page.goto(pathToFileURL(paths.html).href);
    expect(await page.title()).not.to.include('pwned');
    expect(await page.locator('img').count()).to.equal(0);
    expect(await page.locator('.check.check-failed .message').first().innerText()).to.equal(check.message);
  });
});
