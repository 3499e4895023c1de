// Probe pods placed in the user's own namespaces for their expectations, as pure data. They
// must be good guests there:
// - labels: exactly the user's (so the user's policies select them) plus kube-assay's ownership;
// - never Ready (a readiness gate nobody sets), so no Service ever routes real traffic to them;
//   "servers listening" is proven by startup probes, which make the containers ready (the pod's
//   ContainersReady condition) without making the pod Ready;
// - controlled by a kube-assay ConfigMap (ownerReference with controller: true), so a
//   ReplicaSet whose selector matches the labels cannot adopt, count or delete them, and
//   deleting that ConfigMap garbage-collects them;
// - compliant with the `restricted` Pod Security level (non-root, no capabilities, seccomp),
//   binding low ports through the namespaced safe sysctl ip_unprivileged_port_start.
import type { V1ConfigMap, V1Container, V1Pod } from '@kubernetes/client-node';
import { dnsLabel } from '../cluster/names.js';
import { PROBE_SECURITY_CONTEXT, probePodSpec } from '../cluster/probe-spec.js';
import type { ExpectationPod, UserExpectation } from './expectations.js';
import type { Labels } from './labels.js';
import { AGENT_CONTAINER, agentContainer, DEFAULT_AGENT_PORT, serverContainer } from './manifests.js';
import type { Probe } from './probe.js';
import { containerName, servedPortName, type Topology, type TopologyPod } from './topology.js';

/** Readiness gate no controller sets: the pod stays NotReady (out of every Service). */
export const NEVER_READY_GATE = 'kube-assay.io/never-ready';
/** Marks our probe pods among the user's pods. */
export const EXPECTATION_PROBE_LABEL = 'kube-assay.io/probe';
export const EXPECTATION_PROBE_VALUE = 'netpol-expectations';

export interface ExpectationPodOptions {
  image: string;
  imagePullPolicy: 'IfNotPresent' | 'Never' | 'Always';
  runId: string;
  /** kube-assay ownership labels. */
  ownership: Labels;
  /** Port of the probe agent; see agentPortFor. */
  agentPort: number;
}

/** The default agent port unless an expectation aims at it over TCP; then the next free one below. */
export function agentPortFor(expectations: readonly UserExpectation[]): number {
  const taken = new Set(expectations.filter((e) => e.protocol === 'TCP').map((e) => e.port));
  let port = DEFAULT_AGENT_PORT;
  while (taken.has(port)) port -= 1;
  return port;
}

export function expectationPodName(pod: ExpectationPod, runId: string): string {
  return dnsLabel('ka-probe', `${runId}\u0000${pod.key}`, 40);
}

export function holderConfigMapName(runId: string): string {
  return dnsLabel('ka-netpol-probes', runId, 40);
}

/** The ConfigMap that controls the probe pods of one namespace. */
export function holderConfigMap(namespace: string, options: ExpectationPodOptions): V1ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: holderConfigMapName(options.runId), namespace, labels: { ...options.ownership } },
    data: { purpose: 'Controls the short-lived probe pods of kube-assay netpol/user-expectations; deleting it removes them.' },
  };
}

/** User labels that would overwrite kube-assay's own; such an expectation cannot be probed. */
export function conflictingLabels(labels: Labels, ownership: Labels): string[] {
  return Object.keys(labels).filter((k) => k in ownership || k === EXPECTATION_PROBE_LABEL);
}

export function expectationPodManifest(pod: ExpectationPod, holder: { name: string; uid: string }, options: ExpectationPodOptions): V1Pod {
  const hardening = { ...PROBE_SECURITY_CONTEXT, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true };
  const resources = { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '500m', memory: '128Mi' } };
  const servers: V1Container[] = pod.serves.map((s) => ({
    ...serverContainer({ ...s, name: servedPortName(s.port, s.protocol) }, { image: options.image, imagePullPolicy: options.imagePullPolicy }),
    securityContext: hardening,
    resources,
  }));
  // The agent sends this pod's UDP probes (see cluster-script.ts); a pod that only sends
  // consists of it alone, and probes are exec'd there.
  const agent: V1Container = { ...agentContainer(options.agentPort, { image: options.image, imagePullPolicy: options.imagePullPolicy }), securityContext: hardening, resources };
  const containers = [...servers, agent];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: expectationPodName(pod, options.runId),
      namespace: pod.namespace,
      labels: { ...pod.labels, ...options.ownership, [EXPECTATION_PROBE_LABEL]: EXPECTATION_PROBE_VALUE },
      ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: holder.name, uid: holder.uid, controller: true, blockOwnerDeletion: false }],
    },
    // Grace 0, not the probe default: these pods live in the user's namespaces and go with
    // their holder ConfigMap; nothing waits on an orderly stop.
    spec: probePodSpec(containers, {
      terminationGracePeriodSeconds: 0,
      readinessGates: [{ conditionType: NEVER_READY_GATE }],
      securityContext: {
        runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' },
        sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }],
      },
    }),
  };
}

/** Containers started and ready (servers listening); the pod itself is never Ready by design. */
export function containersListening(pod: V1Pod): boolean {
  if (pod.status?.phase !== 'Running') return false;
  return (pod.status.conditions ?? []).some((c) => c.type === 'ContainersReady' && c.status === 'True');
}

/**
 * A topology over the placed pods, so the batched runner can probe them: every namespace is its
 * own logical name, pods are `namespace/<pod name>`. `ips` maps ExpectationPod keys to pod IPs.
 */
export function expectationTopology(pods: readonly ExpectationPod[], ips: ReadonlyMap<string, string>, runId: string): Topology {
  const namespaces = [...new Set(pods.map((p) => p.namespace))].sort();
  return {
    namespaces: namespaces.map((name) => ({ logical: name, name, labels: {} })),
    pods: pods.map((p): TopologyPod => {
      const name = expectationPodName(p, runId);
      const ip = ips.get(p.key);
      return {
        id: `${p.namespace}/${name}`, namespace: p.namespace, name, labels: p.labels,
        ports: p.serves.map((s) => ({ ...s, name: servedPortName(s.port, s.protocol) })),
        ...(ip === undefined ? {} : { ip }),
      };
    }),
    externals: [],
  };
}

/** The probe of one expectation within expectationTopology. */
export function expectationProbe(expectation: UserExpectation, pods: readonly ExpectationPod[], runId: string): Probe {
  const idOf = (namespace: string, labels: Labels): string => {
    const pod = pods.find((p) => p.namespace === namespace && JSON.stringify(Object.entries(p.labels).sort()) === JSON.stringify(Object.entries(labels).sort()));
    if (pod === undefined) throw new Error(`no probe pod for ${namespace} ${JSON.stringify(labels)}`);
    return `${namespace}/${expectationPodName(pod, runId)}`;
  };
  return { from: idOf(expectation.from.namespace, expectation.from.pod), to: idOf(expectation.to.namespace, expectation.to.pod), port: expectation.port, protocol: expectation.protocol };
}

/** Exec container of a placed pod: its first server, or the agent of a pod that only sends. */
export function expectationContainer(pod: TopologyPod): string {
  const first = pod.ports[0];
  return first === undefined ? AGENT_CONTAINER : containerName(first.port, first.protocol);
}
