// Plain-text rendering of a check's explanation, for places that show only text: JUnit
// system-out and failure bodies. Tables become aligned columns so that a truth table stays a
// truth table in a CI log viewer.

import type { Attachment, CheckResult, TableAttachment } from './model.js';
import { stripAnsi } from './format.js';
import { outcomeNote } from './outcome-note.js';

/** Suffix put on a cell marked `bad`, explained by the legend under the table. */
export const BAD_CELL_SUFFIX = ' *';

/** A table as aligned columns under a header and a dashed rule. */
export function renderTableText(table: TableAttachment): string {
  const cells = table.rows.map((row, r) =>
    row.map((cell, c) => (table.marks?.[r]?.[c] === 'bad' ? `${cell}${BAD_CELL_SUFFIX}` : cell)),
  );
  const columnCount = Math.max(table.columns.length, ...cells.map((row) => row.length));
  const widths: number[] = [];
  for (let c = 0; c < columnCount; c += 1) {
    const lengths = [table.columns[c] ?? '', ...cells.map((row) => row[c] ?? '')].map((s) => s.length);
    widths.push(Math.max(...lengths));
  }
  const line = (row: readonly string[]): string =>
    widths
      .map((width, c) => (row[c] ?? '').padEnd(width))
      .join('  ')
      .trimEnd();
  const lines = [line(table.columns), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)];
  if (table.marks?.some((row) => row.includes('bad'))) {
    lines.push(`(${BAD_CELL_SUFFIX.trim()} = differs from the expected result)`);
  }
  return lines.join('\n');
}

export function renderAttachmentText(attachment: Attachment): string {
  const heading = `--- ${attachment.title} ---`;
  const body = attachment.kind === 'table' ? renderTableText(attachment) : stripAnsi(attachment.body).trimEnd();
  return `${heading}\n${body}`;
}

/** Short text for a failure body: what went wrong and what to do. */
export function renderFailureSummary(check: CheckResult): string {
  const parts = [check.message ?? 'check failed'];
  if (check.remediation) parts.push(`Remediation: ${check.remediation}`);
  return parts.join('\n\n');
}

/** Everything a person needs to understand a check outcome, in reading order. Empty when the
 *  check carries nothing beyond its status (a plain pass). */
export function renderCheckText(check: CheckResult): string {
  const parts: string[] = [];
  const label = check.status.toUpperCase();
  if (check.message) parts.push(`${label}: ${check.message}`);
  else if (check.status === 'warn') parts.push('WARN: advisory check needs attention');
  const note = outcomeNote(check);
  if (note) parts.push(note);
  if (check.details) parts.push(`Details:\n${stripAnsi(check.details).trimEnd()}`);
  if (check.remediation) parts.push(`Remediation:\n${check.remediation.trimEnd()}`);
  for (const attachment of check.attachments) parts.push(renderAttachmentText(attachment));
  return parts.join('\n\n');
}
