// On a live cluster with NetworkPolicy enforced: a user's expectations file is probed by
// short-lived probe pods placed in their namespace (here a stand-in "shop" namespace enforcing the
// restricted Pod Security level, with a default-deny and one allow policy). Every assertion is
// reported; a wrong one fails naming it; the probe pods are gone afterwards, also after Ctrl-C.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pollUntil } from '../../../src/cluster/wait.js';
import type { RunReport } from '../../../src/report/model.js';
import { kubectl, kubectlOk, uniqueName } from '../../support/kubectl.js';
import { requireCluster, runCli, startCli } from '../harness/support.js';

const OWNED = 'app.kubernetes.io/managed-by: kube-assay, kube-assay.io/run-id: netpol-expectations-test';

function shopManifests(namespace: string): string {
  return `apiVersion: v1
kind: Namespace
metadata:
  name: ${namespace}
  labels: {${OWNED}, pod-security.kubernetes.io/enforce: restricted}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: ${namespace}, labels: {${OWNED}}}
spec: {podSelector: {}, policyTypes: [Ingress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: frontend-to-db, namespace: ${namespace}, labels: {${OWNED}}}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress: [{from: [{podSelector: {matchLabels: {app: frontend}}}], ports: [{port: 5432, protocol: TCP}]}]
`;
}

function expectations(namespace: string, batchToDb: 'allowed' | 'blocked'): string {
  const at = (app: string) => `{namespace: ${namespace}, pod: {app: ${app}}}`;
  return `expectations:
  - {name: the frontend reaches the database, from: ${at('frontend')}, to: ${at('db')}, port: 5432, expect: allowed}
  - {name: batch and the database, from: ${at('batch')}, to: ${at('db')}, port: 5432, expect: ${batchToDb}}
  - {from: ${at('frontend')}, to: ${at('db')}, port: 5433, expect: blocked}
  - {from: ${at('db')}, to: ${at('frontend')}, port: 8080, expect: blocked}
  - {from: ${at('frontend')}, to: ${at('db')}, port: 53, protocol: UDP, expect: blocked}
`;
}

async function probePods(namespace: string): Promise<string[]> {
  const out = await kubectlOk(['get', 'pods', '-n', namespace, '-l', 'kube-assay.io/probe=netpol-expectations', '-o', 'name']);
  return out.split('\n').filter((l) => l.trim() !== '');
}

describe('cluster: netpol/user-expectations in a user namespace', function () {
  this.timeout(0);
  let kubeconfig: string;
  let dir: string;
  const shop = uniqueName('ka-netpol-shop');

  before(async function () {
    kubeconfig = requireCluster(this);
    dir = mkdtempSync(join(tmpdir(), 'ka-netpol-expect-'));
    await kubectlOk(['apply', '-f', '-'], { input: shopManifests(shop) });
  });
  after(async () => {
    await kubectl(['delete', 'namespace', shop, '--wait=false']);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function configWith(batchToDb: 'allowed' | 'blocked', optIn = true): string {
    const file = join(dir, `expectations-${batchToDb}.yaml`);
    writeFileSync(file, expectations(shop, batchToDb));
    const config = join(dir, `config-${batchToDb}-${String(optIn)}.yaml`);
    writeFileSync(config, `netpol:\n  expectationsFile: ${file}\n  probeUserNamespaces: ${String(optIn)}\n`);
    return config;
  }

  async function run(config: string): Promise<{ code: number | null; output: string; report: RunReport }> {
    const reportDir = mkdtempSync(join(dir, 'reports-'));
    const result = await runCli(['run', '--suite', 'netpol', '--grep', 'netpol/user-expectations', '--config', config, '--kubeconfig', kubeconfig, '--report-dir', reportDir]);
    const report = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')) as RunReport;
    return { code: result.code, output: `${result.stdout}\n${result.stderr}`, report };
  }

  it('without the opt-in, loads the file but places nothing and says how to opt in', async () => {
    const { code, report } = await run(configWith('blocked', false));
    const check = report.suites[0]?.checks[0];
    expect(check?.status).to.equal('skipped');
    expect(check?.message).to.match(/^5 expectation\(s\) loaded from .*, not probed: set netpol\.probeUserNamespaces: true/);
    expect(code).to.equal(1); // nothing ran: the verdict is unknown, never passed
    expect(await probePods(shop)).to.deep.equal([]);
  });

  it('with expectations that hold: passes, one table row per assertion, and removes its probe pods', async () => {
    const { code, output, report } = await run(configWith('blocked'));
    expect(code, output).to.equal(0);
    const table = report.suites[0]?.checks[0]?.attachments.find((a) => a.kind === 'table' && a.title === 'expectations');
    expect(table?.kind === 'table' ? table.rows.map((r) => [r[5], r[6]]) : []).to.deep.equal([
      ['allowed', 'allowed'], ['blocked', 'blocked'], ['blocked', 'blocked'], ['blocked', 'blocked'], ['blocked', 'blocked'],
    ]);
    expect(await probePods(shop)).to.deep.equal([]);
  });

  it('with one wrong expectation: fails naming it, with a reproduce command, and still removes its probe pods', async () => {
    const { code, report } = await run(configWith('allowed'));
    expect(code).to.equal(1);
    const check = report.suites[0]?.checks[0];
    expect(check?.message).to.equal('1 of 5 expectation(s) do not hold; e.g. #2 "batch and the database": expected allowed, observed blocked');
    const text = check?.attachments.find((a) => a.title === 'expectations that do not hold');
    expect(text?.kind === 'text' ? text.body : '').to.match(/reproduce \(while the probe pods exist\): kubectl exec -n ka-netpol-shop-\w+ ka-probe-[0-9a-f]{8} -c agent -- nc -w 2 [\d.]+ 5432/);
    expect(await probePods(shop)).to.deep.equal([]);
  });

  it('interrupted with SIGINT while its probe pods run: exits 130 and leaves no probe pod behind', async () => {
    const cli = startCli(['run', '--suite', 'netpol', '--grep', 'netpol/user-expectations', '--config', configWith('blocked'), '--kubeconfig', kubeconfig, '--report-dir', join(dir, 'sigint')]);
    await pollUntil(() => probePods(shop), (pods) => pods.length > 0 || cli.child.exitCode !== null, {
      expectation: `probe pods in ${shop}`, deadline: { name: 'test', ms: 120_000 }, describe: () => cli.stdout(),
    });
    expect(cli.child.exitCode, cli.stdout()).to.equal(null);
    cli.child.kill('SIGINT');
    const result = await cli.done;
    expect(result.code, `${result.stdout}\n${result.stderr}`).to.equal(130);
    expect(await probePods(shop)).to.deep.equal([]);
  });
});
