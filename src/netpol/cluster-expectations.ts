// netpol/user-expectations: probes the reachability the user stated for their own workloads.
// Only with netpol.probeUserNamespaces: true does it place probe pods in their namespaces (see
// expectation-pods.ts for how they stay out of the way); their removal is registered on the
// check's cleanup stack before the first one is created, so it runs on pass, failure, timeout
// and Ctrl-C, and the check waits until they are gone.
import { netpolSettings } from './config.js';
import type { V1ConfigMap, V1Pod } from '@kubernetes/client-node';
import { describeApiError, isNotFound } from '../cluster/api-errors.js';
import { createWithContext } from '../cluster/create.js';
import { describePods } from '../cluster/dump-format.js';
import { kubectlExec } from '../cluster/exec.js';
import { isOwnedByKubeAssay } from '../cluster/labels.js';
import { createPod, deletePodAndWait, hopelessReason } from '../cluster/pods.js';
import { watchUntil } from '../cluster/wait.js';
import type { CheckContext } from '../harness/context.js';
import { CheckFailure } from '../harness/errors.js';
import { ClusterProbeRunner, execTarget } from './cluster-runner.js';
import { probeCommand, scriptProbes } from './cluster-script.js';
import { probeBatchDeadline, PROBE_TIMEOUT_SECONDS } from './cluster-lab.js';
import { policyEffectDeadline } from './cluster-scenario.js';
import { expectationNamespaces, expectationPods, loadExpectations, type ExpectationPod, type UserExpectation } from './expectations.js';
import {
  agentPortFor, conflictingLabels, containersListening, EXPECTATION_PROBE_LABEL, EXPECTATION_PROBE_VALUE, expectationContainer, expectationPodManifest,
  expectationPodName, expectationProbe, expectationTopology, holderConfigMap, type ExpectationPodOptions,
} from './expectation-pods.js';
import { observeUntilAgreed } from './observe.js';
import { probeKey, type Probe, type ProbeOutcome } from './probe.js';
import { findPod, type Topology } from './topology.js';

function selectorOf(labels: Record<string, string>): string {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
}

async function assertNamespacesExist(t: CheckContext, namespaces: readonly string[], expectations: readonly UserExpectation[]): Promise<void> {
  for (const namespace of namespaces) {
    try {
      await t.clients.core.readNamespace({ name: namespace });
    } catch (err) {
      if (!isNotFound(err)) throw new Error(describeApiError(`read namespace ${namespace}`, err), { cause: err });
      const first = expectations.find((e) => e.from.namespace === namespace || e.to.namespace === namespace);
      throw new CheckFailure(`namespace ${namespace} named by expectation ${first?.index ?? '?'} ("${first?.name ?? ''}") does not exist: fix netpol.expectationsFile or create it.`);
    }
  }
}

/** Deletes our probe pods and holder ConfigMaps (labels checked) and waits until the pods are gone. */
async function removeProbes(t: CheckContext, namespaces: readonly string[], options: ExpectationPodOptions): Promise<void> {
  const selector = `${selectorOf(options.ownership)},${EXPECTATION_PROBE_LABEL}=${EXPECTATION_PROBE_VALUE}`;
  await Promise.all(namespaces.map(async (namespace) => {
    const pods = (await t.clients.core.listNamespacedPod({ namespace, labelSelector: selector })).items;
    await Promise.all(pods.filter((p) => isOwnedByKubeAssay(p.metadata?.labels, t.runId))
      .map((p) => deletePodAndWait(t.clients, namespace, p.metadata?.name ?? '', t.deadline('podDelete'))));
    const holder = holderConfigMap(namespace, options);
    const name = holder.metadata?.name ?? '';
    try {
      const current = await t.clients.core.readNamespacedConfigMap({ namespace, name });
      if (isOwnedByKubeAssay(current.metadata?.labels, t.runId)) await t.clients.core.deleteNamespacedConfigMap({ namespace, name });
    } catch (err) {
      if (!isNotFound(err)) throw new Error(describeApiError(`delete configmap ${namespace}/${name}`, err), { cause: err });
    }
  }));
}

