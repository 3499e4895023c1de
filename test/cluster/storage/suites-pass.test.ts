// On the testbed: the storage and statefulset suites pass together (in parallel, as the bench
// runs them) within the 3-minute target, and leave no namespace and no claim of the run. A
// second, labelled StorageClass (a copy of local-path) is listed in the config file, so listed
// classes are provisioned next to the default one and the StatefulSets use the configured class.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterClients } from '../../../src/cluster/client.js';
import { ownershipLabels } from '../../../src/cluster/labels.js';
import { clusterClients, requireCluster, runCli } from '../harness/support.js';
import { checkOf, leftovers, readReport } from './support.js';

const STORAGE_CHECKS = ['storage/default-class', 'storage/class-parameters', 'storage/emptydir-lifecycle', 'storage/read-only-root-filesystem', 'storage/dynamic-provisioning', 'storage/cleanup-leaves-nothing'];
const STATEFULSET_CHECKS = [
  'statefulset/ordered-start',
  'statefulset/hostnames',
  'statefulset/peer-dns',
  'statefulset/volume-claims',
  'statefulset/pod-replacement',
  'statefulset/scale-down-up',
  'statefulset/delete-keeps-claims',
  'statefulset/claim-retention-policy',
  'statefulset/claims-cleanup',
];

describe('cluster: storage and statefulset suites on the testbed', function () {
  this.timeout(0);
  let kubeconfig: string;
  let reportDir: string;
  let clients: ClusterClients;
  let listedClass: string | undefined;

  before(async function () {
    kubeconfig = requireCluster(this);
    clients = clusterClients(kubeconfig);
    reportDir = mkdtempSync(join(tmpdir(), 'ka-storage-suites-'));
    const suffix = randomBytes(3).toString('hex');
    listedClass = `ka-listed-${suffix}`;
    await clients.storage.createStorageClass({
      body: {
        metadata: { name: listedClass, labels: ownershipLabels(`cluster-test-${suffix}`) },
        provisioner: 'rancher.io/local-path',
        volumeBindingMode: 'WaitForFirstConsumer',
        reclaimPolicy: 'Delete',
      },
    });
    writeFileSync(join(reportDir, 'assay.yaml'), `storage:\n  classes: [${listedClass}]\n  size: 64Mi\nstatefulset:\n  storageClass: ${listedClass}\n  size: 64Mi\n`);
  });
  after(async () => {
    if (listedClass !== undefined) await clients.storage.deleteStorageClass({ name: listedClass }).catch((err: unknown) => console.log(`      WARNING: could not delete StorageClass ${listedClass}: ${String(err)}`));
    if (reportDir) rmSync(reportDir, { recursive: true, force: true });
  });

  it('passes every check (expansion skipped with its reason) in under 3 minutes and leaves no namespace or claim', async () => {
    const started = Date.now();
    const run = await runCli(['run', '--suite', 'storage', '--suite', 'statefulset', '--parallel', '2', '--config', join(reportDir, 'assay.yaml'), '--kubeconfig', kubeconfig, '--report-dir', join(reportDir, 'out')]);
    const wallMs = Date.now() - started;
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.code, output).to.equal(0);
    const report = readReport(join(reportDir, 'out'));
    for (const id of [...STORAGE_CHECKS, ...STATEFULSET_CHECKS]) expect(checkOf(report, id)?.status, `${id}\n${output}`).to.equal('passed');
    // The testbed's only class (local-path) does not allow expansion, and expansion is opt-in.
    const expansion = checkOf(report, 'storage/volume-expansion');
    expect(expansion?.status).to.equal('skipped');
    expect(expansion?.message).to.match(/^volume expansion is opt-in: set storage\.expansion: true .*; besides, local-path, ka-listed-[0-9a-f]+ do not allow volume expansion/);
    const provisioning = checkOf(report, 'storage/dynamic-provisioning');
    const table = provisioning?.attachments.find((a) => a.kind === 'table');
    expect(table?.kind === 'table' ? table.rows.map((r) => r[0]) : [], 'default and listed class provisioned').to.deep.equal(['default class (local-path)', `class ${listedClass ?? ''}`]);
    const claims = checkOf(report, 'storage/cleanup-leaves-nothing')?.attachments.find((a) => a.kind === 'table');
    expect(claims?.kind === 'table' ? claims.rows.map((r) => r[3]) : []).to.have.members(['local-path', listedClass]);
    console.log(`      both suites: ${(wallMs / 1000).toFixed(1)} s wall (storage ${((report.suites.find((x) => x.name === 'storage')?.durationMs ?? 0) / 1000).toFixed(1)} s, statefulset ${((report.suites.find((x) => x.name === 'statefulset')?.durationMs ?? 0) / 1000).toFixed(1)} s)`);
    expect(wallMs, `wall time ${wallMs} ms`).to.be.below(180_000);
    expect(await leftovers(clients, report.metadata.runId)).to.deep.equal({ namespaces: [], claims: [] });
  });
});
