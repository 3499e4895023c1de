// On the testbed: the audits judge what a config names. A labelled namespace of well-declared
// workloads passes every audit; next to it, a labelled namespace of deliberately bad workloads
// (BestEffort, no limits, moving tags, a full quota, HPAs that cannot work, an ECR image from
// another region) makes each audit fail or warn, naming only the bad namespace's objects. A
// cluster-autoscaler stand-in in kube-system (probe image, upstream flags) is found and its
// risky flags, version skew and the pod it cannot help are reported. Everything is removed after.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import type { ClusterClients } from '../../../src/cluster/client.js';
import { ownershipLabels } from '../../../src/cluster/labels.js';
import { pollUntil } from '../../../src/cluster/wait.js';
import type { CheckResult, RunReport } from '../../../src/report/model.js';
import { clusterClients, requireCluster, runCli } from '../harness/support.js';
import { checkOf, readReport } from '../storage/support.js';
import { autoscalerStandIn, badWorkloads, createAll, goodWorkloads, hpa, unhelpedPod } from './audit-workloads.js';

function offenders(c: CheckResult | undefined): string[] {
  const table = c?.attachments.find((a) => a.kind === 'table' && a.title.endsWith(': offenders'));
  return table?.kind === 'table' ? [...new Set(table.rows.map((r) => r[0] ?? ''))] : [];
}

async function condition(clients: ClusterClients, namespace: string, name: string, wanted: (h: V2HorizontalPodAutoscaler) => boolean, what: string): Promise<void> {
  await pollUntil(() => clients.autoscaling.readNamespacedHorizontalPodAutoscaler({ name, namespace }), wanted, {
    expectation: `HPA ${namespace}/${name} ${what}`,
    deadline: { name: 'test setup (hpa conditions)', ms: 120_000 },
    describe: (h) => JSON.stringify(h?.status?.conditions ?? []),
  });
}

const has = (type: string, status: string) => (h: V2HorizontalPodAutoscaler): boolean => (h.status?.conditions ?? []).some((c) => c.type === type && c.status === status);

