import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { renderJUnit } from '../../../src/report/junit.js';
import { summarize, type RunReport } from '../../../src/report/model.js';
import { packageRoot } from '../../../src/config/paths.js';
import { sampleReport } from '../../golden/sample-report.js';

const XSD = join(packageRoot, 'test', 'unit', 'report', 'junit.xsd');
const XMLLINT = '/usr/bin/xmllint';

/** Opening tags of one element name, with their attributes. */
function tags(xml: string, name: string): Array<Record<string, string>> {
  const found: Array<Record<string, string>> = [];
  for (const match of xml.matchAll(new RegExp(`<${name}(\\s[^>]*)?/?>`, 'g'))) {
    const attrs: Record<string, string> = {};
    for (const attr of (match[1] ?? '').matchAll(/([\w:-]+)="([^"]*)"/g)) attrs[attr[1] ?? ''] = attr[2] ?? '';
    found.push(attrs);
  }
  return found;
}

/** The testcase elements of the document, each as its full text. */
function testcases(xml: string): string[] {
  return [...xml.matchAll(/<testcase\s[^>]*?(?:\/>|>[\s\S]*?<\/testcase>)/g)].map((m) => m[0]);
}

function suiteBlocks(xml: string): string[] {
  return [...xml.matchAll(/<testsuite\s[\s\S]*?<\/testsuite>/g)].map((m) => m[0]);
}

