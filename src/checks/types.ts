// The vocabulary of the declarative check engine: facts (what a collector saw), compiled rules
// (what a catalogue entry demands of each fact) and offences (one row per rule an object breaks).
import type { Platform } from '../report/model.js';
import type { FactPath } from './path.js';

/** One observed object and its data, e.g. a StorageClass, or a node's kubelet configuration. */
export interface Fact {
  kind: string;
  name: string;
  namespace?: string;
  /** Set when the fact was read on or about one node (kubelet config, files). */
  node?: string;
  data: unknown;
}

/** Where facts come from. The cluster implementation reads the API; tests use an in-memory one. */
export interface FactSource {
  /** Every object the named collector yields. Throws (with the collector named) when it cannot. */
  collect(name: string): Promise<Fact[]>;
}

export type Severity = 'fail' | 'warn';

export const OPERATORS = ['eq', 'noteq', 'in', 'notin', 'gte', 'lte', 'has', 'nothave', 'regex', 'set', 'unset'] as const;
export type Operator = (typeof OPERATORS)[number];

export type Scalar = string | number | boolean;

/** A rule node after loading: paths parsed and patterns compiled once, not per object. */
export type Rule = ComparisonRule | AllRule | AnyRule | PredicateRule;

interface RuleCommon {
  /** The rule applies only to facts satisfying `when`; the others satisfy it trivially. */
  when?: Rule;
  severity?: Severity;
  because?: string;
}

export interface ComparisonRule extends RuleCommon {
  type: 'compare';
  path: FactPath;
  op: Operator;
  value?: unknown;
  /** Compiled `value` of a regex rule. */
  pattern?: RegExp;
  default?: Scalar;
  ignoreCase: boolean;
}

export interface AllRule extends RuleCommon {
  type: 'all';
  rules: Rule[];
}

export interface AnyRule extends RuleCommon {
  type: 'any';
  rules: Rule[];
}

export interface PredicateRule extends RuleCommon {
  type: 'predicate';
  name: string;
}

/** One way one object breaks a rule: a row of the offenders table. */
export interface Offence {
  object: string;
  field: string;
  seen: string;
  expected: string;
  severity: Severity;
  because?: string;
}

/** What a predicate finds on one object; the engine adds the object's name. */
export type Finding = Omit<Offence, 'object' | 'severity'> & { severity?: Severity };

/** A check that data cannot express, over one object at a time. */
export interface ObjectPredicate {
  scope: 'object';
  check(fact: Fact): Finding[];
}

/** A check over the whole set of facts at once (e.g. "exactly one is the default"). It may only
 *  be an entry's whole rule. `message` replaces the engine's count sentence (pass or fail). */
export interface SetPredicate {
  scope: 'set';
  check(facts: readonly Fact[]): { message?: string; offences: Offence[] };
}

export type Predicate = ObjectPredicate | SetPredicate;
export type Predicates = Readonly<Record<string, Predicate>>;

export interface InventoryColumn {
  header: string;
  path: FactPath;
  default?: Scalar;
}

export interface CatalogueEntry {
  id: string;
  title: string;
  severity: Severity;
  rationale: string;
  remediation: string;
  references: Record<string, string[]>;
  tags: string[];
  platforms?: Platform[];
  profiles?: string[];
  source: string;
  where?: Rule;
  rule: Rule;
  violation: string;
  whenEmpty: 'pass' | 'skip' | 'fail';
  emptyReason?: string;
  inventory?: { title: string; columns: InventoryColumn[] };
  /** Set when the profile keeps the entry but cannot verify it from the cluster (a managed
   *  control plane): the reason it is skipped, never judged. */
  notVerifiable?: string;
  /** Where the entry is written, for messages. */
  file: string;
  line: number;
}

export interface Catalogue {
  file: string;
  suite: string;
  entries: CatalogueEntry[];
}