describe('cluster: resources audits over good and bad workloads (testbed)', function () {
  this.timeout(0);
  let kubeconfig: string;
  let clients: ClusterClients;
  let dir: string;
  const suffix = randomBytes(3).toString('hex');
  const labels = ownershipLabels(`cluster-test-${suffix}`);
  const good = `ka-resources-good-${suffix}`;
  const bad = `ka-resources-bad-${suffix}`;
  let standIn = false;

  before(async function () {
    kubeconfig = requireCluster(this);
    clients = clusterClients(kubeconfig);
    dir = mkdtempSync(join(tmpdir(), 'ka-resources-audits-'));
    for (const ns of [good, bad]) await clients.core.createNamespace({ body: { metadata: { name: ns, labels } } });
    await createAll(clients, goodWorkloads(good, labels));
    await clients.core.createNamespacedLimitRange({ namespace: good, body: { metadata: { name: 'defaults', labels }, spec: { limits: [{ type: 'Container', _default: { memory: '64Mi' }, defaultRequest: { cpu: '10m', memory: '16Mi' } }] } } });
    await clients.core.createNamespacedResourceQuota({ namespace: good, body: { metadata: { name: 'compute', labels }, spec: { hard: { 'requests.cpu': '2', pods: '10' } } } });
    await clients.autoscaling.createNamespacedHorizontalPodAutoscaler({ namespace: good, body: hpa(good, 'declared', 'declared', labels) });

    await createAll(clients, badWorkloads(bad, labels));
    const { pod, event } = unhelpedPod(bad, labels);
    await clients.core.createNamespacedPod({ namespace: bad, body: pod });
    await clients.core.createNamespacedEvent({ namespace: bad, body: event });
    // Two pods of two: the quota is exhausted the moment it is computed.
    await clients.core.createNamespacedResourceQuota({ namespace: bad, body: { metadata: { name: 'full', labels }, spec: { hard: { pods: '2' } } } });
    await clients.autoscaling.createNamespacedHorizontalPodAutoscaler({ namespace: bad, body: hpa(bad, 'undeclared', 'undeclared', labels) });
    // What `kubectl apply` leaves on an object whose manifest still says autoscaling/v2beta2.
    await clients.autoscaling.createNamespacedHorizontalPodAutoscaler({
      namespace: bad,
      body: hpa(bad, 'legacy', 'undeclared', labels, { 'kubectl.kubernetes.io/last-applied-configuration': '{"apiVersion":"autoscaling/v2beta2","kind":"HorizontalPodAutoscaler"}' }),
    });
    await clients.apps.createNamespacedDeployment({ namespace: 'kube-system', body: autoscalerStandIn(labels) });
    standIn = true;

    // The audits read what the controllers reported: wait for it, as a cluster that has run a while would show.
    await Promise.all([
      condition(clients, good, 'declared', has('ScalingActive', 'True'), 'to report ScalingActive=True'),
      condition(clients, bad, 'undeclared', has('ScalingActive', 'False'), 'to report ScalingActive=False'),
      condition(clients, bad, 'legacy', has('ScalingActive', 'False'), 'to report ScalingActive=False'),
      pollUntil(() => clients.core.readNamespacedResourceQuota({ name: 'full', namespace: bad }), (q) => q.status?.used?.pods === '2', {
        expectation: `ResourceQuota ${bad}/full to count 2 pods`,
        deadline: { name: 'test setup (quota status)', ms: 60_000 },
        describe: (q) => JSON.stringify(q?.status ?? {}),
      }),
    ]);
  });

  after(async () => {
    if (standIn) await clients.apps.deleteNamespacedDeployment({ name: 'cluster-autoscaler', namespace: 'kube-system' }).catch((err: unknown) => console.log(`      WARNING: could not delete the cluster-autoscaler stand-in: ${String(err)}`));
    for (const ns of [good, bad]) await clients?.core.deleteNamespace({ name: ns }).catch((err: unknown) => console.log(`      WARNING: could not delete namespace ${ns}: ${String(err)}`));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function audit(name: string, config: string): Promise<{ report: RunReport; output: string; code: number | null }> {
    writeFileSync(join(dir, `${name}.yaml`), config);
    const run = await runCli(['run', '--suite', 'resources', '--grep', 'resources/(requests|memory-limits|besteffort|namespace|quota-headroom|hpa-(target|conditions|api)|image|cluster-autoscaler)', '--config', join(dir, `${name}.yaml`), '--kubeconfig', kubeconfig, '--report-dir', join(dir, name)]);
    return { report: readReport(join(dir, name)), output: `${run.stdout}\n${run.stderr}`, code: run.code };
  }

  it('passes every audit of the well-declared namespace (digests not required there: skipped), exit 0', async () => {
    const { report, output, code } = await audit('good', `resources:\n  namespaces: [${good}]\n  region: eu-west-1\n`);
    const expected: Record<string, string> = {
      'resources/requests-declared': 'passed',
      'resources/memory-limits': 'passed',
      'resources/besteffort-pods': 'passed',
      'resources/namespace-quota': 'passed',
      'resources/namespace-limitrange': 'passed',
      'resources/quota-headroom': 'passed',
      'resources/hpa-target-requests': 'passed',
      'resources/hpa-conditions': 'passed',
      'resources/hpa-api-version': 'passed',
      'resources/image-tags': 'passed',
      'resources/image-pull-policy': 'passed',
      'resources/image-digest': 'skipped',
      'resources/image-ecr-region': 'passed',
      // Found: the stand-in's probe image (tag 1.0) is 36 minors behind, and it removes nodes with local data.
      'resources/cluster-autoscaler': 'warn',
    };
    const seen = Object.fromEntries(Object.keys(expected).map((id) => [id, checkOf(report, id)?.status]));
    expect(seen, output).to.deep.equal(expected);
    expect(code, output).to.equal(0);
  });

  it('fails or warns every audit of the badly declared namespace, naming only its objects, and reports the autoscaler stand-in', async () => {
    const { report, output, code } = await audit('bad', `resources:\n  namespaces: [${good}, ${bad}]\n  requireDigestNamespaces: [${bad}]\n  region: eu-west-1\n`);
    const expected: Record<string, [string, string[]]> = {
      'resources/requests-declared': ['failed', [`${bad}/undeclared`]],
      'resources/memory-limits': ['failed', [`${bad}/undeclared`]],
      'resources/besteffort-pods': ['failed', [`${bad}/undeclared`]],
      'resources/namespace-quota': ['passed', []],
      'resources/namespace-limitrange': ['warn', [bad]],
      'resources/quota-headroom': ['warn', [`${bad}/full`]],
      'resources/hpa-target-requests': ['failed', [`${bad}/undeclared`, `${bad}/legacy`]],
      'resources/hpa-conditions': ['failed', [`${bad}/undeclared`, `${bad}/legacy`]],
      'resources/hpa-api-version': ['warn', [`${bad}/legacy`]],
      'resources/image-tags': ['failed', [`${bad}/moving-tags`]],
      'resources/image-pull-policy': ['warn', [`${bad}/moving-tags`]],
      'resources/image-digest': ['failed', [`${bad}/undeclared`, `${bad}/moving-tags`, `${bad}/other-region`, `${bad}/unplaceable`]],
      'resources/image-ecr-region': ['failed', [`${bad}/other-region`]],
      'resources/cluster-autoscaler': ['warn', ['kube-system/cluster-autoscaler']],
    };
    for (const [id, [status, objects]] of Object.entries(expected)) {
      const c = checkOf(report, id);
      console.log(`      ${id}: ${c?.status ?? 'missing'}: ${c?.message ?? ''}`);
      expect(c?.status, `${id}: ${c?.message ?? ''}\n${output}`).to.equal(status);
      // A BestEffort pod is named by its pod name, which starts with its Deployment's.
      const named = offenders(c).map((o) => (id === 'resources/besteffort-pods' ? o.replace(/-[a-z0-9]+-[a-z0-9]+$/, '') : o));
      expect(named, id).to.have.members(objects);
    }
    expect(checkOf(report, 'resources/hpa-conditions')?.message).to.match(/conditions\.ScalingActive says the HPA is not scaling/);
    const ca = checkOf(report, 'resources/cluster-autoscaler');
    const table = ca?.attachments.find((a) => a.kind === 'table' && a.title === 'Cluster autoscaler');
    const row = table?.kind === 'table' ? (table.rows[0] ?? []) : [];
    expect(row[2], 'the cluster\'s minor version').to.match(/^1\.\d+$/);
    expect([...row.slice(0, 2), ...row.slice(3)]).to.deep.equal([
      'kube-assay.local/probe:1.0',
      '1.0',
      'aws',
      'asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/kube-assay-testbed',
      'least-waste',
      'true',
      'false',
      'false',
      `${bad}/unplaceable`,
      '',
    ]);
    const rows = ca?.attachments.find((a) => a.kind === 'table' && a.title.endsWith(': offenders'));
    expect(rows?.kind === 'table' ? rows.rows.map((r) => r[1]) : []).to.have.members(['minorSkew', 'flags["skip-nodes-with-local-storage"]', 'flags["skip-nodes-with-system-pods"]', 'pendingUnhelpedCount']);
    expect(code, output).to.equal(1);
  });
});
