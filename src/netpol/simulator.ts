// Computes expected reachability from NetworkPolicy objects, cell by cell, and explains each
// answer (which policies isolate the pods, which rule let the traffic through).
//
// Semantics (networking.k8s.io/v1, cross-checked against the upstream netpol e2e tests and
// cyclonus):
// - Traffic is allowed only if the source's egress AND the destination's ingress allow it.
// - A pod is isolated for a direction only if some policy in its namespace selects it and has
//   that policy type. policyTypes omitted means Ingress always, plus Egress when the policy has
//   at least one egress rule (the API server applies the same default on create).
// - An isolated direction allows traffic that matches at least one rule of any selecting policy
//   (the union of all policies); there are no deny rules.
// - Rule `from`/`to` missing or empty: all peers. Rule `ports` missing or empty: all ports.
//   `ingress: []` (no rules) under an Ingress policy type allows nothing.
// - A peer with podSelector only: pods of the policy's namespace; namespaceSelector only: all
//   pods of matching namespaces; both in ONE peer: pods matching both (AND); two peers: OR.
// - ipBlock matches by IP, including pod IPs, as the upstream e2e ("allow egress access to server
//   in CIDR block") and cyclonus do; an address in an `except` range never matches that peer.
// - Named ports resolve on the destination pod (for ingress and egress alike): the rule matches
//   when the destination has a container port of that name and the rule's protocol (default TCP)
//   serving the probed number. A named port never matches an address outside the topology.
// - Port ranges: `port`..`endPort` inclusive, numeric ports only.
// - Pod to itself: computed like any other cell but flagged `loopback`; upstream e2e ignores
//   those cells when judging (CNIs differ), and so does our comparison by default.
// - Outside the topology (plain addresses, cluster DNS pods) only the probe pod's side is
//   modelled: their own ingress policies are unknown to us and treated as allowing.
// - When an ipBlock must be evaluated against a pod IP that is not known yet, the answer is
//   `unknown` unless another rule already decides it.
import type { V1LabelSelector, V1NetworkPolicy, V1NetworkPolicyPeer, V1NetworkPolicyPort } from '@kubernetes/client-node';
import { ipInBlock } from './cidr.js';
import { selectorMatches, type Labels } from './labels.js';
import { ingressPeers } from './policies.js';
import { findExternal, findPod, logicalNamespace, type Protocol, type ServedPort, type Topology } from './topology.js';

export type Direction = 'ingress' | 'egress';
/** What the policies say about one cell; `unknown` only when a needed IP is missing. */
export type ExpectedOutcome = 'allowed' | 'blocked' | 'unknown';
type Tri = 'yes' | 'no' | 'unknown';

export interface PolicyRef {
  /** Real namespace of the policy. */
  namespace: string;
  name: string;
  /** `x/deny-all`: logical namespace when the namespace is one of ours. */
  display: string;
}

export interface RuleRef {
  policy: PolicyRef;
  /** Zero-based index of the rule within the policy's ingress or egress list. */
  ruleIndex: number;
}

export interface DirectionExplanation {
  direction: Direction;
  /** The pod whose policies decide: the source for egress, the destination for ingress. */
  subject: string;
  /** False when the subject is outside the topology; its policies are then not modelled. */
  modelled: boolean;
  /** Policies selecting the subject for this direction; empty means not isolated. */
  isolatedBy: PolicyRef[];
  allowedBy: RuleRef[];
  /** Rules that could not be decided because an IP is not known yet. */
  undecidedBy: RuleRef[];
  outcome: ExpectedOutcome;
}

export interface TrafficExplanation {
  from: string;
  to: string;
  port: number;
  protocol: Protocol;
  outcome: ExpectedOutcome;
  /** Pod to its own IP: computed, but CNIs differ and comparisons ignore it by default. */
  loopback: boolean;
  egress: DirectionExplanation;
  ingress: DirectionExplanation;
  /** The isolating policies of each direction that blocks this traffic; empty unless blocked. */
  blockedBy: PolicyRef[];
  /** One line in words, e.g. "blocked: ingress of y/b is isolated by y/deny-all and ...". */
  reason: string;
}

interface Endpoint {
  id: string;
  modelled: boolean;
  /** Real namespace; undefined for plain addresses. */
  namespace?: string;
  namespaceLabels?: Labels;
  /** Pod labels; undefined for plain addresses. */
  labels?: Labels;
  ip?: string;
  ports: readonly ServedPort[];
}

interface CompiledRule {
  peers: V1NetworkPolicyPeer[] | undefined;
  ports: V1NetworkPolicyPort[] | undefined;
}

interface CompiledPolicy {
  ref: PolicyRef;
  podSelector: V1LabelSelector;
  types: ReadonlySet<Direction>;
  rules: Record<Direction, CompiledRule[]>;
}

