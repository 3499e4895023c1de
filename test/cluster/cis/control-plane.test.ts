// On the testbed, whose control plane runs as host processes the collector pod sees: the hardened
// API server and etcd pass every control-plane check (AlwaysPullImages warns: the testbed has no
// registry), and the encryption key the API server uses reaches no report. Then the hardening is
// undone on purpose: secrets written with identity first, no audit policy, no EventRateLimit, a
// weak cipher suite on the API server, none on etcd, etcd's data directory and a certificate
// given to another user and the certificate opened to 644. The matching checks fail naming the
// process, the file and the value seen, and pass again once everything is restored (restored in
// `after` as well, whatever happened).
import { expect } from 'chai';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { packageRoot } from '../../../src/config/paths.js';
import type { RunReport } from '../../../src/report/model.js';
import { requireCluster } from '../harness/support.js';
import { checkOf } from '../storage/support.js';
import { runCis, TESTBED_NODE, withComponentArgs, withFlag } from './support.js';

const CONTROL_PLANE = ['--grep', 'cis/(apiserver|controller-manager|scheduler|etcd|control-plane)-'];
const etc = join(packageRoot, '.testbed', 'etc');
const encryptionConfig = join(etc, 'encryption-config.yaml');
const identityFirst = join(etc, 'encryption-identity-first.yaml');
const etcdDataDir = join(packageRoot, '.testbed', 'etcd');
const apiserverCert = join(packageRoot, '.testbed', 'pki', 'apiserver.crt');
const WEAK = 'TLS_RSA_WITH_AES_128_CBC_SHA';

interface EncryptionConfiguration {
  resources: Array<{ resources: string[]; providers: Array<Record<string, { keys?: Array<{ name: string; secret: string }> }>> }>;
}

function notPassed(report: RunReport): Record<string, string> {
  return Object.fromEntries(report.suites.flatMap((s) => s.checks).filter((c) => c.status !== 'passed').map((c) => [c.id, c.status]));
}

/** Every file the run wrote, and its console output, as one text. */
function everythingWritten(reportDir: string, output: string): string {
  return [output, ...readdirSync(reportDir).map((f) => readFileSync(join(reportDir, f), 'utf8'))].join('\n');
}

