// The probe topology on a live cluster, created once per suite run: run-scoped labelled
// namespaces x, y, z (via the harness, so cleanup is registered at creation), the probe pods of
// probePodManifest, and a wait until every server listens (startup probes gate Ready). Scenarios
// then only apply policies and probe. Also reads the external targets (cluster DNS pod IP) and
// checks the pods stayed healthy, so a crashed server never reads as a block.
import { errorSentence } from '../cluster/api-errors.js';
import { netpolDeadline } from './timeouts.js';
import type { V1Pod } from '@kubernetes/client-node';
import { describePods } from '../cluster/dump-format.js';
import { createPod, hopelessReason, isPodRunningAndReady } from '../cluster/pods.js';
import { watchUntil, type Deadline } from '../cluster/wait.js';
import { CheckFailure } from '../harness/errors.js';
import { suiteFixture } from '../harness/fixture.js';
import type { SetupContext } from '../harness/context.js';
import { ClusterProbeRunner } from './cluster-runner.js';
import { DEFAULT_AGENT_PORT, probePodManifest } from './manifests.js';
import { CLUSTER_DNS, buildTopology, DEFAULT_NAMESPACES, DEFAULT_PODS, NAMESPACE_LABEL, withIPs, type ExternalTarget, type Topology, type TopologyRequest } from './topology.js';

/** Per-probe timeout: generous for a busy 2-core node; enforcers that reject answer at once. */
export const PROBE_TIMEOUT_SECONDS = 2;
export function probeBatchDeadline(t: SetupContext): Deadline {
  return netpolDeadline(t.timeouts, 'netpolProbeBatch');
}

/** What we learnt about enforcement, set by the netpol/enforcement check. */
export type EnforcementState =
  | { state: 'not-checked' }
  | { state: 'enforced'; effectMs: number }
  | { state: 'not-enforced'; sentence: string }
  | { state: 'unclear'; reason: string };

/**
 * What netpol/enforcement learnt, one per run: it writes it, the scenario checks read it (to skip
 * when nothing is enforced, and to word their mismatches). ORDER MATTERS: the scenarios must run
 * after netpol/enforcement; they do because suites/netpol/policies.spec.ts declares it first and
 * mocha runs a file's checks in declaration order. Run without it (e.g. --grep on one scenario),
 * the state stays `not-checked` and the scenarios run and report in full.
 */
export const enforcementFinding = suiteFixture<{ current: EnforcementState }>(
  'netpol', 'enforcement finding', () => ({ current: { state: 'not-checked' } }),
);

export interface NetpolLab {
  /** Topology with real names and pod IPs. */
  readonly topology: Topology;
  /** A batched cluster runner probing within `topology` (the lab's, or a scenario's part of it). */
  runnerFor(topology: Topology, signal?: AbortSignal): ClusterProbeRunner;
  /** Real namespace names of the lab, for policy cleanup and health checks. */
  readonly namespaces: string[];
  /** Restart counts per `namespace/pod/container` once Ready; a change means a server restarted. */
  readonly restarts: ReadonlyMap<string, number>;
}

function restartKeys(pods: readonly V1Pod[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const pod of pods) {
    for (const s of pod.status?.containerStatuses ?? []) counts.set(`${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}/${s.name}`, s.restartCount);
  }
  return counts;
}

/** Waits until every listed pod of a namespace is Running and Ready (startup probes passed). */
async function waitForLabPods(t: SetupContext, namespace: string, names: readonly string[]): Promise<V1Pod[]> {
  const labelSelector = Object.entries(t.labels()).map(([k, v]) => `${k}=${v}`).join(',');
  const ours = (pods: V1Pod[]) => pods.filter((p) => names.includes(p.metadata?.name ?? ''));
  const items = await watchUntil<V1Pod>(
    {
      kc: t.clients.kc,
      path: `/api/v1/namespaces/${namespace}/pods`,
      labelSelector,
      list: () => t.clients.core.listNamespacedPod({ namespace, labelSelector }),
    },
    (pods) => ours(pods).length === names.length && ours(pods).every(isPodRunningAndReady),
    {
      expectation: `probe pods ${names.join(', ')} in ${namespace} to be Running and Ready (every server listening)`,
      deadline: t.deadline('podStart'),
      signal: t.signal,
      describe: (pods) => (pods === undefined ? 'never listed' : describePods(ours(pods))),
      fatal: (pods) => ours(pods).map(hopelessReason).find((r) => r !== undefined),
    },
  );
  return ours(items);
}

/** The namespaces of a lab, made (labelled, cleanup registered) but not yet holding its pods. */
export interface LabNamespaces {
  request: TopologyRequest;
  /** Logical namespace (`x`) -> real name. */
  realNames: ReadonlyMap<string, string>;
}

/**
 * Creates the lab for `request` (normally topologyFor(SCENARIOS)). Several labs with the same
 * logical namespaces (the lanes of the generated cases) need distinct `name`s: the real
 * namespace names are made from it.
 */
export async function createLab(t: SetupContext, request: TopologyRequest, name?: string): Promise<NetpolLab> {
  return startLab(t, await createLabNamespaces(t, request, name));
}

/** The first half of createLab: the lab's namespaces (quick), so the slow half, starting its pods
 *  (startLab), can run in the background while the suite's checks run. */