/** The policy types in force, applying the API default when `policyTypes` is omitted. */
export function effectivePolicyTypes(policy: V1NetworkPolicy): Direction[] {
  const spec = policy.spec ?? {};
  if (spec.policyTypes !== undefined && spec.policyTypes.length > 0) {
    const types: Direction[] = [];
    if (spec.policyTypes.includes('Ingress')) types.push('ingress');
    if (spec.policyTypes.includes('Egress')) types.push('egress');
    return types;
  }
  return (spec.egress ?? []).length > 0 ? ['ingress', 'egress'] : ['ingress'];
}

function and(a: Tri, b: Tri): Tri {
  if (a === 'no' || b === 'no') return 'no';
  return a === 'unknown' || b === 'unknown' ? 'unknown' : 'yes';
}

function anyOf(values: Tri[]): Tri {
  if (values.includes('yes')) return 'yes';
  return values.includes('unknown') ? 'unknown' : 'no';
}

export function portText(port: number, protocol: Protocol): string {
  return `${port}/${protocol}`;
}

export class ReachabilitySimulator {
  private readonly policies: CompiledPolicy[];

  constructor(private readonly topology: Topology, policies: readonly V1NetworkPolicy[]) {
    this.policies = policies.map((policy) => this.compile(policy));
  }

  private compile(policy: V1NetworkPolicy): CompiledPolicy {
    const name = policy.metadata?.name;
    const namespace = policy.metadata?.namespace;
    if (!name || !namespace) {
      throw new Error(`simulator: every policy needs metadata.name and metadata.namespace (got "${namespace ?? ''}/${name ?? ''}")`);
    }
    const spec = policy.spec ?? {};
    return {
      ref: { namespace, name, display: `${logicalNamespace(this.topology, namespace)}/${name}` },
      // podSelector is a required, non-pointer field upstream: missing reads as `{}` (all pods).
      podSelector: spec.podSelector ?? {},
      types: new Set(effectivePolicyTypes(policy)),
      rules: {
        ingress: (spec.ingress ?? []).map((r) => ({ peers: ingressPeers(r), ports: r.ports })),
        egress: (spec.egress ?? []).map((r) => ({ peers: r.to, ports: r.ports })),
      },
    };
  }

  private endpoint(id: string): Endpoint {
    const pod = findPod(this.topology, id);
    if (pod !== undefined) {
      const ns = this.topology.namespaces.find((n) => n.logical === pod.namespace);
      if (ns === undefined) throw new Error(`simulator: pod ${id} names namespace "${pod.namespace}" missing from the topology`);
      return { id, modelled: true, namespace: ns.name, namespaceLabels: ns.labels, labels: pod.labels, ip: pod.ip, ports: pod.ports };
    }
    const external = findExternal(this.topology, id);
    if (external === undefined) throw new Error(`simulator: "${id}" is neither a pod nor an external target of the topology`);
    return {
      id,
      modelled: false,
      namespace: external.pod?.namespace,
      namespaceLabels: external.pod?.namespaceLabels,
      labels: external.pod?.labels,
      ip: external.ip,
      // Only a pod has container ports a name can resolve on; a plain address has none.
      ports: external.pod === undefined ? [] : external.ports ?? [],
    };
  }

  /** Expected outcome of traffic from pod `from` to pod or external target `to`. */
  outcome(from: string, to: string, port: number, protocol: Protocol): ExpectedOutcome {
    return this.explain(from, to, port, protocol).outcome;
  }

  /** Expected outcome with the reasoning behind it. */
  explain(from: string, to: string, port: number, protocol: Protocol): TrafficExplanation {
    const source = this.endpoint(from);
    if (!source.modelled) throw new Error(`simulator: probes start in topology pods, and "${from}" is not one`);
    const destination = this.endpoint(to);
    const egress = this.evaluate('egress', source, destination, destination, port, protocol);
    const ingress = this.evaluate('ingress', destination, source, destination, port, protocol);
    const directions = [egress, ingress];
    let outcome: ExpectedOutcome = 'allowed';
    if (directions.some((d) => d.outcome === 'blocked')) outcome = 'blocked';
    else if (directions.some((d) => d.outcome === 'unknown')) outcome = 'unknown';
    const blockedBy = directions.filter((d) => d.outcome === 'blocked').flatMap((d) => d.isolatedBy);
    const explanation: TrafficExplanation = {
      from, to, port, protocol, outcome, loopback: from === to, egress, ingress, blockedBy, reason: '',
    };
    explanation.reason = describeExplanation(explanation);
    return explanation;
  }

  private evaluate(
    direction: Direction, subject: Endpoint, peer: Endpoint, destination: Endpoint, port: number, protocol: Protocol,
  ): DirectionExplanation {
    const result: DirectionExplanation = {
      direction, subject: subject.id, modelled: subject.modelled, isolatedBy: [], allowedBy: [], undecidedBy: [], outcome: 'allowed',
    };
    if (!subject.modelled) return result;
    const selecting = this.policies.filter((p) =>
      p.ref.namespace === subject.namespace && p.types.has(direction) && selectorMatches(p.podSelector, subject.labels ?? {}));
    if (selecting.length === 0) return result;
    result.isolatedBy = selecting.map((p) => p.ref);
    for (const policy of selecting) {
      policy.rules[direction].forEach((rule, ruleIndex) => {
        const match = and(this.peersMatch(rule.peers, policy.ref.namespace, peer), portsMatch(rule.ports, port, protocol, destination));
        if (match === 'yes') result.allowedBy.push({ policy: policy.ref, ruleIndex });
        if (match === 'unknown') result.undecidedBy.push({ policy: policy.ref, ruleIndex });
      });
    }
    if (result.allowedBy.length > 0) result.outcome = 'allowed';
    else result.outcome = result.undecidedBy.length > 0 ? 'unknown' : 'blocked';
    return result;
  }

