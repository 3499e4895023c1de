// On the testbed: iam/role-annotation-scoping against the credential broker (testbed/standins/
// credential-broker.mjs, a kube2iam stand-in). Skipped with its reason without a broker (as `up`
// leaves the testbed); passes with the safe broker, where every other iam check still passes;
// fails, naming the reason, on a pod asking for a role outside iam.intendedRoles and on each
// faulty setting (restrictions off, a default role, an unanchored pattern). The broker is reset
// and everything created removed afterwards, whatever happened.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireCluster, testbed } from '../harness/support.js';
import { checkOf } from '../storage/support.js';
import { ClusterChanges, messageOf, runIamSuite, statusOf, TEST_LABELS, type IamRun } from './support.js';

const CHECK = 'iam/role-annotation-scoping';
const TENANT_NS = 'ka-iam-test-broker-payments';
// What the broker hands out: none of it may reach a report or the output.
const BROKER_SECRETS = ['kassay/broker/fake-secret-for-', 'kassay-broker-fake-session-token', 'ASIAKASSAYBROKER0'];

function tenantPodYaml(role: string): string {
  const labels = TEST_LABELS.split(',').map((l) => `    ${l.replace('=', ': ')}`);
  return [
    'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: payments-api', `  namespace: ${TENANT_NS}`, '  labels:', ...labels,
    '  annotations:', `    iam.amazonaws.com/role: ${role}`,
    'spec:', '  automountServiceAccountToken: false', '  containers:',
    '  - {name: app, image: "kube-assay.local/probe:1.0", imagePullPolicy: Never, command: [/agnhost, pause]}',
  ].join('\n');
}

