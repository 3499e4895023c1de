// kube-assay compare end to end in-process: files in, exit code and compare files out.
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { cli } from '../cli/cli-run.js';
import { renderJson } from '../../../src/report/json.js';
import { packageRoot } from '../../../src/config/paths.js';
import { baselineReport, currentReport } from './gate-fixtures.js';


describe('kube-assay compare', () => {
  let dir: string;
  let before: string;
  let after: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ka-compare-'));
    before = join(dir, 'before.json');
    after = join(dir, 'after.json');
    writeFileSync(before, renderJson(baselineReport()));
    writeFileSync(after, renderJson(currentReport()));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 1 on regressions and writes compare.json (valid against its schema), compare.html and compare-junit.xml', async () => {
    const out = join(dir, 'out');
    const r = await cli('compare', before, after, '--out', out);
    expect(r.code, r.err).to.equal(1);
    expect(r.out).to.include('gate FAILED: 5 regression(s)');
    const json: unknown = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8'));
    const schema: unknown = JSON.parse(readFileSync(join(packageRoot, 'schemas', 'compare.schema.json'), 'utf8'));
    const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema as object);
    expect(validate(json), JSON.stringify(validate.errors)).to.equal(true);
    const junit = readFileSync(join(out, 'compare-junit.xml'), 'utf8');
    expect([...junit.matchAll(/<failure /g)]).to.have.length(5);
    expect(junit).to.include('type="regression-newly-skipped"');
    expect(junit).to.include('type="regression-newly-failing"');
    // Known failures (still failing, no new offender) are not green: they show as skipped.
    expect(junit).to.match(/<testcase[^>]*name="conformance\/dns-service[^"]*"[^>]*>\s*<skipped/);
    const html = readFileSync(join(out, 'compare.html'), 'utf8');
    expect(html).to.include("script-src 'none'");
    expect(html).to.include('new: node=kind-worker3, field=readOnlyPort');
  });

  it('exits 0 with --fail-on none and 1 with --fail-on any when only known failures remain', async () => {
    expect((await cli('compare', before, after, '--out', dir, '--fail-on', 'none')).code).to.equal(0);
    expect((await cli('compare', before, before, '--out', dir)).code).to.equal(0);
    expect((await cli('compare', before, before, '--out', dir, '--fail-on', 'any')).code).to.equal(1);
  });

  it('refuses an unknown --fail-on with exit 2', async () => {
    const r = await cli('compare', before, after, '--out', dir, '--fail-on', 'some');
    expect(r.code).to.equal(2);
    expect(r.err).to.include('--fail-on "some" is not one of new, any, none');
  });

  it('refuses a file that is not a report, in one sentence with exit 2', async () => {
    const other = join(dir, 'package.json');
    writeFileSync(other, '{"name": "x"}');
    const r = await cli('compare', other, after, '--out', dir);
    expect(r.code).to.equal(2);
    expect(r.err.trim()).to.equal(`kube-assay: baseline report ${other} is not a kube-assay report (no schemaVersion and suites): pass the report.json a kube-assay run wrote.`);
    expect(existsSync(join(dir, 'compare.json'))).to.equal(false);
  });

  it('refuses a report of another format major version, naming both versions', async () => {
    const future = baselineReport();
    future.schemaVersion = '2.0.0';
    writeFileSync(after, JSON.stringify(future));
    const r = await cli('compare', before, after, '--out', dir);
    expect(r.code).to.equal(2);
    expect(r.err).to.match(/current report .* has report format 2\.0\.0, but this kube-assay reads format 1\.x/);
  });
});

describe('kube-assay compare --waivers', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ka-compare-w-'));
    writeFileSync(join(dir, 'before.json'), renderJson(baselineReport()));
    writeFileSync(join(dir, 'after.json'), renderJson(currentReport()));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('does not count a waived regression, and prints a waiver that matched nothing', async () => {
    const waivers = join(dir, 'waivers.yaml');
    writeFileSync(waivers, [
      'waivers:',
      '  - {check: conformance/api-version, reason: "API flaps during the upgrade", owner: sre, expires: 2999-01-01}',
      '  - {check: cis/kubelet-*, reason: "not run here", owner: sre, expires: 2999-01-01}',
      '',
    ].join('\n'));
    const r = await cli('compare', join(dir, 'before.json'), join(dir, 'after.json'), '--out', dir, '--waivers', waivers);
    expect(r.code).to.equal(1);
    expect(r.out).to.include('gate FAILED: 4 regression(s)');
    expect(r.out).to.match(/waived\s+conformance\/api-version\s+passed\s+waived/);
    expect(r.out).to.include('note: waiver cis/kubelet-* (owner sre) is unused');
    const json: unknown = JSON.parse(readFileSync(join(dir, 'compare.json'), 'utf8'));
    const schema: unknown = JSON.parse(readFileSync(join(packageRoot, 'schemas', 'compare.schema.json'), 'utf8'));
    const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema as object);
    expect(validate(json), JSON.stringify(validate.errors)).to.equal(true);
    expect((json as { waivers: Array<{ state: string }> }).waivers.map((w) => w.state)).to.deep.equal(['used', 'unused']);
  });

  it('refuses an invalid waivers file with exit 2, naming file and path', async () => {
    const waivers = join(dir, 'waivers.yaml');
    writeFileSync(waivers, 'waivers:\n  - check: a/b\n');
    const r = await cli('compare', join(dir, 'before.json'), join(dir, 'after.json'), '--out', dir, '--waivers', waivers);
    expect(r.code).to.equal(2);
    expect(r.err).to.include(`waivers file ${waivers}: `).and.include('$.waivers[0]');
  });
});
