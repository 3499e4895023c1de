// compare.html: the comparison as one self-contained page, with report.html's stylesheet and
// escaping (src/report/html-*.ts). No script at all: the Content Security Policy allows only the
// inline style, by hash, and no fetch.
import { createHash } from 'node:crypto';
import { formatInstant } from '../report/format.js';
import { escapeHtml, STATUS_LABEL } from '../report/html-checks.js';
import { REPORT_CSS } from '../report/html-style.js';
import type { CheckStatus } from '../report/model.js';
import type { CheckComparison, Comparison } from './compare.js';
import { countsUnderFailOn } from './compare.js';
import { CHANGE_LABEL } from './compare-text.js';

const COMPARE_CSS = `
table.compare { width: 100%; border-collapse: collapse; background: var(--panel); border: 1px solid var(--border); }
table.compare th, table.compare td { border-top: 1px solid var(--border); padding: 6px 10px; text-align: left; vertical-align: top; }
table.compare td.id { font-family: var(--mono); font-size: 12.5px; overflow-wrap: anywhere; }
tr.regression td:first-child { box-shadow: inset 3px 0 0 var(--failed); font-weight: 700; color: var(--failed); }
ul.offenders { margin: 4px 0 0; padding-left: 18px; font-family: var(--mono); font-size: 12.5px; }
li.new-offender { color: var(--failed); } li.gone-offender { color: var(--passed); }
`;
const STYLE = `${REPORT_CSS}${COMPARE_CSS}`;

function badge(status: CheckStatus | null): string {
  if (status === null) return '<span class="muted">absent</span>';
  const cls = escapeHtml(status);
  return `<span class="badge badge-${cls}">${escapeHtml(STATUS_LABEL[status] ?? status)}</span>`;
}

function renderRow(check: CheckComparison, comparison: Comparison): string {
  const regression = countsUnderFailOn(check, comparison.failOn);
  const offenders = [
    ...check.newOffenders.map((k) => `<li class="new-offender">new: ${escapeHtml(k)}</li>`),
    ...check.goneOffenders.map((k) => `<li class="gone-offender">gone: ${escapeHtml(k)}</li>`),
  ];
  const notes = [
    check.message ? `<p class="message">${escapeHtml(check.message)}</p>` : '',
    check.current === 'flaky' ? '<p class="outcome-note">Flaky: passed only on a retry.</p>' : '',
    check.waiver ? `<p class="outcome-note">Waiver ${escapeHtml(check.waiver.effect)}: ${escapeHtml(check.waiver.reason)} ` +
      `(${escapeHtml(check.waiver.owner)}, until ${escapeHtml(check.waiver.expires)})</p>` : '',
    offenders.length ? `<ul class="offenders">${offenders.join('')}</ul>` : '',
  ].join('');
  return `<tr class="change-${escapeHtml(check.change)}${regression ? ' regression' : ''}" data-id="${escapeHtml(check.id)}">` +
    `<td>${escapeHtml(CHANGE_LABEL[check.change])}${regression ? ' (regression)' : ''}</td>` +
    `<td class="id">${escapeHtml(check.id)}<br><span class="title">${escapeHtml(check.title)}</span></td>` +
    `<td>${badge(check.baseline)}</td><td>${badge(check.current)}</td><td>${notes}</td></tr>`;
}

export function renderComparisonHtml(comparison: Comparison): string {
  const hash = `'sha256-${createHash('sha256').update(STYLE, 'utf8').digest('base64')}'`;
  const csp = `default-src 'none'; style-src ${hash}; script-src 'none'; img-src 'none'; base-uri 'none'; form-action 'none'`;
  const { baseline, current, counts } = comparison;
  const verdict = comparison.verdict === 'failed' ? 'FAILED' : 'PASSED';
  const meta: Array<[string, string]> = [
    ['Baseline', `${baseline.runId} · ${baseline.version} · ${formatInstant(baseline.startedAt)}`],
    ['Current', `${current.runId} · ${current.version} · ${formatInstant(current.startedAt)}`],
    ['Fail on', comparison.failOn],
  ];
  const tiles = (Object.keys(CHANGE_LABEL) as Array<keyof typeof CHANGE_LABEL>)
    .map((c) => `<div class="tile"><span class="n">${counts[c]}</span><span class="label">${escapeHtml(CHANGE_LABEL[c])}</span></div>`);
  tiles.unshift(`<div class="tile tile-failed"><span class="n">${counts.regressions}</span><span class="label">regressions</span></div>`);
  const waivers = (comparison.waivers ?? []).filter((w) => w.state !== 'used')
    .map((w) => `<li>${escapeHtml(w.check)} (${escapeHtml(w.owner)}, until ${escapeHtml(w.expires)}): ${escapeHtml(w.state)}</li>`);
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>kube-assay compare ${verdict}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<div class="page">',
    `<header class="masthead verdict-${comparison.verdict}"><div class="identity"><div class="verdict">${verdict}</div>` +
      `<div><h1>kube-assay upgrade gate</h1><p class="subtitle">${counts.regressions} regression(s) under --fail-on ${escapeHtml(comparison.failOn)}</p></div></div>` +
      `<dl class="meta">${meta.map(([k, v]) => `<div><dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd></div>`).join('')}</dl></header>`,
    `<section class="summary" aria-label="Summary">${tiles.join('')}</section>`,
    '<main>',
    '<table class="compare"><thead><tr><th>Change</th><th>Check</th><th>Baseline</th><th>Current</th><th>Notes</th></tr></thead><tbody>',
    ...comparison.checks.map((c) => renderRow(c, comparison)),
    '</tbody></table>',
    waivers.length ? `<h2>Waivers that waived nothing</h2><ul>${waivers.join('')}</ul>` : '',
    '</main>',
    '<footer>Generated by kube-assay · the same comparison is in compare.json and compare-junit.xml</footer>',
    '</div>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
