// On the testbed, whose enforcer (kube-router v1.6.1) opens every port for a named port it
// cannot resolve: the default generated cases catch exactly that. The unresolvable named-port
// cases fail, in both directions, naming the cells that opened; the numbered-port cases pass;
// the failure groups them; and the testbed's waivers file accepts exactly those cases.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../../src/config/paths.js';
import { generatedCases } from '../../../src/netpol/generator.js';
import { offendersOf } from '../../../src/report/offenders.js';
import type { CheckResult, RunReport, TableAttachment } from '../../../src/report/model.js';
import { applyWaivers } from '../../../src/gate/waivers.js';
import { loadWaivers } from '../../../src/gate/waivers-file.js';
import { requireCluster, runCli } from '../harness/support.js';

const UNRESOLVABLE = /-named-(unserved|wrongproto)-/;

function table(check: CheckResult | undefined, title: string): TableAttachment {
  const found = check?.attachments.find((a): a is TableAttachment => a.kind === 'table' && a.title === title);
  if (found === undefined) throw new Error(`no table "${title}" on ${check?.id ?? 'a missing check'}`);
  return found;
}

describe('cluster: netpol generated cases catch kube-router\'s unresolvable named-port bug (testbed)', function () {
  this.timeout(0);
  let kubeconfig: string;
  let reportDir: string;
  let report: RunReport;
  let check: CheckResult | undefined;
  let code: number | null;

  before(async function () {
    kubeconfig = requireCluster(this);
    reportDir = mkdtempSync(join(tmpdir(), 'ka-netpol-gen-'));
    const run = await runCli(['run', '--suite', 'netpol', '--grep', 'netpol/(enforcement|generated-cases)', '--kubeconfig', kubeconfig, '--report-dir', reportDir]);
    code = run.code;
    report = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')) as RunReport;
    check = report.suites.flatMap((s) => s.checks).find((c) => c.id === 'netpol/generated-cases');
  });
  after(() => {
    if (reportDir) rmSync(reportDir, { recursive: true, force: true });
  });

  it('fails netpol/generated-cases (exit 1) on exactly the unresolvable named-port cases, for ingress and egress, and passes every numbered-port case', () => {
    expect(code).to.equal(1);
    expect(check?.status, check?.message).to.equal('failed');
    const failing = offendersOf(check ?? { attachments: [] }).map((o) => o.cells.name ?? '');
    expect(failing.length, failing.join(', ')).to.be.greaterThan(0);
    for (const id of failing) expect(id, `${id} failed, but only unresolvable named ports are the testbed's known bug`).to.match(UNRESOLVABLE);
    expect(failing.some((id) => id.startsWith('gen-ingress-')), 'an ingress case fails').to.equal(true);
    expect(failing.some((id) => id.startsWith('gen-egress-')), 'an egress case fails').to.equal(true);
    const inventory = table(check, 'generated cases');
    const column = (name: string) => inventory.columns.indexOf(name);
    expect(inventory.rows.length).to.equal(generatedCases('default', { sctp: false }).length);
    const numbered = inventory.rows.filter((r) => r[column('port')] === 'numbered');
    expect(numbered.length).to.be.greaterThan(3);
    for (const row of numbered) expect(row[column('result')], row[column('case')]).to.equal('passed');
  });

  it('names the cells that opened for each failing case, and groups the failures by what they share', () => {
    for (const id of offendersOf(check ?? { attachments: [] }).map((o) => o.cells.name ?? '')) {
      const cells = check?.attachments.find((a) => a.kind === 'text' && a.title.startsWith(`${id}: `));
      expect(cells, `cells of ${id}`).to.not.equal(undefined);
      expect(cells?.kind === 'text' ? cells.body : '').to.match(/expected blocked, observed allowed/).and.match(/reproduce: kubectl exec/);
    }
    const grouped = check?.attachments.find((a) => a.kind === 'text' && a.title === 'failing cases, grouped');
    expect(grouped?.kind === 'text' ? grouped.body : '').to.contain('every case with a named port that resolves on no destination pod');
    expect(check?.message).to.match(/^\d+ of \d+ generated cases differ from the policies: every case with a named port that resolves on no destination pod/);
  });

  it('is waived, case by case, by testbed/waivers.yaml, and not passed', () => {
    const waivers = loadWaivers(join(packageRoot, 'testbed', 'waivers.yaml'));
    const waived = applyWaivers(report, waivers, new Date());
    const result = waived.suites.flatMap((s) => s.checks).find((c) => c.id === 'netpol/generated-cases');
    expect(result?.status).to.equal('waived');
  });
});