describe('renderJUnit', () => {
  const report = sampleReport();
  const xml = renderJUnit(report);

  it('is valid against the JUnit schema that CI viewers share (test/unit/report/junit.xsd)', function () {
    if (!existsSync(XMLLINT)) {
      console.log(`      skipped: ${XMLLINT} not found; install the Debian package "libxml2-utils" (scripts/deps/apt-test.txt)`);
      this.skip();
    }
    const dir = mkdtempSync(join(tmpdir(), 'kube-assay-junit-'));
    try {
      for (const [name, doc] of [['sample.xml', xml], ['empty.xml', renderJUnit({ ...report, suites: [], summary: summarize([]) })]] as const) {
        const file = join(dir, name);
        writeFileSync(file, doc);
        // Throws (and fails the test with xmllint's message) when the document is invalid.
        execFileSync(XMLLINT, ['--noout', '--schema', XSD, file], { stdio: 'pipe' });
      }
      // Sanity check that the schema rejects what it should: a testcase without a name.
      const broken = join(dir, 'broken.xml');
      writeFileSync(broken, xml.replace(/<testcase classname="([^"]*)" name="[^"]*"/, '<testcase classname="$1"'));
      expect(() => execFileSync(XMLLINT, ['--noout', '--schema', XSD, broken], { stdio: 'pipe' })).to.throw();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has one testsuite per suite with counts that match its testcases', () => {
    const blocks = suiteBlocks(xml);
    expect(blocks).to.have.length(report.suites.length);
    blocks.forEach((block, i) => {
      const suite = report.suites[i];
      const attrs = tags(block, 'testsuite')[0] ?? {};
      const cases = testcases(block);
      expect(attrs.name).to.equal(suite?.name);
      expect(Number(attrs.tests)).to.equal(cases.length).and.to.equal(suite?.checks.length);
      expect(Number(attrs.failures)).to.equal(cases.filter((c) => c.includes('<failure')).length);
      expect(Number(attrs.skipped)).to.equal(cases.filter((c) => c.includes('<skipped')).length);
      expect(Number(attrs.errors)).to.equal(0);
      expect(Number(attrs.time)).to.equal((suite?.durationMs ?? 0) / 1000);
    });
    const root = tags(xml, 'testsuites')[0] ?? {};
    expect(root).to.include({ tests: '11', failures: '3', skipped: '2', errors: '0' });
  });

  it('names each testcase "<id> <title>" with classname kube-assay.<suite> and time in seconds', () => {
    const cases = tags(xml, 'testcase');
    const checks = report.suites.flatMap((s) => s.checks.map((c) => ({ suite: s.name, check: c })));
    expect(cases).to.have.length(checks.length);
    cases.forEach((attrs, i) => {
      const entry = checks[i];
      expect(attrs.name).to.equal(`${entry?.check.id} ${entry?.check.title}`);
      expect(attrs.classname).to.equal(`kube-assay.${entry?.suite}`);
      expect(Number(attrs.time)).to.equal((entry?.check.durationMs ?? 0) / 1000);
    });
  });

  it('gives a failure a short message and the explanation, remediation and dumps in system-out', () => {
    const dns = testcases(xml).find((c) => c.includes('conformance/dns-service')) ?? '';
    const failure = tags(dns, 'failure')[0] ?? {};
    expect(failure.message).to.equal('nslookup echo.ka-dns-7f3c.svc.cluster.local timed out after 30s (expected 10.96.14.2)');
    const out = dns.slice(dns.indexOf('<system-out>'));
    expect(out).to.include('Observed: ";; connection timed out').and.include('Remediation:\nCheck that CoreDNS');
    expect(out).to.include('--- Events in ka-dns-7f3c ---').and.include('Started container probe <none>');
    expect(out, 'ANSI colour codes are removed').to.include('INFO listening on :8080').and.not.include('\u001b');
  });

  it('renders a table attachment as aligned plain text with mismatches marked', () => {
    const netpol = testcases(xml).find((c) => c.includes('netpol/default-deny-ingress')) ?? '';
    expect(netpol).to.include('from \\ to  a/x        a/y      b/x\n');
    expect(netpol).to.include('a/y        allowed *  allowed  blocked\n');
    expect(netpol).to.include('(* = differs from the expected result)');
  });

  it('keeps the XML well-formed when dumps contain "]]>" more than once', () => {
    const dns = testcases(xml).find((c) => c.includes('conformance/dns-service')) ?? '';
    const systemOut = /<system-out><!\[CDATA\[([\s\S]*?)\]\]><\/system-out>/.exec(dns);
    expect(systemOut?.[1]).to.include('payload with ]] > inside, twice ]] >');
  });

  it('reports skipped checks with the reason as the skipped message', () => {
    const skipped = testcases(xml).find((c) => c.includes('conformance/emptydir-restart')) ?? '';
    expect(tags(skipped, 'skipped')[0]?.message).to.equal('needs 2 schedulable nodes, found 1 (node taint &quot;dedicated=infra:NoSchedule&quot;)');
  });

  it('reports warn checks as passing testcases whose system-out starts with WARN:', () => {
    const warn = testcases(xml).find((c) => c.includes('netpol/egress-dns')) ?? '';
    expect(warn).not.to.match(/<(failure|skipped|error)/);
    expect(warn).to.include("<system-out><![CDATA[WARN: policy 'egress-only'");
  });

  it('shortens multi-line and overlong failure messages to one line', () => {
    const long = sampleReport();
    const check = long.suites[0]?.checks[3];
    if (!check) throw new Error('sample report changed: no fourth conformance check');
    check.message = `first line\nsecond line`;
    expect(tags(renderJUnit(long), 'failure')[0]?.message).to.equal('first line ...');
    check.message = 'x'.repeat(1000);
    expect(tags(renderJUnit(long), 'failure')[0]?.message).to.have.length(300);
  });

  it('lists the run metadata as properties of every testsuite', () => {
    const block = suiteBlocks(xml)[1] ?? '';
    const props = Object.fromEntries(tags(block, 'property').map((p) => [p.name, p.value]));
    expect(props).to.include({
      'kube-assay.run-id': 'ka-20251121-1004-7f3c',
      'kube-assay.cluster.context': 'kind-kube-assay',
      'kube-assay.cluster.server': 'https://127.0.0.1:6443',
      'kube-assay.cluster.version': 'v1.34.1',
      'kube-assay.cluster.platform': 'testbed',
      'kube-assay.tool-version': '0.1.0',
      'kube-assay.started-at': '2025-11-21T10:04:05.123Z',
      'kube-assay.finished-at': '2025-11-21T10:04:42.301Z',
      'kube-assay.verdict': 'failed',
    });
  });

  it('is pure: rendering again gives the same document (the library builder is not reused)', () => {
    expect(renderJUnit(report)).to.equal(xml);
  });

  it('escapes markup in names and messages', () => {
    const hostile: RunReport = sampleReport();
    const check = hostile.suites[0]?.checks[3];
    if (!check) throw new Error('sample report changed');
    check.id = 'x"><evil/>';
    check.message = '<evil attr="1">&';
    const out = renderJUnit(hostile);
    // Inside CDATA markup is inert text; everywhere else it must arrive escaped.
    expect(out.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '')).not.to.include('<evil');
    // xmlbuilder leaves '>' as is in attributes, which XML allows; '"' and '<' must be escaped.
    expect(out).to.include('name="x&quot;>&lt;evil/> Cluster DNS');
    expect(out).to.include('<failure message="&lt;evil attr=&quot;1&quot;>&amp;"');
  });
});
