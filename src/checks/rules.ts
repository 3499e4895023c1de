// Evaluates a compiled rule against one fact. The result is the list of offences (empty when the
// fact satisfies the rule), so a table can name each field, the value seen and the value expected.
// Semantics of every operator, including a missing path, are documented in docs/checks.md.
import { isDeepStrictEqual } from 'node:util';
import { resolvePath, type Reached } from './path.js';
import type { ComparisonRule, Fact, Finding, Predicates, Rule, Severity } from './types.js';

const UNSET = 'unset';

export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return UNSET;
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof Date) return value.toISOString();
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function fold(value: unknown, ignoreCase: boolean): unknown {
  return ignoreCase && typeof value === 'string' ? value.toLowerCase() : value;
}

function equal(a: unknown, b: unknown, ignoreCase: boolean): boolean {
  const x = fold(a, ignoreCase);
  const y = fold(b, ignoreCase);
  // Most operands are scalars; the deep comparison is only needed for lists and maps.
  if (typeof x !== 'object' || typeof y !== 'object') return x === y;
  return isDeepStrictEqual(x, y);
}

/** Numbers, and strings that spell a decimal number (Kubernetes keeps many numbers as strings). */
function numeric(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return undefined;
}

function contains(container: unknown, item: unknown): boolean {
  if (Array.isArray(container)) return container.some((element) => isDeepStrictEqual(element, item));
  if (typeof container === 'object' && container !== null) return typeof item === 'string' && Object.hasOwn(container, item);
  return false;
}

const expectations = new WeakMap<ComparisonRule, string>();

/** What the operator demands, phrased for the "expected" column (built once per rule). */
export function expectation(rule: ComparisonRule): string {
  let text = expectations.get(rule);
  if (text === undefined) {
    text = phraseExpectation(rule);
    expectations.set(rule, text);
  }
  return text;
}

function phraseExpectation(rule: ComparisonRule): string {
  const list = (): string => (Array.isArray(rule.value) ? rule.value.map(describeValue).join(', ') : describeValue(rule.value));
  const caseNote = rule.ignoreCase ? ' (any case)' : '';
  switch (rule.op) {
    case 'eq':
      return `${describeValue(rule.value)}${caseNote}`;
    case 'noteq':
      return `not ${describeValue(rule.value)}${caseNote}`;
    case 'in':
      return `one of ${list()}${caseNote}`;
    case 'notin':
      return `none of ${list()}${caseNote}`;
    case 'gte':
      return `>= ${describeValue(rule.value)}`;
    case 'lte':
      return `<= ${describeValue(rule.value)}`;
    case 'has':
      return `contains ${describeValue(rule.value)}`;
    case 'nothave':
      return `does not contain ${describeValue(rule.value)}`;
    case 'regex':
      return `matches /${String(rule.pattern?.source)}/${caseNote}`;
    case 'set':
      return 'set';
    case 'unset':
      return UNSET;
  }
}

/** Whether one reached value satisfies the operator. */
function holds(rule: ComparisonRule, at: Reached): boolean {
  const present = at.present || rule.default !== undefined;
  const value = at.present ? at.value : rule.default;
  switch (rule.op) {
    case 'set':
      return at.present;
    case 'unset':
      return !at.present;
    case 'eq':
      return present && equal(value, rule.value, rule.ignoreCase);
    case 'noteq':
      return !present || !equal(value, rule.value, rule.ignoreCase);
    case 'in':
      return present && (rule.value as unknown[]).some((v) => equal(value, v, rule.ignoreCase));
    case 'notin':
      return !present || !(rule.value as unknown[]).some((v) => equal(value, v, rule.ignoreCase));
    case 'gte':
    case 'lte': {
      const n = numeric(value);
      if (!present || n === undefined) return false;
      return rule.op === 'gte' ? n >= (rule.value as number) : n <= (rule.value as number);
    }
    case 'has':
      return present && contains(value, rule.value);
    case 'nothave':
      return !present || !contains(value, rule.value);
    case 'regex':
      return present && typeof value === 'string' && (rule.pattern as RegExp).test(value);
  }
}

function compare(rule: ComparisonRule, fact: Fact): Finding[] {
  // A wildcard that reaches nothing (an empty list) is judged like a missing value.
  const reached = resolvePath(fact.data, rule.path);
  const targets: Reached[] = reached.length > 0 ? reached : [{ path: rule.path.text, present: false, value: undefined }];
  return targets
    .filter((at) => !holds(rule, at))
    .map((at) => ({ field: at.path, seen: at.present ? describeValue(at.value) : rule.default === undefined ? UNSET : `unset (${describeValue(rule.default)})`, expected: expectation(rule) }));
}

/** Findings of `rule` on `fact`, each with the severity of the innermost node that sets one. */
export function evaluateRule(rule: Rule, fact: Fact, predicates: Predicates, inherited: Severity): Array<Finding & { severity: Severity }> {
  const severity = rule.severity ?? inherited;
  if (rule.when !== undefined && evaluateRule(rule.when, fact, predicates, severity).length > 0) return [];
  let findings: Finding[];
  switch (rule.type) {
    case 'compare':
      findings = compare(rule, fact);
      break;
    case 'all':
      findings = rule.rules.flatMap((child) => evaluateRule(child, fact, predicates, severity));
      break;
    case 'any': {
      const children = rule.rules.map((child) => evaluateRule(child, fact, predicates, severity));
      if (children.some((c) => c.length === 0)) return [];
      findings = [anyFinding(children.flat())];
      break;
    }
    case 'predicate': {
      const predicate = predicates[rule.name];
      // The loader rejects unknown and set-scoped names here; this guards callers that skip it.
      if (predicate?.scope !== 'object') throw new Error(`predicate ${rule.name} is not registered as an object predicate`);
      findings = predicate.check(fact);
      break;
    }
  }
  // A catalogue's `because` continues the field ("volumeBindingMode is Immediate although ..."),
  // `{seen}` in it standing for the value seen;
  // a predicate's is a whole clause already. Both end up as whole clauses.
  if (findings.length === 0) return [];
  return findings.map((f) => ({ ...f, severity: f.severity ?? severity, because: f.because ?? (rule.because === undefined ? undefined : `${f.field} ${rule.because.replaceAll('{seen}', f.seen)}`) }));
}

/** `any` fails as one row: the fields it looked at, what was seen first, the alternatives. */
function anyFinding(findings: Finding[]): Finding {
  const unique = (values: string[]): string[] => [...new Set(values)];
  return {
    field: unique(findings.map((f) => f.field)).join(', '),
    seen: unique(findings.map((f) => f.seen)).join(', '),
    expected: unique(findings.map((f) => f.expected)).join(' or '),
    because: findings.find((f) => f.because !== undefined)?.because,
  };
}
