import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { renderHtml } from '../../../src/report/html.js';
import { renderJson } from '../../../src/report/json.js';
import { renderSarif } from '../../../src/report/sarif.js';
import { renderJUnit } from '../../../src/report/junit.js';
import { writeReports } from '../../../src/report/write.js';
import { sampleReport } from '../../golden/sample-report.js';

describe('writeReports', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kube-assay-write-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the directory and writes the four reports, leaving no temporary files', async () => {
    const report = sampleReport();
    const target = join(dir, 'nested', 'reports');
    const paths = await writeReports(report, target);
    expect(paths).to.deep.equal({
      junit: join(target, 'junit.xml'),
      json: join(target, 'report.json'),
      html: join(target, 'report.html'),
      sarif: join(target, 'report.sarif'),
    });
    expect(readFileSync(paths.junit, 'utf8')).to.equal(renderJUnit(report));
    expect(readFileSync(paths.json, 'utf8')).to.equal(renderJson(report));
    expect(readFileSync(paths.html, 'utf8')).to.equal(renderHtml(report));
    expect(readFileSync(paths.sarif, 'utf8')).to.equal(renderSarif(report));
    expect(readdirSync(target).sort()).to.deep.equal(['junit.xml', 'report.html', 'report.json', 'report.sarif']);
  });

  it('overwrites the reports of an earlier run in the same directory', async () => {
    const first = sampleReport();
    await writeReports(first, dir);
    const second = sampleReport();
    second.metadata.runId = 'ka-second';
    const paths = await writeReports(second, dir);
    expect(readFileSync(paths.json, 'utf8')).to.include('"runId": "ka-second"');
  });
});
