import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { renderHtml } from '../../../src/report/html.js';
import { summarize, type RunReport } from '../../../src/report/model.js';
import { sampleReport } from '../../golden/sample-report.js';

function hostileReport(): RunReport {
  const report = sampleReport();
  const suite = report.suites[0];
  const check = suite?.checks[3];
  if (!suite || !check) throw new Error('sample report changed');
  suite.name = 'conf"><svg onload=alert(1)>';
  suite.title = '<img src=x onerror=alert(2)>';
  check.id = 'x"><img src=x onerror=alert(3)>';
  check.title = '</summary><script>alert(4)</script>';
  check.message = "<iframe src='javascript:alert(5)'></iframe>";
  check.attachments.push({ kind: 'table', title: '<b>t</b>', columns: ['<th>'], rows: [['<td onclick=alert(6)>']] });
  report.metadata.cluster.context = '</title><script>alert(7)</script>';
  return report;
}

describe('renderHtml', () => {
  const report = sampleReport();
  const html = renderHtml(report);

  it('shows the verdict, run metadata and the summary counts', () => {
    expect(html).to.include('<div class="verdict" id="verdict">FAILED</div>');
    for (const text of ['kind-kube-assay', 'https://127.0.0.1:6443', 'v1.34.1 · 3 nodes', 'kube-assay testbed',
      'ka-20251121-1004-7f3c', '2025-11-21 10:04:05 UTC', '2025-11-21 10:04:42 UTC', '37.2s']) {
      expect(html).to.include(text);
    }
    const counts = Object.fromEntries([...html.matchAll(/data-count="(\w+)">(\d+)</g)].map((m) => [m[1], Number(m[2])]));
    expect(counts).to.deep.equal({ total: 11, failed: 3, waived: 1, flaky: 1, warn: 1, skipped: 1, passed: 4 });
    expect(html, 'waived and flaky can be filtered by').to.include('<option value="waived">Waived (1)</option><option value="flaky">Flaky (1)</option>');
    expect(html).to.include('<span class="badge badge-waived">Waived</span>');
  });

  it('lists every check with status, ID, title and duration, failures opened', () => {
    const checks = [...html.matchAll(/<(details|div) class="check check-(\w+)" data-status="\w+" data-suite="[^"]*" data-id="([^"]*)"( open)?/g)];
    expect(checks.map((m) => m[3])).to.deep.equal(report.suites.flatMap((s) => s.checks.map((c) => c.id)));
    for (const m of checks) {
      if (m[2] === 'failed') expect(m[4], `${m[3]} open`).to.equal(' open');
      if (m[2] === 'passed') expect(m[4], `${m[3]} closed`).to.equal(undefined);
    }
    expect(html).to.include('<span class="title">Cluster DNS resolves a Service name</span><span class="duration">30.1s</span>');
  });

  it('renders tables as HTML tables with mismatching cells marked bad', () => {
    expect(html.match(/<table class="data">/g)).to.have.length(3);
    expect(html.match(/<td class="bad"/g)).to.have.length(2);
    expect(html).to.include('<th scope="col">from \\ to</th>');
  });

  it('puts text attachments verbatim (escaped, colour codes removed) in <pre>', () => {
    expect(html).to.include('<pre>INFO listening on :8080\nGET /?q=&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;lang=en 200');
    expect(html).not.to.include('\u001b');
  });

  it('escapes everything that comes from a cluster', () => {
    const out = renderHtml(hostileReport());
    expect(out.match(/<script/g), 'only the page script').to.have.length(1);
    for (const tag of ['<img', '<svg onload', '<iframe', '<td onclick', '<b>t', '<th>']) expect(out).not.to.include(tag);
    expect(out).to.include('data-id="x&quot;&gt;&lt;img src=x onerror=alert(3)&gt;"');
    expect(out).to.include('<title>kube-assay FAILED: &lt;/title&gt;&lt;script&gt;alert(7)&lt;/script&gt;</title>');
  });

  it('is self-contained: no external resource, and a CSP that pins the inline code and forbids fetches', () => {
    expect(html).not.to.match(/\s(src|href)=/);
    expect(html).not.to.match(/@import|url\(/);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    expect(csp).to.include("default-src 'none'");
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    expect(csp).to.include(`style-src ${hash(style)}`).and.include(`script-src ${hash(script)}`);
  });

  it('keeps filters hidden until the script runs, so the page reads the same without JavaScript', () => {
    expect(html).to.include('<nav class="toolbar" id="toolbar" aria-label="Filters" hidden>');
    expect(html).to.include('<noscript>');
  });

  it('says UNKNOWN, not passed, for a run without results', () => {
    const empty: RunReport = { ...report, suites: [], summary: summarize([]) };
    const out = renderHtml(empty);
    expect(out).to.include('<div class="verdict" id="verdict">UNKNOWN</div>');
    expect(out).to.include('No checks ran. A run without results is not a pass');
    expect(out).not.to.include('PASSED');
  });
});
