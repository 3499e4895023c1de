// On the testbed: iam/irsa-injection and iam/pod-identity pass with the IRSA webhook and the Pod
// Identity agent in their safe modes, and each faulty setting (`testbed irsa MODE`,
// `testbed pod-identity MODE`) fails them for its stated reason (fail-open warns; off skips,
// saying why). Every mode is reset afterwards, whatever happened; no credential or token reaches
// the report or the output.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunReport } from '../../../src/report/model.js';
import { requireCluster, runCli, testbed } from '../harness/support.js';
import { checkOf, readReport } from '../storage/support.js';

const IRSA = 'iam/irsa-injection';
const POD_IDENTITY = 'iam/pod-identity';
/** The association the testbed provides (testbed/lib/eks-identity.sh). */
const ASSOCIATED = 'kassay-pod-identity/associated';
const SECRETS = ['kassay/testbed/fake-pod-identity-secret', 'kassay-testbed-fake-pod-identity-session-token', 'ASIAKASSAYPODIDENTQRS'];

describe('cluster: iam/irsa-injection and iam/pod-identity on the testbed\'s stand-ins', function () {
  this.timeout(0);
  let kubeconfig: string;
  let dir: string;

  before(function () {
    kubeconfig = requireCluster(this);
    dir = mkdtempSync(join(tmpdir(), 'ka-irsa-'));
  });
  after(async () => {
    for (const what of ['irsa', 'pod-identity']) {
      const r = await testbed(what, 'reset');
      if (r.code !== 0) console.log(`      WARNING: testbed ${what} reset failed: ${r.stderr}`);
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function run(name: string, iam: string): Promise<{ report: RunReport; output: string }> {
    const config = join(dir, `${name}.yaml`);
    writeFileSync(config, `iam:\n${iam}`);
    const reportDir = join(dir, name);
    const r = await runCli(['run', '--suite', 'iam', '--grep', 'irsa-injection|pod-identity', '--kubeconfig', kubeconfig, '--config', config, '--report-dir', reportDir]);
    const output = `${r.stdout}\n${r.stderr}`;
    const report = readReport(reportDir);
    const everything = JSON.stringify(report) + output;
    for (const secret of SECRETS) expect(everything, `${name}: a credential reached the report`).not.to.contain(secret);
    expect(everything, `${name}: a token reached the report`).not.to.match(/eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,}/);
    return { report, output };
  }

  const withAssociation = `  podIdentityServiceAccounts: [${ASSOCIATED}]\n`;
  const status = (report: RunReport, id: string): string => `${checkOf(report, id)?.status ?? '?'}: ${checkOf(report, id)?.message ?? ''}`;

  /** Puts the testbed in `what MODE`; the after hook resets it even when the test fails. */
  async function mode(what: 'irsa' | 'pod-identity', m: string): Promise<void> {
    const r = await testbed(what, m);
    if (r.code !== 0) throw new Error(`testbed ${what} ${m} failed: ${r.stderr}`);
  }

  it('GIVEN the safe testbed and its association THEN both checks pass; GIVEN no association configured THEN pod-identity is skipped saying so', async () => {
    const safe = await run('safe', withAssociation);
    expect(status(safe.report, IRSA), safe.output).to.match(/^passed/);
    expect(status(safe.report, POD_IDENTITY), safe.output).to.match(/^passed/);
    const claims = JSON.stringify(checkOf(safe.report, IRSA)?.attachments);
    expect(claims).to.contain('sts.amazonaws.com').and.to.contain(':irsa').and.to.contain('24 h').and.to.contain('valid (kid');
    const none = await run('no-association', '  nodeSample: 1\n');
    expect(status(none.report, POD_IDENTITY)).to.match(/^skipped: iam\.podIdentityServiceAccounts names no ServiceAccount/);
  });

  it('GIVEN the IRSA webhook failing open, with a wrong audience, too long tokens, or absent THEN irsa-injection warns, fails for each reason, or skips', async () => {
    const expected: Array<[string, RegExp]> = [
      ['fail-open', /^warn: .*iam-for-pods\.amazonaws\.com \(MutatingWebhookConfiguration pod-identity-webhook\) has failurePolicy Ignore/],
      ['wrong-audience', /^failed: .*aud is https:\/\/kubernetes\.default\.svc\.cluster\.local, expected only sts\.amazonaws\.com/],
      ['long-expiry', /^failed: .*lives 48 h, longer than 24 h/],
      ['off', /^skipped: no IRSA webhook is installed/],
    ];
    for (const [m, reason] of expected) {
      await mode('irsa', m);
      const { report, output } = await run(`irsa-${m}`, withAssociation);
      console.log(`      irsa ${m}: ${status(report, IRSA)}`);
      expect(status(report, IRSA), output).to.match(reason);
    }
    await mode('irsa', 'reset');
  });

  it('GIVEN an agent that checks no token, or no agent THEN pod-identity fails naming the accepted requests, or skips', async () => {
    await mode('pod-identity', 'no-token-check');
    const open = await run('pod-identity-open', withAssociation);
    console.log(`      pod-identity no-token-check: ${status(open.report, POD_IDENTITY)}`);
    expect(status(open.report, POD_IDENTITY), open.output).to.match(/^failed: (?=.*answered a request without a token with credentials \(ASIA…QRS\))(?=.*with the token of pod unassociated-0)/);
    await mode('pod-identity', 'off');
    const off = await run('pod-identity-off', withAssociation);
    console.log(`      pod-identity off: ${status(off.report, POD_IDENTITY)}`);
    expect(status(off.report, POD_IDENTITY), off.output).to.match(/^skipped: no Pod Identity agent answers at 169\.254\.170\.23:80/);
    await mode('pod-identity', 'reset');
  });
});
