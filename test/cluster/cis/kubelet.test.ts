// On the testbed: the cis suite's kubelet checks pass on the hardened kubelet as it is; made
// unsafe on purpose (anonymous auth on, read-only port 10255, AlwaysAllow) the matching checks
// fail naming the node and the value seen, and pass again once the file is restored.
import { expect } from 'chai';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunReport } from '../../../src/report/model.js';
import { randomBytes } from 'node:crypto';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../../../src/cluster/labels.js';
import { clusterClients, requireCluster } from '../harness/support.js';
import { checkOf } from '../storage/support.js';
import { kubeletConfigPath, runCis, TESTBED_NODE, withKubeletConfig } from './support.js';

const KUBELET = /^cis\/(kubelet-|node-collector)/;
/** The checks judged from configz alone (no collector pod). */
const CONFIGZ_CHECKS = 'cis/kubelet-(config-readable|anonymous|authorization|client-ca |read-only|streaming|iptables|event|serving|certificate|server-cert|tls|pod-pids|seccomp|settings)';
const FAKE_NODE_LABELS = { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, 'kube-assay.io/test': 'cis-fake-node' };

function kubeletStatuses(report: RunReport): Record<string, string> {
  return Object.fromEntries(report.suites.flatMap((s) => s.checks).filter((c) => KUBELET.test(c.id)).map((c) => [c.id, c.status]));
}