  private peersMatch(peers: V1NetworkPolicyPeer[] | undefined, policyNamespace: string, peer: Endpoint): Tri {
    if (peers === undefined || peers.length === 0) return 'yes';
    return anyOf(peers.map((p) => peerMatches(p, policyNamespace, peer)));
  }
}

function peerMatches(peer: V1NetworkPolicyPeer, policyNamespace: string, endpoint: Endpoint): Tri {
  if (peer.ipBlock !== undefined) {
    // ipBlock combined with a selector is rejected by the API server; never let it widen a match.
    if (peer.podSelector !== undefined || peer.namespaceSelector !== undefined) return 'no';
    if (endpoint.ip === undefined) return 'unknown';
    return ipInBlock(endpoint.ip, peer.ipBlock.cidr, peer.ipBlock.except ?? []) === true ? 'yes' : 'no';
  }
  if (peer.podSelector === undefined && peer.namespaceSelector === undefined) return 'no'; // empty peer: invalid
  if (endpoint.labels === undefined || endpoint.namespace === undefined) return 'no'; // a plain address has no labels
  const namespaceOk = peer.namespaceSelector !== undefined
    ? selectorMatches(peer.namespaceSelector, endpoint.namespaceLabels ?? {})
    : endpoint.namespace === policyNamespace;
  const podOk = peer.podSelector === undefined || selectorMatches(peer.podSelector, endpoint.labels);
  return namespaceOk && podOk ? 'yes' : 'no';
}

function portsMatch(ports: V1NetworkPolicyPort[] | undefined, port: number, protocol: Protocol, destination: Endpoint): Tri {
  if (ports === undefined || ports.length === 0) return 'yes';
  return ports.some((p) => portMatches(p, port, protocol, destination)) ? 'yes' : 'no';
}

function portMatches(rulePort: V1NetworkPolicyPort, port: number, protocol: Protocol, destination: Endpoint): boolean {
  const ruleProtocol = rulePort.protocol ?? 'TCP';
  if (ruleProtocol !== protocol) return false;
  if (rulePort.port === undefined) return true;
  if (typeof rulePort.port === 'number') {
    return rulePort.endPort !== undefined ? port >= rulePort.port && port <= rulePort.endPort : port === rulePort.port;
  }
  const name = rulePort.port;
  return destination.ports.some((served) => served.name === name && served.protocol === ruleProtocol && served.port === port);
}

function refs(policies: PolicyRef[]): string {
  return policies.map((p) => p.display).join(', ');
}

function ruleRefs(rules: RuleRef[]): string {
  // Rules are numbered from 1 in prose; RuleRef.ruleIndex stays zero-based for code.
  return rules.map((r) => `${r.policy.display} rule ${r.ruleIndex + 1}`).join(', ');
}

function describeDirection(d: DirectionExplanation, peer: string, where: string): string {
  const noun = d.direction === 'egress' ? `egress of ${d.subject}` : `ingress of ${d.subject}`;
  if (!d.modelled) return `${d.subject} is outside the probe topology, so its ${d.direction} policies are not modelled`;
  if (d.isolatedBy.length === 0) return `${noun} is not isolated (no policy selects it for ${d.direction === 'egress' ? 'Egress' : 'Ingress'})`;
  if (d.outcome === 'allowed') return `${noun} is allowed by ${ruleRefs(d.allowedBy)}`;
  if (d.outcome === 'unknown') return `${noun} depends on ${ruleRefs(d.undecidedBy)}, which needs an IP that is not known yet`;
  return `${noun} is isolated by ${refs(d.isolatedBy)} and no rule allows ${peer} on ${where}`;
}

function describeExplanation(e: TrafficExplanation): string {
  const where = portText(e.port, e.protocol);
  const egress = describeDirection(e.egress, e.to, where);
  const ingress = describeDirection(e.ingress, e.from, where);
  let parts: string[];
  if (e.outcome === 'allowed') parts = [egress, ingress];
  else if (e.outcome === 'blocked') parts = [e.egress, e.ingress].filter((d) => d.outcome === 'blocked').map((d) => (d === e.egress ? egress : ingress));
  else parts = [e.egress, e.ingress].filter((d) => d.outcome === 'unknown').map((d) => (d === e.egress ? egress : ingress));
  const loopback = e.loopback ? ' (pod to itself: CNIs differ here, so comparisons ignore this cell)' : '';
  return `${e.outcome}: ${parts.join('; ')}${loopback}`;
}
