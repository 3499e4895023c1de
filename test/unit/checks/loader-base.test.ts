// Profile catalogues over a base (checks.<profile>.yaml with `base:` and `omit:`): the base's
// entries in order, some left out, some replaced, new ones appended; every mistake is a load error.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateEntry } from '../../../src/checks/engine.js';
import { loadCatalogue } from '../../../src/checks/loader.js';
import { ConfigError } from '../../../src/errors.js';

const entry = (id: string, title = `${id} title`): string => `
  - id: demo/${id}
    title: ${title}
    severity: fail
    rationale: r
    remediation: m
    source: things
    rule: { path: a, op: eq, value: 1 }
    violation: v`;

describe('checks: a profile catalogue over its base', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'catalogue-base-'));
    writeFileSync(join(dir, 'checks.base.yaml'), `suite: demo\nchecks:${entry('one')}${entry('two')}${entry('three')}\n`);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const load = (text: string): ReturnType<typeof loadCatalogue> => {
    writeFileSync(join(dir, 'checks.other.yaml'), text);
    return loadCatalogue(join(dir, 'checks.other.yaml'));
  };
  const failure = (text: string): string => {
    try {
      load(text);
    } catch (err) {
      expect(err).to.be.instanceOf(ConfigError);
      return (err as Error).message;
    }
    throw new Error('expected a load error');
  };

  it('GIVEN omit, a replacement and a new entry THEN the order is the base order, replaced in place, new ones last', () => {
    const loaded = load(`suite: demo\nbase: base\nomit: [demo/two]\nchecks:${entry('three', 'replaced')}${entry('four')}\n`);
    expect(loaded.entries.map((e) => `${e.id}: ${e.title}`)).to.deep.equal(['demo/one: one title', 'demo/three: replaced', 'demo/four: four title']);
  });

  it('GIVEN omit naming an ID the base lacks THEN the load fails naming it and the line', () => {
    expect(failure(`suite: demo\nbase: base\nomit: [demo/nine]\nchecks:${entry('four')}\n`)).to.match(/checks\.other\.yaml:3: \$\.omit\[0\] "demo\/nine" is not an entry of the base catalogue/);
  });

  it('GIVEN an ID both omitted and redefined THEN the load fails', () => {
    expect(failure(`suite: demo\nbase: base\nomit: [demo/one]\nchecks:${entry('one')}\n`)).to.contain('"demo/one" is both omitted and redefined here');
  });

  it('GIVEN a base file that does not exist THEN the load fails naming the path', () => {
    expect(failure(`suite: demo\nbase: nowhere\nchecks:${entry('four')}\n`)).to.contain('checks.nowhere.yaml cannot be read');
  });

  it('GIVEN omit without base THEN the load fails saying omit needs base', () => {
    expect(failure(`suite: demo\nomit: [demo/one]\nchecks:${entry('four')}\n`)).to.contain('$.omit needs base');
  });

  it('GIVEN a base that leads back to the catalogue THEN the load fails naming the cycle', () => {
    writeFileSync(join(dir, 'checks.base.yaml'), `suite: demo\nbase: other\nchecks:${entry('one')}\n`);
    expect(failure(`suite: demo\nbase: base\nchecks:${entry('four')}\n`)).to.contain('leads back to');
  });

  it('GIVEN notVerifiable tags THEN the kept entries with a tag carry the reason and are skipped with it, the others are judged', () => {
    writeFileSync(join(dir, 'checks.base.yaml'), `suite: demo\nchecks:${entry('one')}\n    tags: [control-plane]${entry('two')}\n`);
    const loaded = load(`suite: demo\nbase: base\nnotVerifiable: { tags: [control-plane], reason: the control plane is managed }\nchecks:${entry('four')}\n`);
    expect(loaded.entries.map((e) => [e.id, e.notVerifiable])).to.deep.equal([['demo/one', 'the control plane is managed'], ['demo/two', undefined], ['demo/four', undefined]]);
    const one = loaded.entries[0];
    if (one === undefined) throw new Error('no entry');
    expect(evaluateEntry(one, [{ kind: 'Thing', name: 'x', data: { a: 1 } }], {})).to.deep.equal({ status: 'skipped', message: 'not verifiable: the control plane is managed', evaluated: 0, offences: [] });
  });

  it('GIVEN a notVerifiable tag no entry has, or notVerifiable without base THEN the load fails', () => {
    expect(failure(`suite: demo\nbase: base\nnotVerifiable: { tags: [control-plain], reason: r }\nchecks:${entry('four')}\n`)).to.match(/checks\.other\.yaml:3: \$\.notVerifiable\.tags\[0\] "control-plain" is the tag of no entry this profile has/);
    expect(failure(`suite: demo\nnotVerifiable: { tags: [x], reason: r }\nchecks:${entry('four')}\n`)).to.contain('$.notVerifiable needs base');
  });
});