export async function createLabNamespaces(t: SetupContext, request: TopologyRequest, name?: string): Promise<LabNamespaces> {
  const logical = [...new Set(request.namespaces ?? DEFAULT_NAMESPACES)];
  const realNames = new Map<string, string>();
  await Promise.all(logical.map(async (ns) => {
    realNames.set(ns, await t.createNamespace(name === undefined ? ns : `${name}-${ns}`, { labels: { [NAMESPACE_LABEL]: ns } }));
  }));
  return { request, realNames };
}

/** Starts the probe pods of a lab in `namespaces` and waits until every server listens. */
export async function startLab(t: SetupContext, namespaces: LabNamespaces): Promise<NetpolLab> {
  const { request, realNames } = namespaces;
  const base = buildTopology(request, {
    namespaceName: (ns) => realNames.get(ns) ?? ns,
    namespaceLabels: t.labels(),
    podLabels: t.labels(),
  });
  t.step(`start ${base.pods.length} probe pods (${base.pods[0]?.ports.length ?? 0} servers and a probe agent each)`);
  const manifests = base.pods.map((pod) => probePodManifest(pod, base, { image: t.probeImage, imagePullPolicy: t.config.images.pullPolicy, labels: t.labels(), agentPort: DEFAULT_AGENT_PORT }));
  await Promise.all(manifests.map((m) => createPod(t.clients, m)));
  const podNames = [...new Set(request.pods ?? DEFAULT_PODS)];
  const ready = (await Promise.all(base.namespaces.map((ns) => waitForLabPods(t, ns.name, podNames)))).flat();
  const ips: Record<string, string> = {};
  for (const pod of base.pods) {
    const real = ready.find((p) => p.metadata?.namespace === realNames.get(pod.namespace) && p.metadata?.name === pod.name);
    const ip = real?.status?.podIP;
    if (ip === undefined) throw new CheckFailure(`probe pod ${pod.id} is Ready but has no pod IP`);
    ips[pod.id] = ip;
  }
  const topology = withIPs(base, ips);
  return {
    topology,
    runnerFor: (scoped: Topology, signal?: AbortSignal) => new ClusterProbeRunner({
      kc: t.clients.kc,
      topology: scoped,
      ...(signal === undefined ? {} : { signal }),
      execDeadline: probeBatchDeadline(t),
      timeoutSeconds: PROBE_TIMEOUT_SECONDS,
      agentPort: DEFAULT_AGENT_PORT,
      dnsName: `kubernetes.default.svc.${t.config.clusterDomain}`,
    }),
    namespaces: base.namespaces.map((n) => n.name),
    restarts: restartKeys(ready),
  };
}

/**
 * Fails when a probe pod is gone, not running, or one of its servers restarted since the lab was
 * Ready: its port may not listen right now, and REFUSED would then pass for a block.
 */
export async function assertLabHealthy(t: SetupContext, lab: NetpolLab): Promise<void> {
  const labelSelector = Object.entries(t.labels()).map(([k, v]) => `${k}=${v}`).join(',');
  const pods = (await Promise.all(lab.namespaces.map((namespace) => t.clients.core.listNamespacedPod({ namespace, labelSelector })))).flatMap((l) => l.items);
  const now = restartKeys(pods);
  const problems: string[] = [];
  for (const [key, before] of lab.restarts) {
    const after = now.get(key);
    if (after === undefined) problems.push(`${key} is gone`);
    else if (after !== before) problems.push(`${key} restarted (${after - before} time(s)) since the lab was Ready`);
  }
  for (const pod of pods) {
    if (pod.status?.phase !== 'Running') problems.push(`${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''} is ${pod.status?.phase ?? 'in no phase'}`);
  }
  if (problems.length > 0) {
    throw new CheckFailure(`probe pods are not healthy, so probe results would be unreliable: ${problems[0] ?? ''}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`, {
      details: `${problems.join('\n')}\n\n${describePods(pods)}`,
    });
  }
}


/**
 * The cluster DNS target with the IP of a Ready CoreDNS/kube-dns pod, read now (pods may have
 * been replaced since the lab was built), or the reason there is none. When such pods exist but
 * none is Ready (a restart in progress), waits for one by watch within a named deadline.
 */
export async function clusterDnsTarget(t: SetupContext): Promise<{ target: ExternalTarget } | { problem: string }> {
  const selector = CLUSTER_DNS.pod?.labels ?? {};
  const namespace = CLUSTER_DNS.pod?.namespace ?? 'kube-system';
  const labelSelector = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',');
  const deadline: Deadline = netpolDeadline(t.timeouts, 'netpolClusterDnsReady');
  const readyPod = (pods: readonly V1Pod[]) => pods.find((p) => isPodRunningAndReady(p) && p.status?.podIP !== undefined);
  let pods: V1Pod[];
  try {
    pods = await watchUntil<V1Pod>(
      { kc: t.clients.kc, path: `/api/v1/namespaces/${namespace}/pods`, labelSelector, list: () => t.clients.core.listNamespacedPod({ namespace, labelSelector }) },
      (items) => items.length === 0 || readyPod(items) !== undefined,
      { expectation: `a Ready pod labelled ${labelSelector} in ${namespace}`, deadline, signal: t.signal, describe: (items) => describePods(items ?? []) },
    );
  } catch (err) {
    if (t.signal.aborted) throw err;
    return { problem: `no Ready pod labelled ${labelSelector} in ${namespace}: ${errorSentence(err)}` };
  }
  const ready = readyPod(pods);
  if (ready?.status?.podIP === undefined) return { problem: `no pod labelled ${labelSelector} in ${namespace}` };
  return { target: { ...CLUSTER_DNS, ip: ready.status.podIP } };
}
