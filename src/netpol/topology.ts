// The probe topology as data: which namespaces and pods exist, the labels selectors see, the
// ports each pod serves and (once known) their IPs. Tests ask for the smallest topology they
// need; the cluster side creates exactly this and fills in the IPs.
import type { Labels } from './labels.js';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface PortProtocol {
  port: number;
  protocol: Protocol;
}

/** A container port a probe pod listens on; `name` is what named-port policies refer to. */
export interface ServedPort extends PortProtocol {
  name: string;
}

/** Label key carrying the pod's logical name (`pod: a`), as upstream netpol tests use. */
export const POD_LABEL = 'pod';
/** Label key carrying the namespace's logical name (`ns: x`), stable across runs. */
export const NAMESPACE_LABEL = 'ns';
/** Label the API server puts on every namespace, holding its real name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export interface TopologyNamespace {
  /** Name used in tests and tables, e.g. `x`. */
  logical: string;
  /** Real, run-scoped name in the cluster. */
  name: string;
  labels: Labels;
}

export interface TopologyPod {
  /** `x/a`: logical namespace and pod name; the key used in probes and tables. */
  id: string;
  /** Logical namespace, e.g. `x`. */
  namespace: string;
  /** Pod name in the cluster, e.g. `a`. */
  name: string;
  labels: Labels;
  ports: ServedPort[];
  /** Pod IP once the pod is running; ipBlock rules cannot be evaluated without it. */
  ip?: string;
}

/**
 * A probe destination outside the probe pods: a plain address (cloud metadata) or a pod we do
 * not own (cluster DNS), described well enough that selectors can be evaluated against it.
 */
export interface ExternalTarget {
  /** Short name used in tables; never contains `/` (pod ids always do). */
  name: string;
  description: string;
  ip?: string;
  /** Identity when the target is a pod outside the topology; its own policies are not modelled. */
  pod?: { namespace: string; namespaceLabels: Labels; labels: Labels };
  ports?: ServedPort[];
  /** The target answers DNS; a UDP probe must send a real query to get a reply. */
  dnsServer?: boolean;
}

export interface Topology {
  namespaces: TopologyNamespace[];
  pods: TopologyPod[];
  externals: ExternalTarget[];
}

export interface TopologyRequest {
  /** Logical namespaces; default x, y, z. */
  namespaces?: readonly string[];
  /** Pod names created in every namespace; default a, b, c. */
  pods?: readonly string[];
  /** Ports every pod serves; default TCP and UDP on 80 and 81. */
  ports?: readonly PortProtocol[];
  externals?: readonly ExternalTarget[];
}

export interface TopologyOptions {
  /**
   * Maps a logical namespace to its real name; identity by default (handy in unit tests).
   * On a cluster use the harness's run-scoped naming (src/cluster/names.ts testNamespaceName).
   */
  namespaceName?: (logical: string) => string;
  /** Extra labels every namespace carries in the cluster (e.g. run-id labels). */
  namespaceLabels?: Labels;
  /** Extra labels every pod carries in the cluster. */
  podLabels?: Labels;
}

export const DEFAULT_NAMESPACES: readonly string[] = ['x', 'y', 'z'];
export const DEFAULT_PODS: readonly string[] = ['a', 'b', 'c'];
export const DEFAULT_PORTS: readonly PortProtocol[] = [
  { port: 80, protocol: 'TCP' },
  { port: 80, protocol: 'UDP' },
  { port: 81, protocol: 'TCP' },
  { port: 81, protocol: 'UDP' },
];

/** The cloud instance metadata service; egress to it is how pods steal node credentials. */
export const CLOUD_METADATA: ExternalTarget = {
  name: 'cloud-metadata',
  description: 'cloud instance metadata service 169.254.169.254',
  ip: '169.254.169.254',
  ports: [{ port: 80, protocol: 'TCP', name: 'http' }],
};

/** The cluster DNS pods (CoreDNS/kube-dns); the IP of one of them is filled in at run time. */
export const CLUSTER_DNS: ExternalTarget = {
  name: 'cluster-dns',
  description: 'cluster DNS pods (k8s-app=kube-dns in kube-system)',
  pod: {
    namespace: 'kube-system',
    namespaceLabels: { [NAMESPACE_NAME_LABEL]: 'kube-system' },
    labels: { 'k8s-app': 'kube-dns' },
  },
  ports: [
    { port: 53, protocol: 'UDP', name: 'dns' },
    { port: 53, protocol: 'TCP', name: 'dns-tcp' },
  ],
  dnsServer: true,
};

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function podId(namespace: string, pod: string): string {
  return `${namespace}/${pod}`;
}

/** `serve-80-tcp`: the container port name, matching upstream netpol e2e naming. */
export function servedPortName(port: number, protocol: Protocol): string {
  return `serve-${port}-${protocol.toLowerCase()}`;
}

/** `cont-80-tcp`: one container per served port, each running its own server. */
export function containerName(port: number, protocol: Protocol): string {
  return `cont-${port}-${protocol.toLowerCase()}`;
}

/** Container to exec into for probes from this pod (any container would do; take the first). */
export function execContainer(pod: TopologyPod): string {
  const first = pod.ports[0];
  if (first === undefined) throw new Error(`pod ${pod.id} serves no ports, so it has no container to exec into`);
  return containerName(first.port, first.protocol);
}

