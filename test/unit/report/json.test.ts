import { expect } from 'chai';
import { renderJson } from '../../../src/report/json.js';
import { REPORT_SCHEMA_VERSION, type RunReport } from '../../../src/report/model.js';
import { formatReportErrors, REPORT_SCHEMA_FILE, validateReport } from '../../../src/report/validate.js';
import { sampleReport } from '../../golden/sample-report.js';

/** The sample as report.json would hold it, as a plain mutable object. */
function sampleJson(): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any -- tests break it freely
  return JSON.parse(renderJson(sampleReport())) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

function errorsOf(value: unknown): string[] {
  const result = validateReport(value);
  if (result.ok) throw new Error('expected the report to be invalid, but it validated');
  return result.errors.map((e) => `${e.path}: ${e.message}`);
}

describe('renderJson', () => {
  it('writes schemaVersion first and each check with id and status first, 2-space indented', () => {
    const text = renderJson(sampleReport());
    expect(text.startsWith(`{\n  "schemaVersion": "${REPORT_SCHEMA_VERSION}",\n  "metadata": {`)).to.equal(true);
    expect(text).to.include('{\n          "id": "conformance/api-version",\n          "status": "passed",');
    expect(text.endsWith('}\n')).to.equal(true);
  });

  it('round-trips the report and drops undefined optional fields', () => {
    const report = sampleReport();
    const check = report.suites[0]?.checks[0];
    if (!check) throw new Error('sample report changed');
    check.message = undefined;
    const parsed = JSON.parse(renderJson(report)) as RunReport;
    expect(parsed).to.deep.equal(JSON.parse(JSON.stringify(report)));
    expect(parsed.suites[0]?.checks[0]).not.to.have.property('message');
  });
});

describe('validateReport and schemas/report.schema.json', () => {
  it('accepts the sample report as written by renderJson', () => {
    const result = validateReport(sampleJson());
    expect(result.ok, result.ok ? '' : formatReportErrors(result.errors)).to.equal(true);
  });

  it('accepts a run with no results (its verdict is unknown)', () => {
    const report = sampleJson();
    report.suites = [];
    report.summary = { total: 0, passed: 0, failed: 0, skipped: 0, warn: 0, verdict: 'unknown' };
    expect(validateReport(report).ok).to.equal(true);
  });

  it('rejects an unknown status, naming the place and the allowed values', () => {
    const report = sampleJson();
    report.suites[0].checks[1].status = 'bogus';
    expect(errorsOf(report)).to.deep.equal([
      '/suites/0/checks/1/status: must be one of "passed", "failed", "skipped", "warn", "waived", "flaky"; got "bogus"',
    ]);
  });

  it('rejects a check without an id', () => {
    const report = sampleJson();
    delete report.suites[1].checks[2].id;
    expect(errorsOf(report)).to.deep.equal(['/suites/1/checks/2: missing required property "id"']);
  });

  it('rejects unknown properties (a typo must not pass silently) and wrong types', () => {
    const report = sampleJson();
    report.suites[0].checks[0].remedation = 'typo';
    report.metadata.cluster.nodeCount = '3';
    expect(errorsOf(report)).to.deep.equal([
      '/metadata/cluster/nodeCount: must be integer; got "3"',
      `/suites/0/checks/0: unknown property "remedation" (not in report schema ${REPORT_SCHEMA_FILE})`,
    ]);
  });

  it('rejects an attachment of unknown kind with one error', () => {
    const report = sampleJson();
    report.suites[1].checks[0].attachments[0].kind = 'image';
    expect(errorsOf(report)).to.deep.equal(['/suites/1/checks/0/attachments/0/kind: must be one of "table", "text"; got "image"']);
  });

  it('rejects a report of another major version', () => {
    const report = sampleJson();
    report.schemaVersion = '2.0.0';
    expect(errorsOf(report)[0]).to.match(/^\/schemaVersion: must match pattern/);
  });

  it('rejects a summary that does not match the checks', () => {
    const report = sampleJson();
    report.summary.failed = 0;
    report.summary.verdict = 'passed';
    expect(errorsOf(report)).to.deep.equal([
      '/summary/failed: is 0 but the checks give 3',
      '/summary/verdict: is "passed" but the checks give "failed"',
    ]);
  });

  it('rejects duplicate check IDs and ragged tables', () => {
    const report = sampleJson();
    report.suites[1].checks[1].id = 'conformance/dns-service';
    report.suites[1].checks[0].attachments[0].rows[2].pop();
    expect(errorsOf(report)).to.deep.equal([
      '/suites/1/checks/0/attachments/0/rows/2: row has 3 cells but the table has 4 columns',
      '/suites/1/checks/0/attachments/0/marks: marks must have the same shape as rows',
      '/suites/1/checks/1/id: check ID "conformance/dns-service" is already used at /suites/0/checks/3',
    ]);
  });

  it('rejects values that are not reports at all', () => {
    expect(errorsOf(null)).to.deep.equal([': must be object; got null']);
    const result = validateReport([]);
    expect(formatReportErrors(result.ok ? [] : result.errors, 'old/report.json')).to.equal(
      'old/report.json: (root): must be object; got []',
    );
  });
});
