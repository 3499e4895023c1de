// What the common JUnit consumers need, checked on the golden file itself
// (test/golden/sample/junit.xml, regenerated with UPDATE_GOLDEN=1 by golden.test.ts), so a change
// to the writer that breaks a consumer fails here even when the golden file was regenerated.
//   dorny/test-reporter: testsuite name and time, testcase name, failure message
//   mikepenz/action-junit-report: classname and name, failure message and type, system-out
//   GitLab artifacts:reports:junit: classname + name as identity (unique), time, failure body
//   Jenkins junit: testsuite name, classname as package.class, time, per-testcase system-out
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { renderJUnit } from '../../../src/report/junit.js';
import { packageRoot } from '../../../src/config/paths.js';
import { sampleReport } from '../../golden/sample-report.js';

const golden = readFileSync(join(packageRoot, 'test', 'golden', 'sample', 'junit.xml'), 'utf8');

function attrsOf(tag: string): Record<string, string> {
  return Object.fromEntries([...tag.matchAll(/([\w:-]+)="([^"]*)"/g)].map((m) => [m[1] ?? '', m[2] ?? '']));
}
function openingTags(xml: string, name: string): Array<Record<string, string>> {
  return [...xml.matchAll(new RegExp(`<${name}(\\s[^>]*)?/?>`, 'g'))].map((m) => attrsOf(m[1] ?? ''));
}
function testcaseBlocks(xml: string): string[] {
  return [...xml.matchAll(/<testcase\s[^>]*?(?:\/>|>[\s\S]*?<\/testcase>)/g)].map((m) => m[0]);
}

describe('junit.xml for CI consumers (golden file)', () => {
  const suites = openingTags(golden, 'testsuite');
  const cases = openingTags(golden, 'testcase');

  it('names the root and every testsuite, each testsuite with a time', () => {
    expect(openingTags(golden, 'testsuites')[0]?.name).to.equal('kube-assay');
    expect(suites.length).to.be.greaterThan(1);
    for (const suite of suites) {
      expect(suite.name).to.match(/^[a-z0-9-]+$/);
      expect(Number.isFinite(Number(suite.time))).to.equal(true);
    }
  });

  it('gives every testcase classname kube-assay.<suite> of its own testsuite', () => {
    const blocks = [...golden.matchAll(/<testsuite\s[\s\S]*?<\/testsuite>/g)].map((m) => m[0]);
    for (const block of blocks) {
      const suite = openingTags(block, 'testsuite')[0]?.name;
      for (const testcase of openingTags(block, 'testcase')) expect(testcase.classname).to.equal(`kube-assay.${suite}`);
    }
  });

  it('gives every testcase a unique name starting with its check ID', () => {
    const names = cases.map((c) => `${c.classname}/${c.name}`);
    expect(new Set(names).size).to.equal(names.length);
    for (const c of cases) expect(c.name).to.match(/^[a-z0-9-]+\/[a-z0-9/-]+ \S/);
  });

  it('gives every testcase a time in seconds', () => {
    for (const c of cases) expect(c.time, c.name).to.match(/^\d+(\.\d+)?$/);
  });

  it('gives every failure a message and a type, and a body that repeats the message', () => {
    const failures = testcaseBlocks(golden).filter((b) => b.includes('<failure'));
    expect(failures).to.have.length(3);
    for (const block of failures) {
      const failure = openingTags(block, 'failure')[0] ?? {};
      expect(failure.message).to.be.a('string').and.not.equal('');
      expect(failure.type).to.equal('failure');
      expect(block).to.include(`<![CDATA[${(failure.message ?? '').replaceAll('&quot;', '"').replaceAll('&amp;', '&').replaceAll('&lt;', '<')}`);
    }
  });

  it('gives every testcase its own system-out, and the testsuites none', () => {
    for (const block of testcaseBlocks(golden)) expect(block, block.slice(0, 120)).to.match(/<system-out><!\[CDATA\[\S/);
    const outside = golden.replace(/<testcase\s[\s\S]*?<\/testcase>/g, '');
    expect(outside).not.to.include('<system-out>');
  });

  it('keeps testcase names unique when two results share ID and title', () => {
    const report = sampleReport();
    const conformance = report.suites[0];
    const first = conformance?.checks[0];
    if (!conformance || !first) throw new Error('sample changed');
    conformance.checks.push({ ...first });
    const names = openingTags(renderJUnit(report), 'testcase').map((c) => c.name);
    expect(names.filter((n) => n?.startsWith('conformance/api-version '))).to.deep.equal([
      'conformance/api-version API server answers and reports its version',
      'conformance/api-version API server answers and reports its version (2)',
    ]);
  });
});