describe('cluster: cis kubelet checks on the testbed', function () {
  this.timeout(0);
  let kubeconfig: string;
  let dir: string;
  before(function () {
    kubeconfig = requireCluster(this);
    dir = mkdtempSync(join(tmpdir(), 'ka-cis-kubelet-'));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the hardened testbed kubelet passes every kubelet check, read from its configz and its node (the hostname override warns)', async () => {
    const { report, output } = await runCis(kubeconfig, join(dir, 'healthy'), ['--grep', 'cis/(kubelet-|node-collector)']);
    const statuses = kubeletStatuses(report);
    expect(Object.keys(statuses).length, output).to.be.at.least(21);
    // The testbed names its node assay-node on purpose: a stated warning, not a failure.
    expect(Object.entries(statuses).filter(([, s]) => s !== 'passed'), output).to.deep.equal([['cis/kubelet-hostname-override', 'warn']]);
    expect(checkOf(report, 'cis/node-collector-ran')?.status, output).to.equal('passed');
    const readable = checkOf(report, 'cis/kubelet-config-readable');
    const inventory = readable?.attachments.find((a) => a.kind === 'table' && a.title === 'kubelet configuration read per node');
    expect(inventory?.kind === 'table' ? inventory.rows.map((r) => r.slice(0, 3)) : [], output).to.deep.equal([[TESTBED_NODE, 'read', '200']]);
  });

  it('a node whose kubelet cannot be reached fails the readable check by name and status; the real node is still judged', async () => {
    const clients = clusterClients(kubeconfig);
    const fake = `ka-cis-fake-node-${randomBytes(3).toString('hex')}`;
    try {
      // A Node object with no kubelet behind it (nothing listens on its address), tainted so
      // nothing is scheduled there; removed whatever happens.
      await clients.core.createNode({ body: { metadata: { name: fake, labels: FAKE_NODE_LABELS }, spec: { taints: [{ key: 'kube-assay.io/fake', effect: 'NoSchedule' }] } } });
      await clients.core.patchNodeStatus(
        { name: fake, body: { status: { addresses: [{ type: 'InternalIP', address: '127.0.0.9' }], daemonEndpoints: { kubeletEndpoint: { Port: 10250 } } } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      const { run, report, output } = await runCis(kubeconfig, join(dir, 'fake-node'), ['--grep', CONFIGZ_CHECKS]);
      expect(run.code, output).to.equal(1);
      const readable = checkOf(report, 'cis/kubelet-config-readable');
      expect(readable?.message, output).to.match(new RegExp(`^1 of 2 Nodes cannot be read: ${fake}: (the API server answered \\d{3} for its /configz|its /configz did not answer in time): .*; its kubelet settings are not verified$`));
      const failed = Object.entries(kubeletStatuses(report)).filter(([, s]) => s !== 'passed').map(([id]) => id);
      expect(failed, output).to.deep.equal(['cis/kubelet-config-readable']);
    } finally {
      await clients.core.deleteNode({ name: fake }).catch(() => undefined);
    }
  });

  it('a kubelet configuration file made world-writable (0666) fails the file mode check naming node and mode, and passes once restored', async () => {
    const before = statSync(kubeletConfigPath).mode & 0o777;
    let restored = false;
    const restore = (): void => {
      if (!restored) chmodSync(kubeletConfigPath, before);
      restored = true;
    };
    try {
      chmodSync(kubeletConfigPath, 0o666);
      const broken = await runCis(kubeconfig, join(dir, 'mode-666'), ['--grep', 'cis/kubelet-config-file-mode']);
      expect(broken.run.code, broken.output).to.equal(1);
      expect(checkOf(broken.report, 'cis/kubelet-config-file-mode')?.message, broken.output).to.equal(
        `1 of 1 Nodes have a too permissive config file: ${TESTBED_NODE}: files["config"].mode is more permissive than 600`,
      );
      const table = checkOf(broken.report, 'cis/kubelet-config-file-mode')?.attachments.find((a) => a.kind === 'table' && a.title.endsWith('offenders'));
      expect(table?.kind === 'table' ? table.rows.map((r) => r.slice(0, 3)) : [], broken.output).to.deep.equal([[TESTBED_NODE, 'files["config"].mode', '"666"']]);
      restore();
      const fixed = await runCis(kubeconfig, join(dir, 'mode-restored'), ['--grep', 'cis/kubelet-config-file-mode']);
      expect(checkOf(fixed.report, 'cis/kubelet-config-file-mode')?.status, fixed.output).to.equal('passed');
    } finally {
      restore();
    }
  });

  describe('with the kubelet made unsafe (anonymous auth, read-only port 10255, AlwaysAllow)', () => {
    const unsafe = withKubeletConfig((config) => {
      config.authentication = { ...(config.authentication as object), anonymous: { enabled: true } };
      config.authorization = { mode: 'AlwaysAllow' };
      config.readOnlyPort = 10255;
    });

    it('fails exactly the matching checks, naming the node and the value seen', async () => {
      const { run, report, output } = await runCis(kubeconfig, join(dir, 'unsafe'), ['--grep', CONFIGZ_CHECKS]);
      expect(run.code, output).to.equal(1);
      const failed = Object.entries(kubeletStatuses(report)).filter(([, s]) => s === 'failed').map(([id]) => id);
      expect(failed.sort(), output).to.deep.equal(['cis/kubelet-anonymous-auth', 'cis/kubelet-authorization-mode', 'cis/kubelet-read-only-port']);
      expect(checkOf(report, 'cis/kubelet-anonymous-auth')?.message).to.equal(`1 of 1 Nodes accept anonymous requests: ${TESTBED_NODE}: kubelet.authentication.anonymous.enabled is true, expected false`);
      expect(checkOf(report, 'cis/kubelet-authorization-mode')?.message).to.equal(`1 of 1 Nodes allow every request: ${TESTBED_NODE}: kubelet.authorization.mode is "AlwaysAllow", expected not "AlwaysAllow"`);
      expect(checkOf(report, 'cis/kubelet-read-only-port')?.message).to.equal(`1 of 1 Nodes serve the read-only port: ${TESTBED_NODE}: kubelet.readOnlyPort is 10255, expected 0`);
    });

    it('passes again once the file is restored and the kubelet restarted', async () => {
      await unsafe.restore();
      const { run, report, output } = await runCis(kubeconfig, join(dir, 'restored'), ['--grep', CONFIGZ_CHECKS]);
      expect(run.code, output).to.equal(0);
      expect(Object.entries(kubeletStatuses(report)).filter(([, s]) => s !== 'passed'), output).to.deep.equal([]);
    });
  });
});
