import { expect } from 'chai';
import { applyWaivers, globMatches, waiverNotes } from '../../../src/gate/waivers.js';
import { parseWaivers, type Waiver } from '../../../src/gate/waivers-file.js';
import { ConfigError } from '../../../src/errors.js';
import { renderJUnit } from '../../../src/report/junit.js';
import { validateReport } from '../../../src/report/validate.js';
import { baselineReport, findCheck } from './gate-fixtures.js';

const NOW = new Date('2026-12-01T12:00:00Z');
const waiver = (fields: Partial<Waiver> & Pick<Waiver, 'check'>): Waiver => ({ reason: 'known', owner: 'team-a', expires: '2027-01-31', ...fields });
const apply = (waivers: Waiver[], now = NOW) => applyWaivers(baselineReport(), { file: 'waivers.yaml', waivers }, now);

describe('applyWaivers', () => {
  it('GIVEN a waiver for one failed check THEN exactly that check is waived, not passed, and the run no longer fails', () => {
    const report = apply(['conformance/dns-service', 'conformance/node-kubelet-config', 'netpol/default-deny-ingress', 'conformance/service-endpoints']
      .map((check) => waiver({ check })));
    expect(findCheck(report, 'conformance/dns-service')).to.deep.include({ status: 'waived' });
    expect(findCheck(report, 'conformance/dns-service').waiver).to.deep.include({ effect: 'waived', owner: 'team-a', reason: 'known' });
    expect(report.summary).to.include({ failed: 0, waived: 4, passed: 4, verdict: 'passed' });
    expect(validateReport(JSON.parse(JSON.stringify(report))).ok).to.equal(true);
  });

  it('GIVEN a waiver for one check THEN other failures stay failed', () => {
    const report = apply([waiver({ check: 'conformance/dns-service' })]);
    expect(findCheck(report, 'conformance/node-kubelet-config').status).to.equal('failed');
    expect(findCheck(report, 'netpol/default-deny-ingress').status).to.equal('failed');
    expect(report.summary).to.include({ failed: 3, waived: 1, verdict: 'failed' });
  });

  it('GIVEN a report already waived by another file THEN the new file replaces those waivers', () => {
    // The sample's service-endpoints was waived when it was written; this file does not waive it.
    const report = apply([waiver({ check: 'conformance/dns-service' })]);
    expect(findCheck(report, 'conformance/service-endpoints')).to.deep.include({ status: 'failed' });
    expect(findCheck(report, 'conformance/service-endpoints').waiver).to.equal(undefined);
  });

  it('GIVEN a glob THEN it waives every failed check it matches and nothing else', () => {
    const report = apply([waiver({ check: 'conformance/*' })]);
    expect(findCheck(report, 'conformance/dns-service').status).to.equal('waived');
    expect(findCheck(report, 'conformance/node-kubelet-config').status).to.equal('waived');
    expect(findCheck(report, 'netpol/default-deny-ingress').status).to.equal('failed');
    expect(findCheck(report, 'conformance/api-version').status, 'a passed check is untouched').to.equal('passed');
    expect(globMatches('cis/kubelet-*', 'cis/kubelet-anonymous-auth')).to.equal(true);
    expect(globMatches('cis/kubelet-*', 'cis/apiserver-audit')).to.equal(false);
  });

  it('GIVEN match on one node THEN only that offender is waived and the check stays failed for the other', () => {
    const report = apply([waiver({ check: 'conformance/node-kubelet-config', match: { node: 'kind-worker' } })]);
    const check = findCheck(report, 'conformance/node-kubelet-config');
    expect(check.status).to.equal('failed');
    expect(check.waiver).to.deep.include({ effect: 'partial', offenders: ['node=kind-worker, field=readOnlyPort'] });
  });

  it('GIVEN match on a node THEN it waives the rows of an engine offender table for that node only', () => {
    const report = baselineReport();
    const check = findCheck(report, 'conformance/node-kubelet-config');
    check.attachments = [{ kind: 'table', title: 'offenders', columns: ['object', 'field', 'value seen', 'value expected', 'severity', 'why'],
      rows: [['kubelet (node ip-a)', 'readOnlyPort', '10255', '0', 'fail', ''], ['kubelet (node ip-b)', 'readOnlyPort', '10255', '0', 'fail', '']] }];
    const waived = applyWaivers(report, { file: 'w', waivers: [waiver({ check: 'conformance/node-kubelet-config', match: { node: 'ip-a' } })] }, NOW);
    expect(findCheck(waived, 'conformance/node-kubelet-config').waiver).to.deep.include({ effect: 'partial', offenders: ['object=kubelet (node ip-a), field=readOnlyPort'] });
  });

  it('GIVEN matches that cover every offender THEN the check is waived, and the notes after the run say so', () => {
    const report = apply([waiver({ check: 'conformance/node-kubelet-config', match: { node: 'kind-worker*' } })]);
    expect(findCheck(report, 'conformance/node-kubelet-config').status).to.equal('waived');
    expect(waiverNotes(report)[0]).to.match(/^conformance\/node-kubelet-config is waived: Waived by waiver "conformance\/node-kubelet-config" \(owner team-a, until /);
  });

  it('GIVEN a match no offender row satisfies THEN nothing is waived and the waiver is listed as unused', () => {
    const report = apply([waiver({ check: 'conformance/node-kubelet-config', match: { node: 'other-node' } }), waiver({ check: 'storage/*' })]);
    expect(findCheck(report, 'conformance/node-kubelet-config')).to.deep.include({ status: 'failed' });
    expect(findCheck(report, 'conformance/node-kubelet-config').waiver).to.equal(undefined);
    expect(report.waivers?.entries.map((e) => e.state)).to.deep.equal(['unused', 'unused']);
    expect(waiverNotes(report)).to.deep.equal([
      'waiver conformance/node-kubelet-config (match node=other-node) (owner team-a) is unused: it matched no failure in this run; remove it from waivers.yaml once the failure is gone for good',
      'waiver storage/* (owner team-a) is unused: it matched no failure in this run; remove it from waivers.yaml once the failure is gone for good',
    ]);
  });

  it('GIVEN a clock after the expiry day THEN the waiver stops waiving and the result says it expired on that date', () => {
    const w = waiver({ check: 'conformance/dns-service', expires: '2026-11-30' });
    expect(findCheck(apply([w], new Date('2026-11-30T23:59:59Z')), 'conformance/dns-service').status, 'valid through its last day').to.equal('waived');
    const report = apply([w], new Date('2026-12-01T00:00:00Z'));
    const check = findCheck(report, 'conformance/dns-service');
    expect(check.status).to.equal('failed');
    expect(check.waiver?.effect).to.equal('expired');
    expect(renderJUnit(report)).to.include('expired on 2026-11-30 and no longer waives this failure');
    expect(report.waivers?.entries[0]).to.deep.include({ state: 'expired', checks: ['conformance/dns-service'] });
    expect(waiverNotes(report)).to.deep.equal(['waiver conformance/dns-service (owner team-a) expired on 2026-11-30 and waives nothing; conformance/dns-service fail(s) again']);
  });

  it('does not waive warn, skipped or passed checks', () => {
    const report = apply([waiver({ check: 'netpol/*' })]);
    expect(findCheck(report, 'netpol/egress-dns').status).to.equal('warn');
    expect(findCheck(report, 'netpol/allow-same-namespace').status).to.equal('passed');
  });
});

describe('parseWaivers', () => {
  const problem = (text: string): string => {
    try {
      parseWaivers(text, '/ci/waivers.yaml');
    } catch (err) {
      expect(err).to.be.instanceOf(ConfigError);
      return (err as Error).message;
    }
    throw new Error('expected a ConfigError');
  };

  it('reads the documented shape and keeps dates as written', () => {
    const file = parseWaivers('waivers:\n  - check: conformance/service-endpoints\n    reason: "old pool"\n    owner: platform\n    expires: 2027-01-31\n    match: {node: ip-10-0-1-5}\n', 'w.yaml');
    expect(file.waivers).to.deep.equal([{ check: 'conformance/service-endpoints', reason: 'old pool', owner: 'platform', expires: '2027-01-31', match: { node: 'ip-10-0-1-5' } }]);
  });

  it('names the file and the JSON path of an unknown key', () => {
    expect(problem('waivers:\n  - check: a/b\n    reason: r\n    owner: o\n    expires: 2027-01-31\n    expiry: 2027-01-31\n'))
      .to.match(/^waivers file \/ci\/waivers\.yaml: unknown key "expiry" at \$\.waivers\[0\].*fix the file to match schemas\/waivers\.schema\.json\.$/);
  });

  it('names a missing owner and an impossible date', () => {
    expect(problem('waivers:\n  - check: a/b\n    reason: r\n    expires: 2027-01-31\n')).to.include('owner');
    expect(problem('waivers:\n  - check: a/b\n    reason: r\n    owner: o\n    expires: 2027-02-30\n')).to.include('$.waivers[0].expires "2027-02-30" is not a calendar date');
  });
});

describe('report.html with waivers', () => {
  it('lists every waiver with what it did, unused ones included', async () => {
    const { renderHtml } = await import('../../../src/report/html.js');
    const html = renderHtml(apply([waiver({ check: 'conformance/dns-service' }), waiver({ check: 'storage/<x>' })]));
    expect(html).to.include('<section class="waivers" aria-label="Waivers">');
    expect(html).to.include('<tr><td>conformance/dns-service</td><td>waived: conformance/dns-service</td>');
    expect(html).to.include('<tr><td>storage/&lt;x&gt;</td><td>unused: matched no failure</td>');
  });
});
