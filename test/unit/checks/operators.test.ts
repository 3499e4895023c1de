import { expect } from 'chai';
import { evaluateEntry } from '../../../src/checks/engine.js';
import type { Fact } from '../../../src/checks/types.js';
import { entryWithRule, fact } from './support.js';

/** Status of a one-rule entry over one fact, and its offence rows as [field, seen, expected]. */
function judge(rule: string, data: unknown): { status: string; rows: string[][] } {
  const verdict = evaluateEntry(entryWithRule(rule), [fact('x', data)], {});
  return { status: verdict.status, rows: verdict.offences.map((o) => [o.field, o.seen, o.expected]) };
}

const PASS = { status: 'passed', rows: [] };

describe('checks: operators', () => {
  const cases: Array<{ op: string; rule: string; pass: unknown; fail: unknown; failRow: string[]; missing: 'passed' | 'failed'; missingSeen?: string }> = [
    { op: 'eq', rule: '{ path: a, op: eq, value: false }', pass: { a: false }, fail: { a: true }, failRow: ['a', 'true', 'false'], missing: 'failed' },
    { op: 'noteq', rule: '{ path: a, op: noteq, value: x }', pass: { a: 'y' }, fail: { a: 'x' }, failRow: ['a', '"x"', 'not "x"'], missing: 'passed' },
    { op: 'in', rule: '{ path: a, op: in, value: [gp2, gp3] }', pass: { a: 'gp3' }, fail: { a: 'standard' }, failRow: ['a', '"standard"', 'one of "gp2", "gp3"'], missing: 'failed' },
    { op: 'notin', rule: '{ path: a, op: notin, value: [cluster-admin] }', pass: { a: 'view' }, fail: { a: 'cluster-admin' }, failRow: ['a', '"cluster-admin"', 'none of "cluster-admin"'], missing: 'passed' },
    { op: 'gte', rule: '{ path: a, op: gte, value: 3 }', pass: { a: '3' }, fail: { a: 2 }, failRow: ['a', '2', '>= 3'], missing: 'failed' },
    { op: 'lte', rule: '{ path: a, op: lte, value: 50 }', pass: { a: 50 }, fail: { a: '60' }, failRow: ['a', '"60"', '<= 50'], missing: 'failed' },
    { op: 'has', rule: '{ path: a, op: has, value: NET_RAW }', pass: { a: ['NET_RAW'] }, fail: { a: ['ALL'] }, failRow: ['a', '["ALL"]', 'contains "NET_RAW"'], missing: 'failed' },
    { op: 'nothave', rule: '{ path: a, op: nothave, value: NET_RAW }', pass: { a: ['ALL'] }, fail: { a: ['NET_RAW'] }, failRow: ['a', '["NET_RAW"]', 'does not contain "NET_RAW"'], missing: 'passed' },
    { op: 'regex', rule: '{ path: a, op: regex, value: "^v1\\\\." }', pass: { a: 'v1.36' }, fail: { a: 'v2.0' }, failRow: ['a', '"v2.0"', 'matches /^v1\\./'], missing: 'failed' },
    { op: 'set', rule: '{ path: a, op: set }', pass: { a: 0 }, fail: { a: null }, failRow: ['a', 'unset', 'set'], missing: 'failed' },
    { op: 'unset', rule: '{ path: a, op: unset }', pass: {}, fail: { a: 'x' }, failRow: ['a', '"x"', 'unset'], missing: 'passed' },
  ];
  for (const c of cases) {
    describe(c.op, () => {
      it(`GIVEN a satisfying value THEN it passes`, () => {
        expect(judge(c.rule, c.pass)).to.deep.equal(PASS);
      });
      it(`GIVEN a violating value THEN it fails with field, seen and expected`, () => {
        expect(judge(c.rule, c.fail)).to.deep.equal({ status: 'failed', rows: [c.failRow] });
      });
      it(`GIVEN the path missing THEN it is ${c.missing}${c.missing === 'failed' ? ' naming the value unset' : ''}`, () => {
        const result = judge(c.rule, { other: 1 });
        expect(result.status).to.equal(c.missing);
        if (c.missing === 'failed') expect(result.rows[0]?.[1]).to.equal('unset');
      });
    });
  }

  it('GIVEN has on a map THEN it tests for the key', () => {
    expect(judge('{ path: labels, op: has, value: app }', { labels: { app: 'x' } })).to.deep.equal(PASS);
    expect(judge('{ path: labels, op: has, value: app }', { labels: { tier: 'x' } }).status).to.equal('failed');
  });

  it('GIVEN gte on a string that is not a number THEN it fails', () => {
    expect(judge('{ path: a, op: gte, value: 1 }', { a: 'many' }).status).to.equal('failed');
  });

  it('GIVEN ignoreCase THEN eq and in compare strings case-insensitively', () => {
    expect(judge('{ path: a, op: in, value: [gp3], ignoreCase: true }', { a: 'GP3' })).to.deep.equal(PASS);
    expect(judge('{ path: a, op: eq, value: gp3 }', { a: 'GP3' }).status).to.equal('failed');
  });

  it('GIVEN a default and the path missing THEN the default is compared and shown', () => {
    expect(judge('{ path: mode, op: eq, value: Immediate, default: Immediate }', {})).to.deep.equal(PASS);
    expect(judge('{ path: mode, op: eq, value: WaitForFirstConsumer, default: Immediate }', {})).to.deep.equal({
      status: 'failed',
      rows: [['mode', 'unset ("Immediate")', '"WaitForFirstConsumer"']],
    });
  });

  it('GIVEN a [*] path THEN every element must satisfy it, and an empty list counts as missing', () => {
    const rule = '{ path: "containers[*].limits", op: set }';
    expect(judge(rule, { containers: [{ limits: {} }, { limits: { cpu: 1 } }] })).to.deep.equal(PASS);
    expect(judge(rule, { containers: [{ limits: {} }, {}] }).rows).to.deep.equal([['containers[1].limits', 'unset', 'set']]);
    expect(judge(rule, { containers: [] }).rows).to.deep.equal([['containers[*].limits', 'unset', 'set']]);
  });
});