describe('cluster: iam/role-annotation-scoping against the testbed\'s credential broker', function () {
  this.timeout(0);
  let kubeconfig: string;
  let dir: string;
  const changes = new ClusterChanges();

  before(function () {
    kubeconfig = requireCluster(this);
    dir = mkdtempSync(join(tmpdir(), 'ka-iam-broker-'));
  });
  after(async () => {
    try {
      const reset = await testbed('broker', 'reset');
      if (reset.code !== 0) console.log(`      WARNING: testbed broker reset failed: ${reset.stderr}`);
    } finally {
      await changes.undo();
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  });

  async function brokerMode(mode: string): Promise<void> {
    const r = await testbed('broker', mode);
    if (r.code !== 0) throw new Error(`testbed broker ${mode} failed: ${r.stderr}`);
  }

  const runCheck = (name: string, iam = '  nodeSample: 1\n', grep = 'role-annotation-scoping'): Promise<IamRun> => runIamSuite(kubeconfig, dir, name, iam, ['--grep', grep]);

  function expectNoSecret(run: IamRun): void {
    const everything = JSON.stringify(run.report) + run.output;
    for (const secret of BROKER_SECRETS) expect(everything, `the report or output contains ${secret}`).not.to.contain(secret);
  }

  function tableOf(run: IamRun, title: string): string {
    return JSON.stringify(checkOf(run.report, CHECK)?.attachments.find((a) => a.kind === 'table' && a.title === title) ?? null);
  }

  it('GIVEN no broker (the testbed as `up` leaves it) THEN the check is skipped, naming why', async () => {
    await brokerMode('reset');
    const run = await runCheck('off');
    console.log(`      off: ${statusOf(run.report, CHECK) ?? '?'}: ${messageOf(run.report, CHECK)}`);
    expect(statusOf(run.report, CHECK), run.output).to.equal('skipped');
    // Both pods reach the metadata mock itself, which answers them alike (what it answers depends on the imds mode).
    expect(messageOf(run.report, CHECK)).to.match(/^no kube2iam or kiam broker: no DaemonSet is named, labelled or imaged kube2iam or kiam, and the metadata service answered an annotated and an unannotated probe pod alike \(listing \d{3}\b[^)]*\)$/);
    // Run alone, the check's skip is the whole run, which the harness refuses to call a pass.
    expect(run.code, run.output).to.equal(1);
    expect(run.output).to.contain('no checks ran: all 1 checks were skipped');
  });

  it('GIVEN the safe broker and a pod asking for its intended role THEN the check passes, and every other iam check still does', async () => {
    await brokerMode('on');
    await changes.tenantNamespace(TENANT_NS, 'baseline', false);
    await changes.apply(tenantPodYaml('payments-app'), `pod ${TENANT_NS}/payments-api`);
    // The testbed's Pod Identity association too, so that check runs rather than skips.
    const run = await runIamSuite(kubeconfig, dir, 'safe', `  namespaces: [${TENANT_NS}]\n  intendedRoles: {${TENANT_NS}: [payments-app]}\n  podIdentityServiceAccounts: [kassay-pod-identity/associated]\n`);
    const skipped = ['iam/aws-auth', 'iam/imds-host-network'];
    for (const check of run.report.suites.flatMap((s) => s.checks)) {
      expect(check.status, `${check.id}: ${check.message ?? ''}\n${run.output}`).to.equal(skipped.includes(check.id) ? 'skipped' : 'passed');
    }
    expect(statusOf(run.report, CHECK)).to.equal('passed');
    expect(run.code, run.output).to.equal(0);
    const table = tableOf(run, 'pod -> annotation -> role received');
    expect(table).to.contain('"permitted","ka-').and.to.contain('"exactly kassay-probe-app"').and.to.contain('"200 ASIA…');
    expect(tableOf(run, 'pods of the audited namespaces and their intended roles')).to.contain('"payments-api","payments-app","annotation","payments-app","ok"');
    expectNoSecret(run);
  });

  it('GIVEN the safe broker and a pod asking for a role outside iam.intendedRoles THEN the check fails naming the pod and the role', async () => {
    await brokerMode('on');
    const run = await runCheck('intended', `  namespaces: [${TENANT_NS}]\n  intendedRoles: {${TENANT_NS}: [payments-readonly]}\n`);
    expect(statusOf(run.report, CHECK), run.output).to.equal('failed');
    expect(messageOf(run.report, CHECK)).to.equal(`pod ${TENANT_NS}/payments-api asks for payments-app, which is not among iam.intendedRoles.${TENANT_NS} (payments-readonly)`);
    expect(run.code, run.output).to.equal(1);
  });

  const faulty: Array<[mode: string, reason: RegExp]> = [
    ['no-restrictions', /^namespace restrictions are off: pod no-allow-list in namespace \S+, which has no allow-list annotation, got kassay-probe-app, and namespace \S+'s allow-list \(kassay-probe-app\) was ignored too: pod not-permitted got kassay-probe-other, pod unanchored-trap got kassay-probe-app-admin$/],
    ['default-role', /^an unannotated pod got the default role kassay-default-role: every pod without a role annotation in any namespace gets it$/],
    ['unanchored', /^the allow-list pattern "kassay-probe-app" of namespace \S+ let kassay-probe-app-admin through: the broker matches it unanchored/],
  ];
  for (const [mode, reason] of faulty) {
    it(`GIVEN the broker in mode ${mode} THEN the check fails for that reason, and no credential reaches the report`, async () => {
      await brokerMode(mode);
      // With a default role, the metadata check's unannotated tenant pod gets that role's credentials too.
      const run = await runCheck(mode, undefined, mode === 'default-role' ? 'role-annotation-scoping|imds-node-credentials' : undefined);
      console.log(`      ${mode}: ${statusOf(run.report, CHECK) ?? '?'}: ${messageOf(run.report, CHECK)}`);
      expect(statusOf(run.report, CHECK), run.output).to.equal('failed');
      expect(messageOf(run.report, CHECK)).to.match(reason);
      expect(run.code, run.output).to.equal(1);
      if (mode === 'default-role') {
        expect(statusOf(run.report, 'iam/imds-node-credentials'), run.output).to.equal('failed');
        expect(messageOf(run.report, 'iam/imds-node-credentials')).to.match(/node assay-node: IMDSv1 and IMDSv2 handed role kassay-default-role \(ASIA…[0-9A-F]{3}\)/);
      }
      expectNoSecret(run);
    });
  }
});
