// Golden-file tests: each writer's output for the sample report (test/golden/sample-report.ts)
// must equal the file under test/golden/sample/. After an intended change to a writer or to the
// sample, regenerate the files and review the diff before committing:
//   npx tsc -p tsconfig.json && UPDATE_GOLDEN=1 npx mocha 'dist/test/unit/report/**/*.test.js'
//   git diff test/golden

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { renderHtml } from '../../../src/report/html.js';
import { renderJson } from '../../../src/report/json.js';
import { renderJUnit } from '../../../src/report/junit.js';
import type { RunReport } from '../../../src/report/model.js';
import { renderSarif } from '../../../src/report/sarif.js';
import { packageRoot } from '../../../src/config/paths.js';
import { sampleReport } from '../../golden/sample-report.js';

const GOLDEN_DIR = join(packageRoot, 'test', 'golden', 'sample');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const writers: Array<[file: string, render: (report: RunReport) => string]> = [
  ['junit.xml', renderJUnit],
  ['report.json', renderJson],
  ['report.html', renderHtml],
  ['report.sarif', renderSarif],
];

describe('report writers: golden files', () => {
  for (const [file, render] of writers) {
    it(`${file} matches test/golden/sample/${file}`, () => {
      const actual = render(sampleReport());
      const path = join(GOLDEN_DIR, file);
      if (UPDATE) {
        mkdirSync(GOLDEN_DIR, { recursive: true });
        writeFileSync(path, actual, 'utf8');
      }
      const expected = readFileSync(path, 'utf8');
      // Compared line by line first so a mismatch names the first differing line, not a blob.
      const actualLines = actual.split('\n');
      const expectedLines = expected.split('\n');
      const first = actualLines.findIndex((line, i) => line !== expectedLines[i]);
      if (first !== -1) {
        expect(actualLines[first], `${file} line ${first + 1} (UPDATE_GOLDEN=1 regenerates)`).to.equal(expectedLines[first]);
      }
      expect(actual, `${file} (UPDATE_GOLDEN=1 regenerates)`).to.equal(expected);
    });
  }

  it('does not depend on the order in which the report object was built', () => {
    const report = sampleReport();
    const reversed = JSON.parse(JSON.stringify(report, (_key, value: unknown) =>
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).reverse())
        : value)) as RunReport;
    for (const [file, render] of writers) expect(render(reversed), file).to.equal(render(report));
  });
});
