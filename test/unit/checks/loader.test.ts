import { expect } from 'chai';
import { parseCatalogue } from '../../../src/checks/loader.js';
import { ConfigError } from '../../../src/errors.js';
import type { Predicates } from '../../../src/checks/types.js';

const predicates: Predicates = { 'exactly-one': { scope: 'set', check: () => ({ offences: [] }) }, odd: { scope: 'object', check: () => [] } };

/** A catalogue of two entries; `second` replaces the rule line of the second entry (line 19). */
function catalogue(second = '    rule: { path: a, op: eq, value: 1 }', secondId = 'demo/two'): string {
  return [
    'suite: demo', // 1
    'checks:', // 2
    '  - id: demo/one', // 3
    '    title: One', // 4
    '    severity: fail', // 5
    '    rationale: r', // 6
    '    remediation: m', // 7
    '    source: things', // 8
    '    violation: break it', // 9
    '    rule: { path: a, op: set }', // 10
    `  - id: ${secondId}`, // 11
    '    title: Two', // 12
    '    severity: warn', // 13
    '    rationale: r', // 14
    '    remediation: m', // 15
    '    source: things', // 16
    '    violation: break it', // 17
    '    tags: [x]', // 18
    second, // 19+
  ].join('\n');
}

function loadError(text: string, options: { sources?: string[] } = {}): string {
  try {
    parseCatalogue(text, 'suites/demo/checks.yaml', { predicates, ...options });
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('the catalogue loaded');
}

describe('checks: catalogue loader', () => {
  it('GIVEN a valid catalogue THEN it loads every entry with its line and defaults', () => {
    const loaded = parseCatalogue(catalogue(), 'suites/demo/checks.yaml', { predicates });
    expect(loaded.entries.map((e) => [e.id, e.line, e.whenEmpty, e.severity])).to.deep.equal([
      ['demo/one', 3, 'skip', 'fail'],
      ['demo/two', 11, 'skip', 'warn'],
    ]);
  });

  it('GIVEN an unknown key THEN the error names file, line, JSON path, allowed keys and the likely spelling', () => {
    const message = loadError(catalogue('    rule: { path: a, op: eq, value: 1 }\n    whenEmtpy: pass'));
    expect(message).to.match(/^check catalogue suites\/demo\/checks\.yaml:20: unknown key "whenEmtpy" at \$\.checks\[1\] \(allowed keys: id, title, .*; did you mean "whenEmpty"\?\)/);
  });

  it('GIVEN an unknown key inside a nested rule THEN the line is the key\'s own', () => {
    const message = loadError(catalogue('    rule:\n      all:\n        - path: a\n          op: set\n          vaule: 1'));
    expect(message).to.match(/^check catalogue suites\/demo\/checks\.yaml:23: unknown key "vaule" at \$\.checks\[1\]\.rule\.all\[0\] /);
  });

  it('GIVEN a bad operator THEN the error names its line, JSON path and the operators allowed', () => {
    const message = loadError(catalogue('    rule:\n      path: a\n      op: equals\n      value: 1'));
    expect(message).to.include('check catalogue suites/demo/checks.yaml:21: $.checks[1].rule.op must be one of "eq", "noteq", "in", "notin", "gte", "lte", "has", "nothave", "regex", "set", "unset", got "equals"');
  });

  it('GIVEN a duplicate ID THEN the error names the second ID\'s line and path and the first one\'s line', () => {
    expect(loadError(catalogue(undefined, 'demo/one'))).to.match(/^check catalogue suites\/demo\/checks\.yaml:11: \$\.checks\[1\]\.id "demo\/one" is already the ID of the check on line 3;/);
  });

  it('GIVEN an unknown predicate THEN the error names line, path and the registered predicates', () => {
    expect(loadError(catalogue('    rule:\n      all:\n        - predicate: even'))).to.match(
      /^check catalogue suites\/demo\/checks\.yaml:21: \$\.checks\[1\]\.rule\.all\[0\]\.predicate names the unknown predicate "even" \(registered: exactly-one, odd\);/,
    );
  });

  it('GIVEN a set predicate nested in a rule THEN it is rejected: it must be the whole rule', () => {
    expect(loadError(catalogue('    rule: { any: [ { predicate: exactly-one } ] }'))).to.include(':19: $.checks[1].rule.any[0].predicate "exactly-one" judges the whole set of facts');
  });

  it('GIVEN an ID outside the suite or a bad ID shape THEN it is rejected', () => {
    expect(loadError(catalogue(undefined, 'other/two'))).to.include(':11: $.checks[1].id "other/two" must start with the suite name "demo/"');
    expect(loadError(catalogue(undefined, 'demo/Two'))).to.include(':11: $.checks[1].id must match the pattern');
  });

  it('GIVEN a rule node with two kinds or none THEN it must have exactly one', () => {
    expect(loadError(catalogue('    rule: { path: a, op: set, predicate: odd }'))).to.include(':19: $.checks[1].rule must have exactly one of path (with op), all, any or predicate, not path and predicate');
    expect(loadError(catalogue('    rule: { because: why }'))).to.include(':19: $.checks[1].rule must have exactly one of');
  });

  it('GIVEN an operand of the wrong shape THEN it names what the operator needs', () => {
    expect(loadError(catalogue('    rule: { path: a, op: in, value: gp3 }'))).to.include(':19: $.checks[1].rule.value must be a non-empty list for op in');
    expect(loadError(catalogue('    rule: { path: a, op: gte, value: "3" }'))).to.include('$.checks[1].rule.value must be a number for op gte');
    expect(loadError(catalogue('    rule: { path: a, op: set, value: 1 }'))).to.include('$.checks[1].rule.value is not used by op set');
    expect(loadError(catalogue('    rule: { path: a, op: regex, value: "(" }'))).to.include('$.checks[1].rule.value is not a valid regular expression');
    expect(loadError(catalogue('    rule: { all: [ { path: a, op: set } ], op: eq }'))).to.include('$.checks[1].rule.op belongs to a comparison, which needs a path');
  });

  it('GIVEN a malformed fact path THEN it names the path and the character', () => {
    expect(loadError(catalogue('    rule: { path: "a[b]", op: set }'))).to.include(':19: $.checks[1].rule.path: fact path "a[b]": bracket segment [b] must be a quoted key, an index or * at character 2');
  });

  it('GIVEN an unknown collector when the known ones are given THEN it is rejected naming them', () => {
    expect(loadError(catalogue(), { sources: ['nodes'] })).to.include(':8: $.checks[0].source names the unknown collector "things" (known: nodes)');
  });

  it('GIVEN broken YAML or a repeated key THEN the error names the line', () => {
    expect(loadError('suite: demo\nchecks:\n  - id: [demo\n')).to.match(/^check catalogue suites\/demo\/checks\.yaml:\d+: not valid YAML/);
    expect(loadError(catalogue('    rule: { path: a, op: set }\n    title: Again'))).to.match(/^check catalogue suites\/demo\/checks\.yaml:20: not valid YAML/);
  });
});
