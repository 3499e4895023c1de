// Stylesheet of report.html, inlined so the file needs no network. System font stacks only: a
// report is opened on CI artifact viewers and air-gapped laptops that cannot fetch web fonts.

export const REPORT_CSS = `
:root {
  --bg: #f6f7f9; --panel: #ffffff; --text: #1f2328; --muted: #5f6b7a; --border: #d9dee4;
  --code-bg: #f1f3f5; --accent: #2f5dad;
  --passed: #1f7a3a; --passed-bg: #e6f4ea; --failed: #b42318; --failed-bg: #fdecea;
  --warn: #9a5b00; --warn-bg: #fff4e0; --skipped: #5f6b7a; --skipped-bg: #eef0f3;
  --unknown: #5f6b7a; --unknown-bg: #eef0f3;
  --waived: #6a3fb5; --waived-bg: #f1eafd; --flaky: #a13f78; --flaky-bg: #fbe9f3;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0f1216; --panel: #171b21; --text: #e6e8eb; --muted: #9aa4b1; --border: #2c333c;
    --code-bg: #1e242c; --accent: #7aa2f7;
    --passed: #5cc27a; --passed-bg: #17301f; --failed: #ff7b72; --failed-bg: #3a1a1a;
    --warn: #f0b45a; --warn-bg: #3a2b12; --skipped: #9aa4b1; --skipped-bg: #232a33;
    --unknown: #9aa4b1; --unknown-bg: #232a33;
    --waived: #b69cf0; --waived-bg: #2a2140; --flaky: #f08cc4; --flaky-bg: #3a1a2e;
  }
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body {
  margin: 0; background: var(--bg); color: var(--text); line-height: 1.45; font-size: 14px;
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    "Liberation Sans", "DejaVu Sans", sans-serif;
}
.page { max-width: 1180px; margin: 0 auto; padding: 20px 24px 40px; }
code, pre, .mono { font-family: var(--mono); font-size: 12.5px; }
h1, h2, h3, h4 { margin: 0; font-weight: 600; }

.masthead {
  display: flex; flex-wrap: wrap; gap: 16px 32px; align-items: flex-start; justify-content: space-between;
  background: var(--panel); border: 1px solid var(--border); border-top: 4px solid var(--unknown);
  border-radius: 8px; padding: 16px 20px;
}
.masthead.verdict-passed { border-top-color: var(--passed); }
.masthead.verdict-failed { border-top-color: var(--failed); }
.identity { display: flex; gap: 14px; align-items: center; }
.identity h1 { font-size: 20px; }
.identity .subtitle { margin: 2px 0 0; color: var(--muted); }
.verdict {
  font-weight: 700; letter-spacing: .06em; font-size: 15px; padding: 8px 14px; border-radius: 6px;
  background: var(--unknown-bg); color: var(--unknown); white-space: nowrap;
}
.verdict-passed .verdict { background: var(--passed-bg); color: var(--passed); }
.verdict-failed .verdict { background: var(--failed-bg); color: var(--failed); }
.meta { display: grid; grid-template-columns: repeat(3, auto); gap: 4px 24px; margin: 0; }
.meta div { display: flex; gap: 8px; min-width: 0; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; overflow-wrap: anywhere; }

.summary { display: flex; flex-wrap: wrap; gap: 10px; margin: 16px 0 6px; }
.tile {
  flex: 1 1 120px; display: flex; flex-direction: column; align-items: flex-start; gap: 2px;
  background: var(--panel); border: 1px solid var(--border); border-radius: 8px; padding: 10px 14px;
  font: inherit; color: inherit; text-align: left; cursor: pointer;
}
.tile:hover { border-color: var(--accent); }
.tile[aria-pressed="true"] { outline: 2px solid var(--accent); outline-offset: -2px; }
.tile .n { font-size: 24px; font-weight: 700; line-height: 1.1; }
.tile .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .05em; }
.tile-passed .n { color: var(--passed); }
.tile-failed .n { color: var(--failed); }
.tile-warn .n { color: var(--warn); }
.tile-skipped .n { color: var(--skipped); }
.tile-waived .n { color: var(--waived); }
.tile-flaky .n { color: var(--flaky); }
.bar { display: block; width: 100%; height: 6px; border-radius: 3px; margin: 4px 0 14px; background: var(--border); }
.bar .seg-passed { fill: var(--passed); } .bar .seg-failed { fill: var(--failed); }
.bar .seg-warn { fill: var(--warn); } .bar .seg-skipped { fill: var(--skipped); opacity: .45; }
.bar .seg-waived { fill: var(--waived); } .bar .seg-flaky { fill: var(--flaky); }

.toolbar {
  position: sticky; top: 0; z-index: 2; display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: center;
  background: var(--bg); padding: 8px 0 10px; border-bottom: 1px solid var(--border); margin-bottom: 14px;
}
.toolbar label { display: flex; gap: 6px; align-items: center; color: var(--muted); }
.toolbar select { max-width: 240px; }
.toolbar select, .toolbar input, .toolbar button {
  font: inherit; color: var(--text); background: var(--panel); border: 1px solid var(--border);
  border-radius: 6px; padding: 5px 8px;
}
.toolbar input[type="search"] { flex: 1 1 220px; min-width: 180px; }
.toolbar button { cursor: pointer; }
.toolbar .shown { color: var(--muted); margin-left: auto; }
.notice { color: var(--muted); margin: 8px 0 14px; }

.suite { margin: 0 0 18px; }
.suite-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 10px; margin: 0 0 6px; }
.suite-head h2 { font-size: 16px; }
.suite-head code { color: var(--muted); }
.suite-head .stats { color: var(--muted); font-size: 13px; margin-left: auto; }
.checks { background: var(--panel); border: 1px solid var(--border); border-radius: 8px; overflow: hidden; }
.check { border-top: 1px solid var(--border); }
.check:first-child { border-top: 0; }
.row {
  display: grid; grid-template-columns: 12px 76px minmax(180px, 270px) 1fr auto; gap: 10px;
  align-items: baseline; padding: 7px 12px; list-style: none;
}
summary.row { cursor: pointer; }
summary.row::-webkit-details-marker { display: none; }
summary.row:hover { background: var(--code-bg); }
.row::before { content: ""; color: var(--muted); font-size: 11px; }
summary.row::before { content: "\\25B6"; }
details[open] > summary.row::before { content: "\\25BC"; }
.row .id { font-family: var(--mono); font-size: 12.5px; overflow-wrap: anywhere; }
.row .title { overflow-wrap: anywhere; }
.row .duration { color: var(--muted); font-size: 12.5px; white-space: nowrap; font-variant-numeric: tabular-nums; }
.badge {
  display: inline-block; text-align: center; font-size: 11px; font-weight: 700; letter-spacing: .05em;
  border-radius: 4px; padding: 2px 0; width: 76px; text-transform: uppercase;
}
.badge-passed { color: var(--passed); background: var(--passed-bg); }
.badge-failed { color: var(--failed); background: var(--failed-bg); }
.badge-warn { color: var(--warn); background: var(--warn-bg); }
.badge-skipped { color: var(--skipped); background: var(--skipped-bg); }
.badge-waived { color: var(--waived); background: var(--waived-bg); }
.badge-flaky { color: var(--flaky); background: var(--flaky-bg); }
.check-waived { box-shadow: inset 3px 0 0 var(--waived); }
.check-flaky { box-shadow: inset 3px 0 0 var(--flaky); }
.outcome-note { margin: 0; color: var(--muted); overflow-wrap: anywhere; }
.check-failed { box-shadow: inset 3px 0 0 var(--failed); }
.check-warn { box-shadow: inset 3px 0 0 var(--warn); }

.body { padding: 4px 16px 14px 120px; display: flex; flex-direction: column; gap: 10px; }
.message { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
.check-failed .message { color: var(--failed); }
.check-warn .message { color: var(--warn); }
.check-skipped .message { color: var(--muted); font-weight: 400; }
.field h3, .attachment figcaption { font-size: 11px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); margin: 0 0 4px; font-weight: 600; }
.field p { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.remediation p { border-left: 3px solid var(--accent); padding-left: 10px; }
pre {
  margin: 0; padding: 8px 10px; background: var(--code-bg); border: 1px solid var(--border); border-radius: 6px;
  overflow: auto; max-height: 420px; white-space: pre-wrap; overflow-wrap: anywhere;
}
.attachment { margin: 0; }
.table-wrap { overflow-x: auto; }
table.data { border-collapse: collapse; font-family: var(--mono); font-size: 12.5px; }
table.data th, table.data td { border: 1px solid var(--border); padding: 4px 10px; text-align: left; }
table.data thead th, table.data tbody td:first-child { background: var(--code-bg); font-weight: 600; }
table.data td.bad { background: var(--failed-bg); color: var(--failed); font-weight: 700; }
table.data td.ok { color: var(--passed); }
.legend { margin: 4px 0 0; color: var(--muted); font-size: 12px; }
.legend .swatch { display: inline-block; width: 10px; height: 10px; background: var(--failed-bg); border: 1px solid var(--failed); vertical-align: middle; margin-right: 4px; }
.empty { background: var(--panel); border: 1px dashed var(--border); border-radius: 8px; padding: 18px; color: var(--muted); }
footer { margin-top: 24px; color: var(--muted); font-size: 12px; }
@media (max-width: 760px) {
  .meta { grid-template-columns: 1fr; }
  .row { grid-template-columns: 12px 76px 1fr auto; }
  .row .id { grid-column: 3 / 5; grid-row: 2; }
  .body { padding-left: 16px; }
}
@media print {
  .toolbar, .tile { cursor: default; }
  .toolbar { display: none !important; }
  pre { max-height: none; }
}
`;
