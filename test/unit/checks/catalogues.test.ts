// Every entry of every shipped catalogue (suites/*/checks.yaml, and suites/*/checks.<profile>.yaml
// for suites with one catalogue per benchmark profile) is judged against its fact sets in
// test/fixtures/checks/<suite>/<name>.yaml, which must hold at least one passing and one
// non-passing case for each catalogue the entry is in. A case with `profiles` is judged only in
// those profiles' catalogues. Fixture format: docs/checks.md, "Testing a catalogue".
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { evaluateEntry } from '../../../src/checks/engine.js';
import { CATALOGUE_FILE, loadCatalogue } from '../../../src/checks/loader.js';
import type { Catalogue } from '../../../src/checks/types.js';
import type { Fact } from '../../../src/checks/types.js';
import { packageRoot } from '../../../src/config/paths.js';
import { SUITE_PREDICATES } from './catalogue-bindings.js';

interface FixtureCase {
  title: string;
  expect: 'passed' | 'failed' | 'warn' | 'skipped';
  /** Exact message, when given. */
  message?: string;
  /** Objects of the offenders table in order, when given. */
  offenders?: string[];
  /** Profiles whose catalogues the case is judged in (default: every catalogue with the entry). */
  profiles?: string[];
  facts: Fact[];
}

const suitesDir = join(packageRoot, 'suites');
const fixturesDir = join(packageRoot, 'test', 'fixtures', 'checks');
/** Catalogue files of a suite, with the profile a file is named after (checks.<profile>.yaml). */
function catalogueFiles(suite: string): Array<{ file: string; profile?: string }> {
  const dir = join(suitesDir, suite);
  return readdirSync(dir)
    .map((name) => ({ name, match: CATALOGUE_FILE.exec(name) }))
    .filter((f) => f.match !== null)
    .map((f) => ({ file: join(dir, f.name), ...(f.match?.[1] === undefined ? {} : { profile: f.match[1] }) }));
}
const catalogueSuites = readdirSync(suitesDir).filter((s) => existsSync(join(suitesDir, s)) && catalogueFiles(s).length > 0);

describe('checks: shipped catalogues against their fixtures', () => {
  it('GIVEN the suites THEN at least one ships a catalogue and each has its predicates bound for tests', () => {
    expect(catalogueSuites).to.include('storage');
    for (const suite of catalogueSuites) expect(SUITE_PREDICATES, `suite ${suite}: add it to test/unit/checks/catalogue-bindings.ts`).to.have.property(suite);
  });

  for (const suite of catalogueSuites) {
    const predicates = SUITE_PREDICATES[suite] ?? {};
    const catalogues: Array<{ catalogue: Catalogue; profile?: string }> = catalogueFiles(suite).map((f) => ({ catalogue: loadCatalogue(f.file, { predicates }), profile: f.profile }));

    it(`GIVEN ${suite}'s fixture files THEN each belongs to an entry of its catalogue`, () => {
      const dir = join(fixturesDir, suite);
      const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.yaml')) : [];
      const names = catalogues.flatMap(({ catalogue }) => catalogue.entries.map((e) => `${e.id.slice(suite.length + 1)}.yaml`));
      expect(files.filter((f) => !names.includes(f)), 'fixtures without a catalogue entry').to.deep.equal([]);
    });

    for (const { catalogue, profile } of catalogues) {
      for (const entry of catalogue.entries) {
        describe(profile === undefined ? entry.id : `${entry.id} (${profile})`, () => {
          const file = join(fixturesDir, `${entry.id}.yaml`);
          const all = existsSync(file) ? ((parse(readFileSync(file, 'utf8')) as { cases: FixtureCase[] }).cases ?? []) : [];
          const cases = all.filter((c) => c.profiles === undefined || (profile !== undefined && c.profiles.includes(profile)));

          if (entry.notVerifiable !== undefined) {
            // The profile keeps the entry but cannot verify it: every fact set is skipped with the reason.
            it(`GIVEN the profile marks it not verifiable THEN each of its ${all.length} fact sets is skipped saying so`, () => {
              expect(existsSync(file), `missing ${file}`).to.equal(true);
              for (const c of all) expect(evaluateEntry(entry, c.facts, predicates), c.title).to.deep.include({ status: 'skipped', message: `not verifiable: ${entry.notVerifiable}` });
            });
            return;
          }
          it('GIVEN its fixtures THEN there is at least one passing and one non-passing fact set', () => {
            expect(existsSync(file), `missing ${file}`).to.equal(true);
            expect(cases.some((c) => c.expect === 'passed'), 'a passing case').to.equal(true);
            expect(cases.some((c) => c.expect !== 'passed'), 'a failing, warning or skipped case').to.equal(true);
          });

          for (const c of cases) {
            it(`GIVEN ${c.title} THEN it is ${c.expect}${c.message === undefined ? '' : ' with the stated message'}${c.offenders === undefined ? '' : ' naming the offenders'}`, () => {
              const verdict = evaluateEntry(entry, c.facts, predicates);
              expect(verdict.status, verdict.message).to.equal(c.expect);
              if (c.message !== undefined) expect(verdict.message).to.equal(c.message);
              if (c.offenders !== undefined) expect(verdict.offences.map((o) => o.object)).to.deep.equal(c.offenders);
            });
          }
        });
      }
    }
  }
});
