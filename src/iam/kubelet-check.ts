// Cluster side of iam/kubelet-api: for every sampled node, the two TLS requests (anonymous and
// with the tenant's token) and the read-only port probe from a tenant pod on that node.
import type { CheckContext } from '../harness/context.js';
import { CheckFailure } from '../harness/errors.js';
import { containerOf, execIn } from '../harness/probes.js';
import { probeNodes } from './imds-probe.js';
import { judgeKubelet, kubeletRequest, parseReadOnlyProbe, readOnlyPortScript, type KubeletFinding, type KubeletObservation } from './kubelet.js';
import { mapBounded } from './nodes.js';
import { createTenantServiceAccount, POD_CONCURRENCY, startTenantPods, TENANT_SERVICE_ACCOUNT } from './tenant-pods.js';
import { mintToken } from './tokens.js';

export interface KubeletRound {
  rows: string[][];
  findings: KubeletFinding[];
  warnings: string[];
  probeFailures: string[];
}

export async function probeKubelets(t: CheckContext): Promise<KubeletRound> {
  const nodes = await probeNodes(t);
  await createTenantServiceAccount(t, t.namespace);
  const pods = await startTenantPods(t, nodes, { namespace: t.namespace, prefix: 'tenant' });
  const token = await mintToken(t, t.namespace, TENANT_SERVICE_ACCOUNT);
  const results = await mapBounded(pods, POD_CONCURRENCY, async (p): Promise<KubeletObservation & { node: string; address: string }> => {
    const address = p.node.address;
    if (address === undefined) throw new CheckFailure(`node ${p.node.name} has no InternalIP to reach its kubelet at`);
    t.step(`probe the kubelet of node ${p.node.name} (${address})`);
    const anonymous = await kubeletRequest(address, undefined);
    const withToken = await kubeletRequest(address, token);
    const ro = await execIn(t, containerOf(p.namespace, p.pod), ['sh', '-c', readOnlyPortScript(address)]);
    return { node: p.node.name, address, anonymous, token: withToken, readOnlyPort: ro.exitCode === 0 ? parseReadOnlyProbe(ro.stdout) : 'unknown' };
  });
  const round: KubeletRound = { rows: [], findings: [], warnings: [], probeFailures: [] };
  for (const r of results) {
    if (r.status === 'rejected') throw r.reason;
    const o = r.value;
    const judged = judgeKubelet(o.node, o);
    round.findings.push(...judged.findings);
    round.warnings.push(...judged.warnings);
    if (judged.probeFailed !== undefined) round.probeFailures.push(judged.probeFailed);
    round.rows.push([o.node, o.address, o.anonymous, o.token, o.readOnlyPort, judged.probeFailed !== undefined ? 'probe failed' : judged.findings.length > 0 ? 'EXPOSED' : 'ok']);
  }
  return round;
}
