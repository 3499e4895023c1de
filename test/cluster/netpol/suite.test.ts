// On a live cluster with NetworkPolicy enforced (the testbed: kube-router v1.6.1), one run of the
// whole netpol suite: enforcement and every hand-written scenario pass (the testbed has cluster
// DNS and a metadata service, so no scenario may skip for lack of them); the generated cases catch the testbed's known
// enforcer bugs, naming the cells that opened and grouping the cases, while every numbered-port
// case passes; testbed/waivers.yaml accepts exactly those cases (waived, never passed); and the
// run leaves nothing behind.
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../../src/config/paths.js';
import { applyWaivers } from '../../../src/gate/waivers.js';
import { loadWaivers } from '../../../src/gate/waivers-file.js';
import { ENFORCEMENT_SCENARIO } from '../../../src/netpol/enforcement-scenario.js';
import { generatedCases } from '../../../src/netpol/generator.js';
import { SCENARIOS } from '../../../src/netpol/scenarios.js';
import type { CheckResult, RunReport, TableAttachment } from '../../../src/report/model.js';
import { offendersOf } from '../../../src/report/offenders.js';
import { clusterClients, namespacesOfRun, requireCluster, runCli, type CliRun } from '../harness/support.js';

/** The testbed's known kube-router bugs, by case name: see testbed/waivers.yaml. */
const KNOWN_BUG = /^gen-(.*-named-(unserved|wrongproto)-|.*-(ipblock|ipexcept)-named-|both-(namespace|all)-)/;

function table(check: CheckResult | undefined, title: string): TableAttachment {
  const found = check?.attachments.find((a): a is TableAttachment => a.kind === 'table' && a.title === title);
  if (found === undefined) throw new Error(`no table "${title}" on ${check?.id ?? 'a missing check'}`);
  return found;
}

describe('cluster: kube-assay run --suite netpol (NetworkPolicy enforced, testbed)', function () {
  this.timeout(0);
  let kubeconfig: string;
  let reportDir: string;
  let run: CliRun;
  let wallMs: number;
  let report: RunReport;
  let byId: Map<string, CheckResult>;
  let generated: CheckResult | undefined;

  before(async function () {
    kubeconfig = requireCluster(this);
    reportDir = mkdtempSync(join(tmpdir(), 'ka-netpol-'));
    const started = Date.now();
    run = await runCli(['run', '--suite', 'netpol', '--kubeconfig', kubeconfig, '--report-dir', reportDir]);
    wallMs = Date.now() - started;
    report = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')) as RunReport;
    byId = new Map(report.suites.flatMap((s) => s.checks).map((c) => [c.id, c]));
    generated = byId.get('netpol/generated-cases');
  });
  after(() => {
    if (reportDir) rmSync(reportDir, { recursive: true, force: true });
  });

  it('passes enforcement and every hand-written scenario (none skipped), with truth tables, and leaves no namespace of the run', async () => {
    expect(byId.get(ENFORCEMENT_SCENARIO.id)?.status, `${run.stdout}\n${run.stderr}`).to.equal('passed');
    for (const scenario of SCENARIOS) {
      const result = byId.get(scenario.id);
      expect(result, scenario.id).to.not.equal(undefined);
      expect(result?.status, `${scenario.id}: ${result?.message ?? ''}`).to.equal('passed');
      expect(result?.attachments.some((a) => a.kind === 'table' && a.title.includes('observed')), `${scenario.id} observed tables`).to.equal(true);
    }
    console.log(`      netpol suite: ${(wallMs / 1000).toFixed(1)} s wall, ${report.summary.passed} passed, ${report.summary.failed} failed, ${report.summary.warn} warned, ${report.summary.skipped} skipped`);
    expect(readFileSync(join(reportDir, 'junit.xml'), 'utf8')).to.include('netpol/policy-update');
    expect(existsSync(join(reportDir, 'report.html'))).to.equal(true);
    expect(await namespacesOfRun(clusterClients(kubeconfig), report.metadata.runId)).to.deep.equal([]);
  });

  it('fails netpol/generated-cases (exit 1) on the unresolvable named-port cases, for ingress and egress, and on nothing but the known bugs; every numbered-port case with one direction passes', () => {
    expect(run.code).to.equal(1);
    expect(report.summary.failed, 'only the generated cases fail').to.equal(1);
    expect(generated?.status, generated?.message).to.equal('failed');
    const failing = offendersOf(generated ?? { attachments: [] }).map((o) => o.cells.name ?? '');
    for (const id of failing) expect(id, `${id} failed, but it is none of the testbed's known bugs`).to.match(KNOWN_BUG);
    const namedPort = failing.filter((id) => /-named-(unserved|wrongproto)-/.test(id));
    expect(namedPort.some((id) => id.startsWith('gen-ingress-')), 'an ingress named-port case fails').to.equal(true);
    expect(namedPort.some((id) => id.startsWith('gen-egress-')), 'an egress named-port case fails').to.equal(true);
    const inventory = table(generated, 'generated cases');
    const column = (name: string) => inventory.columns.indexOf(name);
    expect(inventory.rows.length).to.equal(generatedCases('default', { sctp: false }).length);
    const numbered = inventory.rows.filter((r) => r[column('port')] === 'numbered' && r[column('direction')] !== 'both');
    expect(numbered.length).to.be.greaterThan(3);
    for (const row of numbered) expect(row[column('result')], row[column('case')]).to.equal('passed');
  });

  it('names the cells that opened for each failing case, groups the failures by what they share, says SCTP is not probed, and attaches the pods of the labs they ran in as they were after their last job', () => {
    for (const id of offendersOf(generated ?? { attachments: [] }).map((o) => o.cells.name ?? '')) {
      const cells = generated?.attachments.find((a) => a.kind === 'text' && a.title.startsWith(`${id}: `));
      expect(cells, `cells of ${id}`).to.not.equal(undefined);
      expect(cells?.kind === 'text' ? cells.body : '').to.match(/expected blocked, observed allowed/).and.match(/reproduce: kubectl exec/);
    }
    const grouped = generated?.attachments.find((a) => a.kind === 'text' && a.title === 'failing cases, grouped');
    expect(grouped?.kind === 'text' ? grouped.body : '').to.contain('a named port that resolves on no destination pod');
    expect(generated?.message).to.match(/^\d+ of \d+ generated cases differ from the policies: every case with .*a named port that resolves on no destination pod/);
    // What the cases leave out is said, not left to be guessed.
    expect(generated?.details).to.contain('SCTP is not probed');
    // Dumped when each lab was released, before its pods and namespaces were deleted.
    const pods = generated?.attachments.filter((a) => a.kind === 'text' && a.title.startsWith('pods in ')) ?? [];
    expect(pods.length, 'pod dumps of the failing cases\' labs').to.be.greaterThan(0);
    for (const dump of pods) expect(dump.kind === 'text' ? dump.body : '', dump.title).to.match(/phase Running/).and.not.match(/could not be read/);
  });

  it('is waived case by case by testbed/waivers.yaml (what the main job on the testbed passes), reported waived and not passed', () => {
    const waived = applyWaivers(report, loadWaivers(join(packageRoot, 'testbed', 'waivers.yaml')), new Date());
    const result = waived.suites.flatMap((s) => s.checks).find((c) => c.id === 'netpol/generated-cases');
    expect(result?.status).to.equal('waived');
    expect(waived.summary.failed).to.equal(0);
  });
});
