// Offenders: the objects a failed check names in its table attachments (the check engine emits
// tables with columns such as node / namespace / name, field, seen, expected). A row's key is
// built from its object-identifying columns and `field`, so the same node failing on a second
// setting is a new offender, while a changed `seen` value on the same field is not. A table that
// lists every object (e.g. all nodes) marks the bad ones; then only those rows are offenders.
import type { CheckResult, TableAttachment } from './model.js';

/** Columns that identify the offending object, in the order keys list them. */
const IDENTITY_COLUMNS: readonly string[] = ['kind', 'object', 'namespace', 'name', 'node', 'pod', 'container'];
/** What is wrong on the object: part of the key. `seen` and `expected` are not. */
const FIELD_COLUMN = 'field';

export interface Offender {
  /** Stable key, e.g. `node=kind-worker, field=readOnlyPort`. */
  key: string;
  /** Every cell of the row by column name (lower case), for matching waivers. */
  cells: Readonly<Record<string, string>>;
}

/** A table names offenders when it has at least one object-identifying column. */
export function isOffenderTable(table: TableAttachment): boolean {
  return table.columns.some((c) => IDENTITY_COLUMNS.includes(c.trim().toLowerCase()));
}

/** The offenders of a check, from all its offender tables, without duplicates. */
export function offendersOf(check: Pick<CheckResult, 'attachments'>): Offender[] {
  const byKey = new Map<string, Offender>();
  for (const attachment of check.attachments) {
    if (attachment.kind !== 'table' || !isOffenderTable(attachment)) continue;
    const names = attachment.columns.map((c) => c.trim().toLowerCase());
    const keyColumns = [...IDENTITY_COLUMNS, FIELD_COLUMN].filter((c) => names.includes(c));
    // A table with marks says which rows are wrong: only rows with a bad cell are offenders.
    const marked = attachment.marks !== undefined;
    for (const [r, row] of attachment.rows.entries()) {
      if (marked && !(attachment.marks?.[r]?.includes('bad') ?? false)) continue;
      const cells: Record<string, string> = {};
      names.forEach((name, i) => (cells[name] = row[i] ?? ''));
      const key = keyColumns.map((c) => `${c}=${cells[c] ?? ''}`).join(', ');
      if (!byKey.has(key)) byKey.set(key, { key, cells });
    }
  }
  return [...byKey.values()];
}