function createHolder(t: CheckContext, namespace: string, options: ExpectationPodOptions): Promise<V1ConfigMap> {
  const body = holderConfigMap(namespace, options);
  return createWithContext('configmap', `${namespace}/${body.metadata?.name ?? ''}`, () => t.clients.core.createNamespacedConfigMap({ namespace, body }));
}

async function waitListening(t: CheckContext, namespace: string, names: readonly string[]): Promise<V1Pod[]> {
  const labelSelector = `${selectorOf(t.labels())},${EXPECTATION_PROBE_LABEL}=${EXPECTATION_PROBE_VALUE}`;
  const ours = (pods: V1Pod[]) => pods.filter((p) => names.includes(p.metadata?.name ?? ''));
  return ours(await watchUntil<V1Pod>(
    { kc: t.clients.kc, path: `/api/v1/namespaces/${namespace}/pods`, labelSelector, list: () => t.clients.core.listNamespacedPod({ namespace, labelSelector }) },
    (pods) => ours(pods).length === names.length && ours(pods).every(containersListening),
    {
      expectation: `probe pods ${names.join(', ')} in ${namespace} to run with every server listening`,
      deadline: t.deadline('podStart'),
      signal: t.signal,
      describe: (pods) => (pods === undefined ? 'never listed' : describePods(ours(pods))),
      fatal: (pods) => ours(pods).map(hopelessReason).find((r) => r !== undefined),
    },
  ));
}

/** Places the probe pods and returns their IPs by ExpectationPod key. */
async function placeProbes(t: CheckContext, pods: readonly ExpectationPod[], options: ExpectationPodOptions): Promise<Map<string, string>> {
  const namespaces = [...new Set(pods.map((p) => p.namespace))];
  const holders = new Map<string, V1ConfigMap>();
  for (const namespace of namespaces) holders.set(namespace, await createHolder(t, namespace, options));
  t.step(`start ${pods.length} probe pod(s) in ${namespaces.join(', ')}`);
  await Promise.all(pods.map((pod) => {
    const holder = holders.get(pod.namespace);
    return createPod(t.clients, expectationPodManifest(pod, { name: holder?.metadata?.name ?? '', uid: holder?.metadata?.uid ?? '' }, options));
  }));
  const running = (await Promise.all(namespaces.map((ns) => waitListening(t, ns, pods.filter((p) => p.namespace === ns).map((p) => expectationPodName(p, t.runId)))))).flat();
  const ips = new Map<string, string>();
  for (const pod of pods) {
    const ip = running.find((r) => r.metadata?.namespace === pod.namespace && r.metadata?.name === expectationPodName(pod, t.runId))?.status?.podIP;
    if (ip === undefined) throw new CheckFailure(`probe pod for ${pod.key} runs but has no IP`);
    ips.set(pod.key, ip);
  }
  return ips;
}

/** The check body. */
export async function checkUserExpectations(t: CheckContext): Promise<void> {
  const file = netpolSettings(t).expectationsFile;
  if (file === undefined) t.skip('no expectations file: set netpol.expectationsFile in the config to state reachability between your own workloads');
  const expectations = loadExpectations(file);
  const namespaces = expectationNamespaces(expectations);
  if (!netpolSettings(t).probeUserNamespaces) {
    t.skip(`${expectations.length} expectation(s) loaded from ${file}, not probed: set netpol.probeUserNamespaces: true to let kube-assay place short-lived probe pods in ${namespaces.join(', ')}`);
  }
  const options: ExpectationPodOptions = {
    image: t.probeImage, imagePullPolicy: t.config.images.pullPolicy, runId: t.runId, ownership: t.labels(), agentPort: agentPortFor(expectations),
  };
  for (const e of expectations) {
    const conflicts = conflictingLabels({ ...e.from.pod, ...e.to.pod }, options.ownership);
    if (conflicts.length > 0) throw new CheckFailure(`expectation ${e.index} ("${e.name}") uses label ${conflicts.join(', ')}, which kube-assay's probe pods must carry themselves: remove it from the expectation.`);
  }
  await assertNamespacesExist(t, namespaces, expectations);
  const pods = expectationPods(expectations);
  t.defer(`remove the probe pods from ${namespaces.join(', ')}`, () => removeProbes(t, namespaces, options));
  const ips = await placeProbes(t, pods, options);
  const topology = expectationTopology(pods, ips, t.runId);
  const probes = expectations.map((e) => expectationProbe(e, pods, t.runId));
  const expected = new Map<string, ProbeOutcome>(probes.map((p, i) => [probeKey(p), expectations[i]?.expect ?? 'unknown']));
  const runner = new ClusterProbeRunner({
    kc: t.clients.kc, topology, execDeadline: probeBatchDeadline(t), signal: t.signal, timeoutSeconds: PROBE_TIMEOUT_SECONDS,
    dnsName: `kubernetes.default.svc.${t.config.clusterDomain}`, containerOf: expectationContainer, agentPort: options.agentPort,
  });
  // New pods become subject to policies once the enforcer has seen them: observe until the
  // cluster agrees or the policy-effect deadline passes, like a scenario step.
  t.step(`probe ${probes.length} expectation(s)`);
  const deadline = policyEffectDeadline(t);
  const observation = await observeUntilAgreed(runner, probes, expected, { deadline, signal: t.signal, minPauseMs: 500 });
  report(t, expectations, probes, observation.observed, runner, topology, options.agentPort);
}

