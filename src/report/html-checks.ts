// HTML for suites, checks and attachments in report.html. Every string that comes from a
// report goes through escapeHtml: check IDs, messages and logs come from clusters and may hold
// markup on purpose.

import type { Attachment, CheckResult, CheckStatus, SuiteResult, TableAttachment } from './model.js';
import { formatDuration, stripAnsi } from './format.js';
import { outcomeNote } from './outcome-note.js';

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content and quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

export const STATUS_LABEL: Readonly<Record<CheckStatus, string>> = {
  passed: 'Passed',
  failed: 'Failed',
  warn: 'Warn',
  skipped: 'Skipped',
  waived: 'Waived',
  flaky: 'Flaky',
};

/** Open by default: what needs attention and why something did not run; passes stay one line. */
const OPEN_BY_DEFAULT: ReadonlySet<CheckStatus> = new Set(['failed', 'waived', 'flaky', 'warn', 'skipped']);

export function renderSuite(suite: SuiteResult): string {
  const counts = new Map<CheckStatus, number>();
  for (const check of suite.checks) counts.set(check.status, (counts.get(check.status) ?? 0) + 1);
  const stats = [`${suite.checks.length} ${suite.checks.length === 1 ? 'check' : 'checks'}`];
  for (const status of ['failed', 'waived', 'flaky', 'warn', 'skipped', 'passed'] as const) {
    const n = counts.get(status);
    if (n) stats.push(`${n} ${status}`);
  }
  stats.push(formatDuration(suite.durationMs));
  const body = suite.checks.length
    ? `<div class="checks">\n${suite.checks.map((c) => renderCheck(suite, c)).join('\n')}\n</div>`
    : '<p class="empty">This suite ran no checks.</p>';
  return [
    `<section class="suite" data-suite="${escapeHtml(suite.name)}">`,
    `<div class="suite-head"><h2>${escapeHtml(suite.title)}</h2><code>${escapeHtml(suite.name)}</code>` +
      `<span class="stats">${escapeHtml(stats.join(' · '))}</span></div>`,
    body,
    '</section>',
  ].join('\n');
}

function renderCheck(suite: SuiteResult, check: CheckResult): string {
  // The status is typed, but a report read back from disk is only as good as its validation;
  // escaping costs nothing and keeps attributes closed whatever arrives.
  const status = escapeHtml(check.status);
  const attrs =
    `class="check check-${status}" data-status="${status}" ` +
    `data-suite="${escapeHtml(suite.name)}" data-id="${escapeHtml(check.id)}"`;
  const row =
    `<span class="badge badge-${status}">${escapeHtml(STATUS_LABEL[check.status] ?? check.status)}</span>` +
    `<span class="id">${escapeHtml(check.id)}</span>` +
    `<span class="title">${escapeHtml(check.title)}</span>` +
    `<span class="duration">${escapeHtml(formatDuration(check.durationMs))}</span>`;
  const body = renderCheckBody(check);
  if (!body) return `<div ${attrs}><div class="row">${row}</div></div>`;
  const open = OPEN_BY_DEFAULT.has(check.status) ? ' open' : '';
  return `<details ${attrs}${open}><summary class="row">${row}</summary>\n<div class="body">\n${body}\n</div></details>`;
}

function renderCheckBody(check: CheckResult): string {
  const parts: string[] = [];
  if (check.message) parts.push(`<p class="message">${escapeHtml(check.message)}</p>`);
  const note = outcomeNote(check);
  if (note) parts.push(`<p class="outcome-note">${escapeHtml(note)}</p>`);
  if (check.details) {
    parts.push(`<div class="field"><h3>Details</h3><pre>${escapeHtml(stripAnsi(check.details).trimEnd())}</pre></div>`);
  }
  if (check.remediation) {
    parts.push(`<div class="field remediation"><h3>Remediation</h3><p>${escapeHtml(check.remediation.trimEnd())}</p></div>`);
  }
  for (const attachment of check.attachments) parts.push(renderAttachment(attachment));
  if (check.tags.length && parts.length) {
    parts.push(`<p class="legend">Tags: ${check.tags.map((t) => `<code>${escapeHtml(t)}</code>`).join(' ')}</p>`);
  }
  return parts.join('\n');
}

function renderAttachment(attachment: Attachment): string {
  const caption = `<figcaption>${escapeHtml(attachment.title)}</figcaption>`;
  const content =
    attachment.kind === 'table'
      ? renderTable(attachment)
      : `<pre>${escapeHtml(stripAnsi(attachment.body).trimEnd())}</pre>`;
  return `<figure class="attachment attachment-${attachment.kind}">${caption}\n${content}</figure>`;
}

function renderTable(table: TableAttachment): string {
  const head = `<thead><tr>${table.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('')}</tr></thead>`;
  const rows = table.rows.map((row, r) => {
    const cells = row.map((cell, c) => {
      const mark = table.marks?.[r]?.[c];
      const cls = mark ? ` class="${escapeHtml(mark)}"` : '';
      const label = mark === 'bad' ? ' title="differs from the expected result"' : '';
      return `<td${cls}${label}>${escapeHtml(cell)}</td>`;
    });
    return `<tr>${cells.join('')}</tr>`;
  });
  const hasBad = table.marks?.some((row) => row.includes('bad')) ?? false;
  const legend = hasBad
    ? '\n<p class="legend"><span class="swatch"></span>highlighted cells differ from the expected result</p>'
    : '';
  return `<div class="table-wrap"><table class="data">${head}<tbody>\n${rows.join('\n')}\n</tbody></table></div>${legend}`;
}