describe('cluster: cis control-plane checks on the testbed', function () {
  this.timeout(0);
  let kubeconfig: string;
  let dir: string;
  before(function () {
    kubeconfig = requireCluster(this);
    if (!existsSync(encryptionConfig)) {
      console.log(`      skipped: ${encryptionConfig} is not present (not the local testbed), so the control plane cannot be changed on purpose`);
      this.skip();
    }
    dir = mkdtempSync(join(tmpdir(), 'ka-cis-control-plane-'));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the hardened control plane passes every control-plane check but AlwaysPullImages (warns), secrets written with aescbc, and its key is in no output', async () => {
    const reportDir = join(dir, 'hardened');
    const { run, report, output } = await runCis(kubeconfig, reportDir, CONTROL_PLANE);
    expect(run.code, output).to.equal(0);
    expect(report.suites.flatMap((s) => s.checks).length, output).to.be.at.least(30);
    expect(notPassed(report), output).to.deep.equal({ 'cis/apiserver-always-pull-images': 'warn' });
    const encryption = checkOf(report, 'cis/apiserver-encryption-provider');
    expect(JSON.stringify(encryption), output).to.include('aescbc').and.include('secrets,configmaps: aescbc,identity');
    const config = parse(readFileSync(encryptionConfig, 'utf8')) as EncryptionConfiguration;
    const keys = config.resources.flatMap((r) => r.providers.flatMap((p) => Object.values(p).flatMap((v) => v.keys ?? [])));
    expect(keys.length).to.be.at.least(1);
    const written = everythingWritten(reportDir, output);
    for (const key of keys) {
      expect(written.includes(key.secret), 'the encryption key appears in the output or a report file').to.equal(false);
      expect(written.includes(key.name), 'the encryption key name appears in the output or a report file').to.equal(false);
    }
  });

  describe('with the hardening undone: identity first, no audit policy, no EventRateLimit, weak or default ciphers, files given to another user', () => {
    let restoreFiles: (() => void) | undefined;
    before(() => {
      // Identity first, the testbed's own key after it, so what was stored encrypted stays readable.
      const config = parse(readFileSync(encryptionConfig, 'utf8')) as EncryptionConfiguration;
      for (const r of config.resources) r.providers = [...r.providers.filter((p) => 'identity' in p), ...r.providers.filter((p) => !('identity' in p))];
      writeFileSync(identityFirst, stringify(config), { mode: 0o600 });
      const dirStat = statSync(etcdDataDir);
      const certStat = statSync(apiserverCert);
      restoreFiles = () => {
        chownSync(etcdDataDir, dirStat.uid, dirStat.gid);
        chownSync(apiserverCert, certStat.uid, certStat.gid);
        chmodSync(apiserverCert, certStat.mode & 0o7777);
        restoreFiles = undefined;
      };
      chownSync(etcdDataDir, 1000, 1000);
      chownSync(apiserverCert, 1000, 0);
      chmodSync(apiserverCert, 0o644);
    });
    const apiserver = withComponentArgs('apiserver', (args) => {
      const strong = ((): string => {
        const i = args.indexOf('--tls-cipher-suites');
        return i >= 0 ? (args[i + 1] as string) : '';
      })();
      let edited = withFlag(args, 'encryption-provider-config', identityFirst);
      edited = withFlag(edited, 'audit-policy-file');
      edited = withFlag(edited, 'admission-control-config-file');
      edited = withFlag(edited, 'enable-admission-plugins', 'NodeRestriction');
      return withFlag(edited, 'tls-cipher-suites', `${strong},${WEAK}`);
    });
    const etcd = withComponentArgs('etcd', (args) => withFlag(args, 'cipher-suites'));
    after(async () => {
      restoreFiles?.();
      rmSync(identityFirst, { force: true });
    });

    it('fails exactly the matching checks, naming the process and the value seen (and the data directory and certificate by path)', async () => {
      const { run, report, output } = await runCis(kubeconfig, join(dir, 'undone'), CONTROL_PLANE);
      expect(run.code, output).to.equal(1);
      expect(notPassed(report), output).to.deep.equal({
        'cis/apiserver-tls-ciphers': 'failed',
        'cis/apiserver-encryption-provider': 'failed',
        'cis/apiserver-event-rate-limit': 'warn',
        'cis/apiserver-always-pull-images': 'warn',
        'cis/apiserver-audit-policy': 'failed',
        'cis/etcd-tls-ciphers': 'failed',
        'cis/etcd-data-dir-owner': 'failed',
        'cis/control-plane-pki-owner': 'failed',
        'cis/control-plane-cert-files-mode': 'failed',
      });
      const api = `kube-apiserver on ${TESTBED_NODE}`;
      const message = (id: string): string => checkOf(report, id)?.message ?? '';
      expect(message('cis/apiserver-tls-ciphers'), output).to.include(api).and.include(WEAK);
      expect(message('cis/apiserver-encryption-provider'), output).to.include(api).and.include('"identity"');
      expect(message('cis/apiserver-audit-policy'), output).to.include(api).and.include('audit-policy-file');
      expect(message('cis/apiserver-event-rate-limit'), output).to.include(api).and.include('EventRateLimit');
      expect(message('cis/etcd-tls-ciphers'), output).to.include(`etcd on ${TESTBED_NODE}`).and.include('cipherSuites');
      expect(message('cis/etcd-data-dir-owner'), output).to.include(`${etcdDataDir} is owned by 1000:1000, but etcd runs as 0:0`);
      expect(message('cis/control-plane-pki-owner'), output).to.include(api).and.include(`certFiles[${JSON.stringify(apiserverCert)}].owner is "1000:0"`);
      expect(message('cis/control-plane-cert-files-mode'), output).to.include(api).and.include(`certFiles[${JSON.stringify(apiserverCert)}].mode is "644"`);
    });

    it('passes again once the command lines and the files are restored', async () => {
      restoreFiles?.();
      await apiserver.restore();
      await etcd.restore();
      const { run, report, output } = await runCis(kubeconfig, join(dir, 'restored'), CONTROL_PLANE);
      expect(notPassed(report), output).to.deep.equal({ 'cis/apiserver-always-pull-images': 'warn' });
      expect(run.code, output).to.equal(0);
    });
  });
});
