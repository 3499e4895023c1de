// On the testbed: the storage and statefulset suites pass together (in parallel, as the bench
// runs them) within the 3-minute target, and leave no namespace and no claim of the run.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  before(function () {
    kubeconfig = requireCluster(this);
    reportDir = mkdtempSync(join(tmpdir(), 'ka-storage-suites-'));
  });
  after(() => {
    if (reportDir) rmSync(reportDir, { recursive: true, force: true });
  });

  it('passes every check (expansion skipped with its reason) in under 3 minutes and leaves no namespace or claim', async () => {
    const started = Date.now();
    const run = await runCli(['run', '--suite', 'storage', '--suite', 'statefulset', '--parallel', '2', '--kubeconfig', kubeconfig, '--report-dir', reportDir]);
    const wallMs = Date.now() - started;
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.code, output).to.equal(0);
    const report = readReport(reportDir);
    for (const id of [...STORAGE_CHECKS, ...STATEFULSET_CHECKS]) expect(checkOf(report, id)?.status, `${id}\n${output}`).to.equal('passed');
    // The testbed's only class (local-path) does not allow expansion, and expansion is opt-in.
    const expansion = checkOf(report, 'storage/volume-expansion');
    expect(expansion?.status).to.equal('skipped');
    expect(expansion?.message).to.match(/^volume expansion is opt-in: set storage\.expansion: true .*local-path does not allow volume expansion/);
    const provisioning = checkOf(report, 'storage/dynamic-provisioning');
    expect(provisioning?.attachments.find((a) => a.kind === 'table')?.kind).to.equal('table');
    expect(wallMs, `wall time ${wallMs} ms`).to.be.below(180_000);
    expect(await leftovers(clusterClients(kubeconfig), report.metadata.runId)).to.deep.equal({ namespaces: [], claims: [] });
  });
});
