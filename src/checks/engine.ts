// Judges one catalogue entry over the facts its collector yielded: which objects are in scope
// (`where`), which break the rule, and the verdict. Pure, so every entry is unit-tested with
// fact sets and no cluster; the harness binding (declare.ts) only collects, attaches and reports.
import { evaluateRule, describeValue } from './rules.js';
import { resolvePath } from './path.js';
import type { CatalogueEntry, Fact, Offence, Predicates } from './types.js';

export type EntryStatus = 'passed' | 'failed' | 'warn' | 'skipped';

export interface EntryVerdict {
  status: EntryStatus;
  /** One sentence for failed, warn and skipped; what was judged for passed. */
  message: string;
  /** Objects in scope (after `where`). */
  evaluated: number;
  offences: Offence[];
}

export const OFFENDER_COLUMNS = ['object', 'field', 'value seen', 'value expected', 'severity', 'why'];

/** How an object is named in tables: namespace/name, and the node when the fact is per node. */
export function objectName(fact: Fact): string {
  const name = fact.namespace === undefined ? fact.name : `${fact.namespace}/${fact.name}`;
  return fact.node === undefined ? name : `${name} (node ${fact.node})`;
}

/** "StorageClass" -> "StorageClasses", "Policy" -> "Policies", "Node" -> "Nodes". */
export function pluralKind(kind: string, count: number): string {
  if (count === 1) return kind;
  if (/(s|x|ch|sh)$/.test(kind)) return `${kind}es`;
  if (/[^aeiou]y$/.test(kind)) return `${kind.slice(0, -1)}ies`;
  return `${kind}s`;
}

function offendersOf(entry: CatalogueEntry, facts: readonly Fact[], predicates: Predicates): { offences: Offence[]; message?: string } {
  const rule = entry.rule;
  const predicate = rule.type === 'predicate' ? predicates[rule.name] : undefined;
  if (predicate?.scope === 'set') return predicate.check(facts);
  const offences = facts.flatMap((fact) => evaluateRule(rule, fact, predicates, entry.severity).map((f) => ({ ...f, object: objectName(fact) })));
  return { offences };
}

function countSentence(entry: CatalogueEntry, offences: readonly Offence[], evaluated: number, kind: string): string {
  const objects = [...new Set(offences.map((o) => o.object))];
  const first = offences[0] as Offence;
  const detail = first.because ?? `${first.field} is ${first.seen}, expected ${first.expected}`;
  const more = offences.length > 1 ? ` (${offences.length} offences in all, see the table)` : '';
  return `${objects.length} of ${evaluated} ${pluralKind(kind, 2)} ${entry.violation}: ${first.object}: ${detail}${more}`;
}

export function evaluateEntry(entry: CatalogueEntry, facts: readonly Fact[], predicates: Predicates): EntryVerdict {
  if (entry.notVerifiable !== undefined) return { status: 'skipped', message: `not verifiable: ${entry.notVerifiable}`, evaluated: 0, offences: [] };
  const where = entry.where;
  const inScope = where === undefined ? facts : facts.filter((fact) => evaluateRule(where, fact, predicates, 'fail').length === 0);
  if (inScope.length === 0) {
    const reason = entry.emptyReason ?? `no object of collector ${entry.source} is in scope (${facts.length} collected)`;
    const status: EntryStatus = entry.whenEmpty === 'pass' ? 'passed' : entry.whenEmpty === 'fail' ? 'failed' : 'skipped';
    return { status, message: reason, evaluated: 0, offences: [] };
  }
  const kind = inScope[0]?.kind ?? 'object';
  const { offences, message } = offendersOf(entry, inScope, predicates);
  const failing = offences.filter((o) => o.severity === 'fail');
  if (failing.length > 0) return { status: 'failed', message: message ?? countSentence(entry, failing, inScope.length, kind), evaluated: inScope.length, offences };
  if (offences.length > 0) return { status: 'warn', message: message ?? countSentence(entry, offences, inScope.length, kind), evaluated: inScope.length, offences };
  const passed = message ?? `${inScope.length} ${pluralKind(kind, inScope.length)} checked, none ${entry.violation}`;
  return { status: 'passed', message: passed, evaluated: inScope.length, offences: [] };
}

export function offenderRows(offences: readonly Offence[]): string[][] {
  return offences.map((o) => [o.object, o.field, o.seen, o.expected, o.severity, o.because ?? '']);
}

/** Rows of the entry's inventory table: one per collected object, a cell per column path. */
export function inventoryRows(entry: CatalogueEntry, facts: readonly Fact[]): string[][] {
  const columns = entry.inventory?.columns ?? [];
  return facts.map((fact) =>
    columns.map((column) => {
      const reached = resolvePath(fact.data, column.path).filter((r) => r.present);
      if (reached.length === 0) return column.default === undefined ? '' : String(column.default);
      return reached.map((r) => (typeof r.value === 'string' ? r.value : describeValue(r.value))).join(', ');
    }),
  );
}
