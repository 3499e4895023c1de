// On the testbed: the cis suite's kubelet checks pass on the hardened kubelet as it is; made
// unsafe on purpose (anonymous auth on, read-only port 10255, AlwaysAllow) the matching checks
// fail naming the node and the value seen, and pass again once the file is restored. The same
// for a kubelet command line that disagrees with configz (--seccomp-default=false over a file
// saying true), and for a control-plane flag (the scheduler restarted with --profiling=true).
import { expect } from 'chai';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunReport } from '../../../src/report/model.js';
import { randomBytes } from 'node:crypto';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { ownershipLabels } from '../../../src/cluster/labels.js';
import { clusterClients, requireCluster } from '../harness/support.js';
import { checkOf } from '../storage/support.js';
import { kubeletConfigPath, runCis, TESTBED_NODE, withComponentArgs, withKubeletConfig } from './support.js';

const KUBELET = /^cis\/(kubelet-|node-collector)/;
/** The checks judged from configz alone (no collector pod). */
const CONFIGZ_CHECKS = 'cis/kubelet-(config-readable|anonymous|authorization|client-ca |read-only|streaming|iptables|event|serving|certificate|server-cert|tls|pod-pids|seccomp|settings)';
const FAKE_NODE_LABELS = { ...ownershipLabels(`cluster-test-${randomBytes(3).toString('hex')}`), 'kube-assay.io/test': 'cis-fake-node' };

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

  it('the hardened testbed kubelet passes every kubelet check, read from its configz and its node (the hostname override warns; no systemd unit file to judge)', async () => {
    const { report, output } = await runCis(kubeconfig, join(dir, 'healthy'), ['--grep', 'cis/(kubelet-|node-collector)']);
    const statuses = kubeletStatuses(report);
    expect(Object.keys(statuses).length, output).to.be.at.least(21);
    // The testbed names its node assay-node on purpose: a stated warning, not a failure. Its
    // kubelet is started by the testbed's supervisor, not by a systemd unit: nothing to judge.
    expect(Object.entries(statuses).filter(([, s]) => s !== 'passed'), output).to.deep.equal([
      ['cis/kubelet-hostname-override', 'warn'],
      ['cis/kubelet-unit-file-mode', 'skipped'],
      ['cis/kubelet-unit-file-owner', 'skipped'],
    ]);
    expect(checkOf(report, 'cis/kubelet-config-agreement')?.status, output).to.equal('passed');
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
        `1 of 1 Nodes have a too permissive config file: ${TESTBED_NODE}: files["config"].mode is "666", more permissive than 600`,
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

  describe("with --seccomp-default=false on the kubelet's command line over a file saying seccompDefault: true", () => {
    // The kubelet keeps --seccomp-default outside its configuration object and ORs the two, so
    // configz still shows true: exactly the disagreement the agreement check exists for.
    const disagreeing = withComponentArgs('kubelet', (args) => [...args, '--seccomp-default=false']);

    it('the agreement check fails naming the node, the flag and both values; the rest still pass', async () => {
      const { run, report, output } = await runCis(kubeconfig, join(dir, 'disagree'), ['--grep', 'cis/kubelet-(config-agreement|seccomp-default)']);
      expect(run.code, output).to.equal(1);
      expect(checkOf(report, 'cis/kubelet-config-agreement')?.message, output).to.equal(
        `1 of 1 Nodes run with a command line that disagrees with their configz: ${TESTBED_NODE}: the command line says --seccomp-default=false but configz shows seccompDefault true`,
      );
      expect(checkOf(report, 'cis/kubelet-seccomp-default')?.status, output).to.equal('passed');
    });

    it('passes again once the command line is restored', async () => {
      await disagreeing.restore();
      const { report, output } = await runCis(kubeconfig, join(dir, 'agree'), ['--grep', 'cis/kubelet-config-agreement']);
      expect(checkOf(report, 'cis/kubelet-config-agreement')?.status, output).to.equal('passed');
    });
  });

  describe('with the scheduler restarted with --profiling=true (the testbed runs the control plane as host processes)', () => {
    const profiling = withComponentArgs('scheduler', (args) => [...args.filter((a) => !a.startsWith('--profiling')), '--profiling=true']);

    it('the scheduler profiling check fails naming the process, seen on the node by the collector; the other control-plane checks pass', async () => {
      const { run, report, output } = await runCis(kubeconfig, join(dir, 'profiling'), ['--grep', 'cis/(apiserver|controller-manager|scheduler|etcd|control-plane)-']);
      expect(run.code, output).to.equal(1);
      const checks = report.suites.flatMap((s) => s.checks);
      expect(checks.length, output).to.be.at.least(20);
      // AlwaysPullImages warns on the testbed as it is (no registry to pull from).
      expect(checks.filter((c) => c.status !== 'passed').map((c) => c.id), output).to.deep.equal(['cis/apiserver-always-pull-images', 'cis/scheduler-profiling']);
      expect(checkOf(report, 'cis/scheduler-profiling')?.message, output).to.equal(`1 of 1 Processes serve profiling data: kube-scheduler on ${TESTBED_NODE}: flags["profiling"] is "true", expected "false"`);
    });

    it('passes again once the scheduler runs with its own command line', async () => {
      await profiling.restore();
      const { report, output } = await runCis(kubeconfig, join(dir, 'profiling-off'), ['--grep', 'cis/scheduler-profiling']);
      expect(checkOf(report, 'cis/scheduler-profiling')?.status, output).to.equal('passed');
    });
  });
});