describe('checks: all, any, when and severity', () => {
  const nested = '{ any: [ { path: a, op: eq, value: 1 }, { all: [ { path: b, op: set }, { path: c, op: in, value: [x, y] } ] } ] }';

  it('GIVEN any of (a rule, all of two) THEN one satisfied branch is enough', () => {
    expect(judge(nested, { a: 1 })).to.deep.equal(PASS);
    expect(judge(nested, { a: 2, b: true, c: 'y' })).to.deep.equal(PASS);
  });

  it('GIVEN no branch of any satisfied THEN it is one row naming every field and the alternatives', () => {
    expect(judge(nested, { a: 2, c: 'z' })).to.deep.equal({ status: 'failed', rows: [['a, b, c', '2, unset, "z"', '1 or set or one of "x", "y"']] });
  });

  it('GIVEN all of two rules both broken THEN each is its own row', () => {
    expect(judge('{ all: [ { path: a, op: set }, { path: b, op: eq, value: 1 } ] }', { b: 2 }).rows).to.deep.equal([
      ['a', 'unset', 'set'],
      ['b', '2', '1'],
    ]);
  });

  it('GIVEN when not satisfied THEN the rule does not apply', () => {
    const rule = '{ when: { path: kind, op: eq, value: ebs }, path: type, op: in, value: [gp3] }';
    expect(judge(rule, { kind: 'nfs', type: 'whatever' })).to.deep.equal(PASS);
    expect(judge(rule, { kind: 'ebs', type: 'whatever' }).status).to.equal('failed');
  });

  it('GIVEN a warn node inside a fail entry THEN its offences alone make the entry warn, and a fail offence fails it', () => {
    const rule = '{ all: [ { path: a, op: set, severity: warn }, { path: b, op: set } ] }';
    expect(judge(rule, { b: 1 }).status).to.equal('warn');
    expect(judge(rule, {}).status).to.equal('failed');
  });

  it('GIVEN {seen} in because THEN the clause names the value seen, as the table shows it', () => {
    const entry = entryWithRule('{ path: "modes[*]", op: in, value: ["600"], because: "is {seen}, more permissive than 600" }');
    const verdict = evaluateEntry(entry, [fact('x', { modes: ['600', '644'] })], {});
    expect(verdict.offences.map((o) => o.because)).to.deep.equal(['modes[1] is "644", more permissive than 600']);
    expect(verdict.message).to.include('modes[1] is "644", more permissive than 600');
  });

  it('GIVEN because on a node THEN the why clause starts with the field', () => {
    const entry = entryWithRule('{ path: mode, op: eq, value: W, because: "must wait for the pod" }');
    expect(evaluateEntry(entry, [fact('x', { mode: 'I' })], {}).offences[0]?.because).to.equal('mode must wait for the pod');
  });
});

describe('checks: entry verdicts', () => {
  const facts: Fact[] = [fact('a', { ok: true }, 'StorageClass'), fact('b', { ok: false }, 'StorageClass'), fact('c', {}, 'StorageClass')];

  it('GIVEN 2 of 3 objects offending THEN the message counts them and names the first offence', () => {
    const verdict = evaluateEntry(entryWithRule('{ path: ok, op: eq, value: true }'), facts, {});
    expect(verdict.message).to.equal('2 of 3 StorageClasses break the rule: b: ok is false, expected true (2 offences in all, see the table)');
    expect(verdict.offences.map((o) => o.object)).to.deep.equal(['b', 'c']);
  });

  it('GIVEN a warn entry with offenders THEN it ends as warn', () => {
    expect(evaluateEntry(entryWithRule('{ path: ok, op: eq, value: true }', { severity: 'warn' }), facts, {}).status).to.equal('warn');
  });

  it('GIVEN where THEN only objects in scope are judged and counted', () => {
    const entry = entryWithRule('{ path: ok, op: eq, value: true }', { extra: '    where: { path: ok, op: set }' });
    expect(evaluateEntry(entry, facts, {}).message).to.equal('1 of 2 StorageClasses break the rule: b: ok is false, expected true');
  });

  for (const [whenEmpty, status] of [['pass', 'passed'], ['skip', 'skipped'], ['fail', 'failed']] as const) {
    it(`GIVEN no object and whenEmpty ${whenEmpty} THEN it is ${status} with the stated reason`, () => {
      const entry = entryWithRule('{ path: ok, op: set }', { extra: `    whenEmpty: ${whenEmpty}\n    emptyReason: nothing to audit` });
      expect(evaluateEntry(entry, [], {})).to.deep.include({ status, message: 'nothing to audit' });
    });
  }

  it('GIVEN no object and no whenEmpty THEN it is skipped saying nothing was in scope', () => {
    expect(evaluateEntry(entryWithRule('{ path: ok, op: set }'), [], {})).to.deep.include({ status: 'skipped', message: 'no object of collector things is in scope (0 collected)' });
  });

  it('GIVEN an object predicate THEN its findings become offences of the object', () => {
    const predicates = { odd: { scope: 'object' as const, check: (f: Fact) => (f.name === 'b' ? [{ field: 'name', seen: '"b"', expected: 'not b', because: 'b is odd' }] : []) } };
    const verdict = evaluateEntry(entryWithRule('{ predicate: odd }', { predicates }), facts, predicates);
    expect(verdict.message).to.equal('1 of 3 StorageClasses break the rule: b: b is odd');
  });
});
