import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compiledSuitesDir, packageRoot } from '../../../src/config/paths.js';
import { discoverSuites } from '../../../src/harness/discover.js';
import { loadSuiteDefinitions } from '../../../src/harness/suite-loader.js';

describe('suite declarations (suites/<name>/suite.ts)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ka-suites-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A compiled suite folder whose suite.js declares `declared` (or nothing). */
  function suiteFolder(folder: string, declared: string | undefined): void {
    mkdirSync(join(dir, folder));
    writeFileSync(join(dir, folder, 'a.spec.js'), '');
    if (declared === undefined) return;
    const harness = pathToFileURL(join(packageRoot, 'dist', 'src', 'harness', 'suite-definition.js')).href;
    writeFileSync(join(dir, folder, 'suite.js'), `import { defineSuite } from '${harness}';\nexport default defineSuite({ name: '${declared}', title: 'T' });\n`);
  }

  it('GIVEN the built suites THEN every folder has a declaration named after it', async () => {
    const found = discoverSuites(compiledSuitesDir);
    const definitions = await loadSuiteDefinitions(found);
    expect(definitions.map((d) => d.name)).to.deep.equal(found.map((f) => f.name));
    expect(definitions.map((d) => d.name)).to.include.members(['conformance', 'netpol', 'statefulset', 'storage']);
  });

  it('GIVEN a folder with specs but no suite.js THEN the error names the file to add', async () => {
    suiteFolder('orphan', undefined);
    const err = await loadSuiteDefinitions(discoverSuites(dir)).catch((e: unknown) => e);
    expect((err as Error).message).to.include('suite orphan has specs but no declaration').and.include('add suites/orphan/suite.ts');
  });

  it('GIVEN a declaration whose name differs from its folder THEN the error says they must match', async () => {
    suiteFolder('volumes', 'storage2');
    const err = await loadSuiteDefinitions(discoverSuites(dir)).catch((e: unknown) => e);
    expect((err as Error).message).to.include('declares suite "storage2", but its folder is suites/volumes');
  });

  it('GIVEN a suite.js without a default export THEN the error says what to export', async () => {
    suiteFolder('empty', undefined);
    writeFileSync(join(dir, 'empty', 'suite.js'), 'export const x = 1;\n');
    const err = await loadSuiteDefinitions(discoverSuites(dir)).catch((e: unknown) => e);
    expect((err as Error).message).to.include("must export the suite's defineSuite({...}) as its default export");
  });
});
