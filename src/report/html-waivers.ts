// The waivers section of report.html: every waiver of the run's --waivers file and what it did,
// so an unused or expired waiver is seen by whoever reads the report, not only in the CI log.
import type { RunReport } from './model.js';
import { escapeHtml } from './html-checks.js';

const STATE_TEXT = { used: 'waived', unused: 'unused: matched no failure', expired: 'expired: waives nothing' } as const;

export function renderWaivers(report: RunReport): string {
  const waivers = report.waivers;
  if (waivers === undefined || waivers.entries.length === 0) return '';
  const rows = waivers.entries.map((w) =>
    `<tr><td>${escapeHtml(w.check)}${w.match ? ` <code>${escapeHtml(Object.entries(w.match).map(([k, v]) => `${k}=${v}`).join(', '))}</code>` : ''}</td>` +
    `<td>${escapeHtml(STATE_TEXT[w.state] ?? w.state)}${w.checks.length ? `: ${escapeHtml(w.checks.join(', '))}` : ''}</td>` +
    `<td>${escapeHtml(w.owner)}</td><td>${escapeHtml(w.expires)}</td><td>${escapeHtml(w.reason)}</td></tr>`);
  // Leads with a line break so that a report without waivers renders exactly as before.
  return '\n' + [
    `<section class="waivers" aria-label="Waivers"><div class="suite-head"><h2>Waivers</h2><code>${escapeHtml(waivers.file)}</code></div>`,
    '<div class="table-wrap"><table class="data"><thead><tr><th scope="col">Check</th><th scope="col">Effect</th>' +
      '<th scope="col">Owner</th><th scope="col">Expires</th><th scope="col">Reason</th></tr></thead><tbody>',
    ...rows,
    '</tbody></table></div></section>',
  ].join('\n');
}