function assertDnsLabel(kind: string, value: string): void {
  if (value.length > 63 || !DNS_LABEL.test(value)) {
    throw new Error(`topology: ${kind} "${value}" is not a DNS label (lowercase letters, digits, '-', at most 63)`);
  }
}

function uniquePorts(ports: readonly PortProtocol[]): PortProtocol[] {
  const seen = new Set<string>();
  const out: PortProtocol[] = [];
  for (const p of ports) {
    const key = `${p.port}/${p.protocol}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push({ port: p.port, protocol: p.protocol });
    }
  }
  return out;
}

/** Builds the topology a test asked for, validating names and ports. */
export function buildTopology(request: TopologyRequest = {}, options: TopologyOptions = {}): Topology {
  const namespaceName = options.namespaceName ?? ((logical: string) => logical);
  const logicalNamespaces = [...new Set(request.namespaces ?? DEFAULT_NAMESPACES)];
  const podNames = [...new Set(request.pods ?? DEFAULT_PODS)];
  const ports = uniquePorts(request.ports ?? DEFAULT_PORTS);
  if (logicalNamespaces.length === 0 || podNames.length === 0 || ports.length === 0) {
    throw new Error('topology: at least one namespace, one pod and one port are required');
  }
  for (const p of ports) {
    if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) throw new Error(`topology: port ${p.port} is out of range`);
  }
  const namespaces: TopologyNamespace[] = logicalNamespaces.map((logical) => {
    assertDnsLabel('namespace', logical);
    const name = namespaceName(logical);
    assertDnsLabel('real namespace name', name);
    return { logical, name, labels: { ...options.namespaceLabels, [NAMESPACE_LABEL]: logical, [NAMESPACE_NAME_LABEL]: name } };
  });
  if (new Set(namespaces.map((n) => n.name)).size !== namespaces.length) {
    throw new Error('topology: two logical namespaces map to the same real namespace name');
  }
  const pods: TopologyPod[] = [];
  for (const ns of namespaces) {
    for (const name of podNames) {
      assertDnsLabel('pod', name);
      pods.push({
        id: podId(ns.logical, name),
        namespace: ns.logical,
        name,
        labels: { ...options.podLabels, [POD_LABEL]: name },
        ports: ports.map((p) => ({ ...p, name: servedPortName(p.port, p.protocol) })),
      });
    }
  }
  const externals = (request.externals ?? []).map((e) => {
    if (e.name.includes('/')) throw new Error(`topology: external target name "${e.name}" must not contain "/"`);
    return { ...e };
  });
  return { namespaces, pods, externals };
}

/** The smallest single request covering all of `requests` (one pod set serves many tests). */
export function mergeTopologyRequests(...requests: readonly TopologyRequest[]): TopologyRequest {
  const union = <T>(lists: Array<readonly T[]>, key: (t: T) => string): T[] => {
    const seen = new Map<string, T>();
    for (const list of lists) for (const item of list) if (!seen.has(key(item))) seen.set(key(item), item);
    return [...seen.values()];
  };
  return {
    namespaces: union(requests.map((r) => r.namespaces ?? DEFAULT_NAMESPACES), (s) => s),
    pods: union(requests.map((r) => r.pods ?? DEFAULT_PODS), (s) => s),
    ports: union(requests.map((r) => r.ports ?? DEFAULT_PORTS), (p) => `${p.port}/${p.protocol}`),
    externals: union(requests.map((r) => r.externals ?? []), (e) => e.name),
  };
}

/** A copy of the topology with IPs filled in, keyed by pod id (`x/a`) or external target name. */
export function withIPs(topology: Topology, ips: Readonly<Record<string, string>>): Topology {
  const known = new Set([...topology.pods.map((p) => p.id), ...topology.externals.map((e) => e.name)]);
  for (const id of Object.keys(ips)) {
    if (!known.has(id)) throw new Error(`withIPs: "${id}" is neither a pod nor an external target of this topology`);
  }
  return {
    namespaces: topology.namespaces,
    pods: topology.pods.map((p) => (ips[p.id] === undefined ? p : { ...p, ip: ips[p.id] })),
    externals: topology.externals.map((e) => (ips[e.name] === undefined ? e : { ...e, ip: ips[e.name] })),
  };
}

export function findPod(topology: Topology, id: string): TopologyPod | undefined {
  return topology.pods.find((p) => p.id === id);
}

export function findExternal(topology: Topology, name: string): ExternalTarget | undefined {
  return topology.externals.find((e) => e.name === name);
}

export function findNamespace(topology: Topology, logical: string): TopologyNamespace | undefined {
  return topology.namespaces.find((n) => n.logical === logical);
}

/** The real namespace name of a logical one; throws with context when the topology lacks it. */
export function realNamespace(topology: Topology, logical: string): string {
  const ns = findNamespace(topology, logical);
  if (ns === undefined) throw new Error(`topology has no namespace "${logical}"`);
  return ns.name;
}

/** Logical name for a real namespace name, or the real name itself when it is not ours. */
export function logicalNamespace(topology: Topology, real: string): string {
  return topology.namespaces.find((n) => n.name === real)?.logical ?? real;
}
