// The network policy scenarios of the suite, as data: each has a stable ID, the smallest
// topology it needs, which cells to probe, and one or more steps. A step is the complete set of
// policies that must exist while it is probed (declarative: the runner applies the difference
// from the previous step with policyChanges, then waits for the expectation within a deadline).
// Policies use logical namespaces and placeholders; bindPolicies makes them concrete.
import type { V1NetworkPolicy } from '@kubernetes/client-node';
import { placeholder } from './binding.js';
import type { Labels } from './labels.js';
import { allowFrom, allowTo, networkPolicy, peer, port, select } from './policies.js';
import type { ProbePlan } from './probe.js';
import { CLOUD_METADATA, CLUSTER_DNS, mergeTopologyRequests, NAMESPACE_NAME_LABEL, type PortProtocol, type TopologyRequest } from './topology.js';

export interface ScenarioStep {
  /** What holds during this step, e.g. "the policy is updated to deny all ingress". */
  description: string;
  /** Every policy that must exist during this step; an empty list means none. */
  policies: V1NetworkPolicy[];
  /** Extra labels lab pods carry during this step, by pod id (`x/b`); a later step without
   *  them takes them off again. */
  podLabels?: Readonly<Record<string, Labels>>;
  /** Extra labels lab namespaces carry during this step, by logical namespace (`y`). */
  namespaceLabels?: Readonly<Record<string, Labels>>;
  /** Pods that exist during this step besides the lab's (`x/d`), serving the lab's ports. A
   *  different incarnation than the previous step's means: delete it and create it again. */
  addedPods?: Readonly<Record<string, AddedPod>>;
}

export interface AddedPod {
  labels?: Labels;
  incarnation: number;
}

/** Things a cluster must offer for a scenario to be meaningful; the suite skips it otherwise. */
export type ScenarioRequirement = 'cloud-metadata' | 'cluster-dns';

export interface Scenario {
  /** Stable ID, e.g. `netpol/default-deny-ingress`; never changes once published. */
  id: string;
  title: string;
  topology: TopologyRequest;
  probes: ProbePlan;
  steps: ScenarioStep[];
  requires?: ScenarioRequirement[];
}

const tcp = (...ports: number[]): PortProtocol[] => ports.map((p) => ({ port: p, protocol: 'TCP' as const }));
const pod = (name: string) => select.labels({ pod: name });
const ns = (name: string) => select.labels({ ns: name });
const XYZ = ['x', 'y', 'z'];
const ABC = ['a', 'b', 'c'];
const TCP_80: TopologyRequest = { namespaces: XYZ, pods: ABC, ports: tcp(80) };
const probeTcp80: ProbePlan = { ports: tcp(80) };

