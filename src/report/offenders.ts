// Offenders: the objects a failed check names in its offender tables. The check engine
// (src/checks) emits them with columns object, field, value seen, value expected, severity, why;
// other checks may use node / namespace / name columns. A row's key is built from its
// object-identifying columns and `field`, so the same node failing on a second setting is a new
// offender, while a changed seen value on the same field is not.
import type { CheckResult, TableAttachment } from './model.js';

/** Columns that identify the offending object, in the order keys list them. */
const IDENTITY_COLUMNS: readonly string[] = ['kind', 'object', 'namespace', 'name', 'node', 'pod', 'container'];
/** What is wrong on the object: part of the key. */
const FIELD_COLUMN = 'field';
/** Columns that say a table lists what is wrong rather than an inventory of every object. */
const VERDICT_COLUMNS: readonly string[] = [FIELD_COLUMN, 'seen', 'expected', 'value seen', 'value expected'];

export interface Offender {
  /** Stable key, e.g. `node=kind-worker, field=readOnlyPort`. */
  key: string;
  /** Every cell of the row by column name (lower case), plus namespace, name and node read from
   *  an engine `object` cell, for matching waivers. */
  cells: Readonly<Record<string, string>>;
}

const normalise = (column: string): string => column.trim().toLowerCase();

/** A table names offenders when it has an object-identifying column and says what is wrong
 *  (field, seen or expected); an inventory of every object (all nodes, all classes) does not. */
export function isOffenderTable(table: TableAttachment): boolean {
  const names = table.columns.map(normalise);
  return names.some((c) => IDENTITY_COLUMNS.includes(c)) && names.some((c) => VERDICT_COLUMNS.includes(c));
}

/** The engine names objects `namespace/name` or `name`, with ` (node X)` for per-node facts. */
function fromObjectCell(object: string): Record<string, string> {
  const match = /^(?:([^/\s]+)\/)?(\S+?)(?: \(node (\S+)\))?$/.exec(object);
  if (match === null) return {};
  const out: Record<string, string> = {};
  if (match[1] !== undefined) out.namespace = match[1];
  if (match[2] !== undefined) out.name = match[2];
  if (match[3] !== undefined) out.node = match[3];
  return out;
}

/** The offenders of a check, from all its offender tables, without duplicates. */
export function offendersOf(check: Pick<CheckResult, 'attachments'>): Offender[] {
  const byKey = new Map<string, Offender>();
  for (const attachment of check.attachments) {
    if (attachment.kind !== 'table' || !isOffenderTable(attachment)) continue;
    const names = attachment.columns.map(normalise);
    const keyColumns = [...IDENTITY_COLUMNS, FIELD_COLUMN].filter((c) => names.includes(c));
    // A table with marks says which rows are wrong: only rows with a bad cell are offenders.
    const marked = attachment.marks !== undefined;
    for (const [r, row] of attachment.rows.entries()) {
      if (marked && !(attachment.marks?.[r]?.includes('bad') ?? false)) continue;
      const own: Record<string, string> = {};
      names.forEach((name, i) => (own[name] = row[i] ?? ''));
      // The engine lists warnings beside failures; only what fails the check is an offender.
      if (own.severity !== undefined && own.severity !== '' && own.severity !== 'fail') continue;
      const cells = { ...(own.object === undefined ? {} : fromObjectCell(own.object)), ...own };
      const key = keyColumns.map((c) => `${c}=${own[c] ?? ''}`).join(', ');
      if (!byKey.has(key)) byKey.set(key, { key, cells });
    }
  }
  return [...byKey.values()];
}
