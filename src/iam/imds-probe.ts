// Cluster side of the metadata checks: tenant pods on each sampled node (and, opted in,
// host-network pods) run the probe script once; the observations are shared by the metadata
// checks of a run (one probe pass, not one per check).
import type { CheckContext } from '../harness/context.js';
import { CheckFailure } from '../harness/errors.js';
import { suiteFixture } from '../harness/fixture.js';
import { containerOf, execIn } from '../harness/probes.js';
import { iamSettings } from './config.js';
import { imdsProbeScript, parseImdsProbe } from './imds.js';
import type { NodeImds, ProbeNetwork } from './imds-verdicts.js';
import { mapBounded, sampleNodes, type ProbedNode } from './nodes.js';
import { createTenantServiceAccount, POD_CONCURRENCY, startTenantPods, type TenantPod } from './tenant-pods.js';

export interface ImdsRound {
  observations: NodeImds[];
  hostNetworkProbed: boolean;
}

/** The first metadata check of a run probes; the others read its result. */
export const imdsRound = suiteFixture('iam', 'metadata observations', () => ({ pending: undefined as Promise<ImdsRound> | undefined }));

export function observeImdsOnce(t: CheckContext): Promise<ImdsRound> {
  const holder = imdsRound.of(t);
  holder.pending ??= observeImds(t);
  return holder.pending;
}

export async function probeNodes(t: CheckContext): Promise<ProbedNode[]> {
  const nodes = sampleNodes((await t.clients.core.listNode()).items, iamSettings(t).nodeSample);
  if (nodes.length === 0) throw new CheckFailure('no Ready node to probe from');
  return nodes;
}

async function runScript(t: CheckContext, pods: readonly TenantPod[], network: ProbeNetwork): Promise<NodeImds[]> {
  const script = imdsProbeScript();
  const results = await mapBounded(pods, POD_CONCURRENCY, async (p) => {
    t.step(`probe ${p.namespace}/${p.pod} (${network}, node ${p.node.name})`);
    const r = await execIn(t, containerOf(p.namespace, p.pod), ['sh', '-c', script]);
    // The script always exits 0: anything else is a probe that failed, never "refused".
    if (r.exitCode !== 0) throw new CheckFailure(`the metadata probe in ${p.namespace}/${p.pod} failed (exit ${r.exitCode}): ${r.stderr.trim().slice(0, 200)}`);
    return { node: p.node.name, network, observation: parseImdsProbe(r.stdout) };
  });
  const failed = results.find((r) => r.status === 'rejected');
  if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
  return results.map((r) => (r as PromiseFulfilledResult<NodeImds>).value);
}

async function observeImds(t: CheckContext): Promise<ImdsRound> {
  const nodes = await probeNodes(t);
  await createTenantServiceAccount(t, t.namespace);
  const tenants = await startTenantPods(t, nodes, { namespace: t.namespace, prefix: 'tenant' });
  const observations = await runScript(t, tenants, 'pod network');
  const { hostNetworkProbes } = iamSettings(t);
  if (hostNetworkProbes) {
    const hostNs = await t.createNamespace('host', { podSecurity: 'privileged' });
    await createTenantServiceAccount(t, hostNs);
    const hosts = await startTenantPods(t, nodes, { namespace: hostNs, prefix: 'host', hostNetwork: true });
    observations.push(...(await runScript(t, hosts, 'host network')));
  }
  return { observations, hostNetworkProbed: hostNetworkProbes };
}