const denyAllIngressAndEgress = networkPolicy({ name: 'deny-all', namespace: 'x', policyTypes: ['Ingress', 'Egress'] });

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'netpol/no-policy',
    title: 'with no policy every pod reaches every pod on every port and protocol',
    topology: { namespaces: XYZ, pods: ABC },
    probes: { ports: [...tcp(80, 81), { port: 80, protocol: 'UDP' }, { port: 81, protocol: 'UDP' }] },
    steps: [{ description: 'no policies', policies: [] }],
  },
  {
    id: 'netpol/default-deny-ingress',
    title: 'a default-deny ingress policy isolates every pod of its namespace',
    topology: TCP_80,
    probes: probeTcp80,
    steps: [{
      description: 'x denies all ingress',
      policies: [networkPolicy({ name: 'default-deny-ingress', namespace: 'x', policyTypes: ['Ingress'] })],
    }],
  },
  {
    id: 'netpol/default-deny-egress-allow-dns',
    title: 'default-deny egress still lets pods reach cluster DNS',
    topology: { namespaces: ['x', 'y'], pods: ['a', 'b'], ports: tcp(80), externals: [CLUSTER_DNS] },
    probes: { ports: tcp(80), externals: [{ target: CLUSTER_DNS.name, ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] }] },
    requires: ['cluster-dns'],
    steps: [{
      description: 'x denies all egress except DNS to kube-dns pods in kube-system',
      policies: [networkPolicy({
        name: 'default-deny-egress-allow-dns', namespace: 'x', policyTypes: ['Egress'],
        egress: [allowTo(
          [peer.podsInNamespaces(select.labels({ [NAMESPACE_NAME_LABEL]: 'kube-system' }), select.labels({ 'k8s-app': 'kube-dns' }))],
          [port.udp(53), port.tcp(53)],
        )],
      })],
    }],
  },
  {
    id: 'netpol/allow-same-namespace',
    title: 'ingress allowed from the same namespace only',
    topology: TCP_80,
    probes: probeTcp80,
    steps: [{
      description: 'x allows ingress from any pod of x',
      policies: [networkPolicy({ name: 'allow-same-namespace', namespace: 'x', ingress: [allowFrom([peer.pods(select.all())])] })],
    }],
  },
  {
    id: 'netpol/allow-from-namespace-selector',
    title: 'ingress allowed from the namespaces a namespaceSelector picks',
    topology: TCP_80,
    probes: probeTcp80,
    steps: [{
      description: 'x/a allows ingress from every pod in namespace y',
      policies: [networkPolicy({ name: 'allow-from-y', namespace: 'x', podSelector: pod('a'), ingress: [allowFrom([peer.namespaces(ns('y'))])] })],
    }],
  },
  {
    id: 'netpol/allow-from-pod-selector',
    title: 'ingress allowed from the pods a podSelector picks, in the policy namespace only',
    topology: TCP_80,
    probes: probeTcp80,
    steps: [{
      description: 'x/a allows ingress from pods labelled pod=b in x (y/b and z/b stay blocked)',
      policies: [networkPolicy({ name: 'allow-from-b', namespace: 'x', podSelector: pod('a'), ingress: [allowFrom([peer.pods(pod('b'))])] })],
    }],
  },
  {
    id: 'netpol/namespace-and-pod-selector-one-peer',
    title: 'namespaceSelector and podSelector in ONE peer: both must match (AND)',
    topology: TCP_80,
    probes: probeTcp80,
    steps: [{
      description: 'x/a allows ingress from pod=b in namespace y only',
      policies: [networkPolicy({ name: 'allow-y-b', namespace: 'x', podSelector: pod('a'), ingress: [allowFrom([peer.podsInNamespaces(ns('y'), pod('b'))])] })],
    }],
  },
  {
    id: 'netpol/namespace-or-pod-selector-two-peers',
    title: 'namespaceSelector and podSelector as TWO peers: either may match (OR)',
    topology: TCP_80,
    probes: probeTcp80,
    steps: [{
      description: 'x/a allows ingress from every pod of y, and from pod=b of x',
      policies: [networkPolicy({
        name: 'allow-y-or-b', namespace: 'x', podSelector: pod('a'),
        ingress: [allowFrom([peer.namespaces(ns('y')), peer.pods(pod('b'))])],
      })],
    }],
  },
  {
    id: 'netpol/ingress-one-port',
    title: 'ingress allowed on one port only',
    topology: { namespaces: XYZ, pods: ABC, ports: tcp(80, 81) },
    probes: { ports: tcp(80, 81) },
    steps: [{
      description: 'x/a allows ingress on 81/TCP from anywhere; 80/TCP is blocked',
      policies: [networkPolicy({ name: 'allow-81', namespace: 'x', podSelector: pod('a'), ingress: [allowFrom(undefined, [port.tcp(81)])] })],
    }],
  },
  {
    id: 'netpol/named-port',
    title: 'ingress allowed on a named port, resolved on the destination pod',
    topology: { namespaces: XYZ, pods: ABC, ports: tcp(80, 81) },
    probes: { ports: tcp(80, 81) },
    steps: [{
      description: 'x/a allows ingress on the port named serve-81-tcp; 80/TCP is blocked',
      policies: [networkPolicy({ name: 'allow-serve-81-tcp', namespace: 'x', podSelector: pod('a'), ingress: [allowFrom(undefined, [port.named('serve-81-tcp')])] })],
    }],
  },
  {
    id: 'netpol/port-range',
    title: 'ingress allowed on a port range (port..endPort inclusive)',
    topology: { namespaces: XYZ, pods: ABC, ports: tcp(80, 81, 82) },
    probes: { ports: tcp(80, 81, 82) },
    steps: [{
      description: 'x/a allows ingress on 80-81/TCP; 82/TCP just past the range is blocked',
      policies: [networkPolicy({ name: 'allow-80-to-81', namespace: 'x', podSelector: pod('a'), ingress: [allowFrom(undefined, [port.range(80, 81)])] })],
    }],
  },
  {
    id: 'netpol/udp-versus-tcp',
    title: 'a rule for UDP does not open the same port for TCP',
    topology: { namespaces: XYZ, pods: ABC, ports: [{ port: 80, protocol: 'TCP' }, { port: 80, protocol: 'UDP' }] },
    probes: { ports: [{ port: 80, protocol: 'TCP' }, { port: 80, protocol: 'UDP' }] },
    steps: [{
      description: 'x/a allows ingress on 80/UDP only',
      policies: [networkPolicy({ name: 'allow-udp-80', namespace: 'x', podSelector: pod('a'), ingress: [allowFrom(undefined, [port.udp(80)])] })],
    }],
  },
  {
    id: 'netpol/ipblock-except',
    title: 'egress to an ipBlock minus its except range',
    topology: TCP_80,
    probes: probeTcp80,
    steps: [{
      description: "x/a may reach the /16 around its own IP except y/b's address",
      policies: [networkPolicy({
        name: 'egress-cidr-except-y-b', namespace: 'x', podSelector: pod('a'), policyTypes: ['Egress'],
        egress: [allowTo([peer.ipBlock(placeholder.net('x/a', 16), [placeholder.host('y/b')])])],
      })],
    }],
  },
  {
    id: 'netpol/egress-to-cidr-only',
    title: 'egress restricted to one CIDR block',
    topology: TCP_80,
    probes: probeTcp80,
    steps: [{
      description: "x/a may reach only y/b's address",
      policies: [networkPolicy({
        name: 'egress-to-y-b-only', namespace: 'x', podSelector: pod('a'), policyTypes: ['Egress'],
        egress: [allowTo([peer.ipBlock(placeholder.host('y/b'))])],
      })],
    }],
  },
  {
    id: 'netpol/deny-cloud-metadata',
    title: 'egress to the cloud metadata address is denied while other egress stays open',
    topology: { namespaces: ['x', 'y'], pods: ['a', 'b'], ports: tcp(80), externals: [CLOUD_METADATA] },
    probes: { ports: tcp(80), externals: [{ target: CLOUD_METADATA.name, ports: tcp(80) }] },
    requires: ['cloud-metadata'],
    steps: [
      { description: 'no policies: the metadata address is reachable (proves the probe can see it)', policies: [] },
      {
        description: 'x allows egress anywhere except 169.254.169.254/32',
        policies: [networkPolicy({
          name: 'deny-cloud-metadata', namespace: 'x', policyTypes: ['Egress'],
          egress: [allowTo([peer.ipBlock('0.0.0.0/0', ['169.254.169.254/32'])])],
        })],
      },
    ],
  },
  {
    id: 'netpol/union-of-policies',
    title: 'several policies selecting one pod combine as a union',
    topology: { namespaces: XYZ, pods: ABC, ports: tcp(80, 81) },
    probes: { ports: tcp(80, 81) },
    steps: [{
      description: 'x/a allows namespace y on 80/TCP (one policy) and z/c on any port (another)',
      policies: [
        networkPolicy({ name: 'allow-y-on-80', namespace: 'x', podSelector: pod('a'), ingress: [allowFrom([peer.namespaces(ns('y'))], [port.tcp(80)])] }),
        networkPolicy({ name: 'allow-z-c', namespace: 'x', podSelector: pod('a'), ingress: [allowFrom([peer.podsInNamespaces(ns('z'), pod('c'))])] }),
      ],
    }],
  },
  {
    id: 'netpol/egress-and-ingress-both-required',
    title: "traffic needs the source's egress and the destination's ingress to allow it",
    topology: TCP_80,
    probes: probeTcp80,
    steps: [{
      description: 'x/a may send only to y/a; y/a and y/b accept only x/a, so x/a to y/b is blocked by egress',
      policies: [
        networkPolicy({ name: 'egress-to-y-a', namespace: 'x', podSelector: pod('a'), policyTypes: ['Egress'], egress: [allowTo([peer.podsInNamespaces(ns('y'), pod('a'))])] }),
        networkPolicy({ name: 'allow-x-a-to-a', namespace: 'y', podSelector: pod('a'), ingress: [allowFrom([peer.podsInNamespaces(ns('x'), pod('a'))])] }),
        networkPolicy({ name: 'allow-x-a-to-b', namespace: 'y', podSelector: pod('b'), ingress: [allowFrom([peer.podsInNamespaces(ns('x'), pod('a'))])] }),
      ],
    }],
  },
  {
    id: 'netpol/policy-update',
    title: 'a policy change (allow, then deny, then allow again) takes effect within the deadline',
    topology: TCP_80,
    probes: probeTcp80,
    steps: [
      { description: 'x allows all ingress', policies: [networkPolicy({ name: 'allow-then-deny', namespace: 'x', ingress: [allowFrom()] })] },
      { description: 'the same policy is updated to allow no ingress', policies: [networkPolicy({ name: 'allow-then-deny', namespace: 'x', ingress: [] })] },
      { description: 'the policy is updated back to allow all ingress', policies: [networkPolicy({ name: 'allow-then-deny', namespace: 'x', ingress: [allowFrom()] })] },
    ],
  },
  {
    id: 'netpol/policy-delete',
    title: 'deleting a policy restores traffic',
    topology: TCP_80,
    probes: probeTcp80,
    steps: [
      { description: 'x denies all ingress and egress', policies: [denyAllIngressAndEgress] },
      { description: 'the policy is deleted', policies: [] },
    ],
  },
];

export function findScenario(id: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.id === id);
}

/** One topology covering several scenarios, so their pods are created once. */
export function topologyFor(scenarios: readonly Scenario[]): TopologyRequest {
  return mergeTopologyRequests(...scenarios.map((s) => s.topology));
}