/** One table row per expectation; fails naming the first that does not hold. */
function report(
  t: CheckContext, expectations: readonly UserExpectation[], probes: readonly Probe[], observed: ReadonlyMap<string, ProbeOutcome>,
  runner: ClusterProbeRunner, topology: Topology, agentPort: number,
): void {
  const rows = expectations.map((e, i) => {
    const probe = probes[i] as Probe;
    const key = probeKey(probe);
    const seen = observed.get(key) ?? 'unknown';
    const verdict = seen === e.expect ? 'holds' : seen === 'probe-failed' || seen === 'unknown' ? 'could not tell' : 'does not hold';
    return { e, probe, seen, verdict, evidence: runner.evidence.get(key)?.detail ?? '' };
  });
  const marks = rows.map((r) => [null, null, null, null, null, null, r.verdict === 'holds' ? 'ok' as const : 'bad' as const, null]);
  t.attachTable('expectations', ['#', 'name', 'from', 'to', 'port', 'expected', 'observed', 'evidence'],
    rows.map((r) => [String(r.e.index), r.e.name, `${r.e.from.namespace}/${selectorOf(r.e.from.pod)}`, `${r.e.to.namespace}/${selectorOf(r.e.to.pod)}`, `${r.e.port}/${r.e.protocol}`, r.e.expect, r.seen, r.evidence]), marks);
  const wrong = rows.filter((r) => r.verdict !== 'holds');
  if (wrong.length === 0) return;
  const items = scriptProbes(wrong.map((r) => r.probe), topology, { agent: true });
  const commands = wrong.map((r, i) => {
    const item = items[i];
    const source = item === undefined ? undefined : findPod(topology, item.probe.from);
    const command = item?.address === undefined || source === undefined ? '(no address)' : kubectlExec(execTarget({ topology, containerOf: expectationContainer }, source), probeCommand(item, { timeoutSeconds: PROBE_TIMEOUT_SECONDS, dnsName: 'kubernetes.default', agentPort }));
    return `- #${r.e.index} ${r.e.name}: expected ${r.e.expect}, observed ${r.seen}${r.evidence ? ` (${r.evidence})` : ''}\n  reproduce (while the probe pods exist): ${command}`;
  });
  t.attachText('expectations that do not hold', commands.join('\n'));
  const first = wrong[0];
  const failedOnly = wrong.every((r) => r.verdict === 'could not tell');
  const head = failedOnly ? `could not tell ${wrong.length} of ${rows.length} expectation(s): probes failed (infrastructure, not policy)` : `${wrong.length} of ${rows.length} expectation(s) do not hold`;
  throw new CheckFailure(`${head}; e.g. #${first?.e.index ?? '?'} "${first?.e.name ?? ''}": expected ${first?.e.expect ?? '?'}, observed ${first?.seen ?? '?'}`);
}
