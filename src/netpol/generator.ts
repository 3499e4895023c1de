// Generated network policy cases, as data over the same Scenario model the hand-written
// scenarios use: every combination the issue lists (which pods a policy targets, which peers
// and ports its rule names, in which direction, and what changes while it is in place) is built
// by one function from its dimensions, so the simulator, the cluster runner and the reports need
// nothing new. Each case's ID is derived from its content (policies, probes, steps): the same
// case has the same ID on every run, and a changed case gets a new one.
//
// Every case runs in a small lane: namespaces x and y, pods a and b in each, serving 80/TCP,
// 81/TCP and 80/UDP, all three probed. The policy's namespace is x; its "other side" (the peer) lives in
// x for podSelector peers and in y for namespace and ipBlock peers, so each case has cells the
// rule must admit and cells it must not.
import { createHash } from 'node:crypto';
import type { V1NetworkPolicy, V1NetworkPolicyPeer, V1NetworkPolicyPort } from '@kubernetes/client-node';
import { placeholder, stableJson } from './binding.js';
import { allowFrom, allowTo, networkPolicy, type PolicyType } from './policies.js';
import type { Scenario, ScenarioStep } from './scenarios.js';
import type { ProbePlan } from './probe.js';
import { servedPortName, type PortProtocol, type Protocol, type TopologyRequest } from './topology.js';

export const TARGET_KINDS = ['pod', 'namespace', 'all'] as const;
export const PEER_KINDS = ['pod-selector', 'namespace-selector', 'pod-and-namespace-selector', 'ip-block', 'ip-block-except', 'any-peer'] as const;
export const PORT_KINDS = ['numbered', 'named-served', 'named-unserved', 'named-wrong-protocol', 'range', 'any-port'] as const;
export const DIRECTION_KINDS = ['ingress', 'egress', 'both'] as const;
export const ACTION_KINDS = ['create-policy', 'update-policy', 'delete-policy', 'relabel-pod', 'relabel-namespace', 'create-pod', 'delete-pod'] as const;

export type TargetKind = (typeof TARGET_KINDS)[number];
export type PeerKind = (typeof PEER_KINDS)[number];
export type PortKind = (typeof PORT_KINDS)[number];
export type DirectionKind = (typeof DIRECTION_KINDS)[number];
export type ActionKind = (typeof ACTION_KINDS)[number];
/** The rule's protocol; `any` only with the any-port kind (a rule without ports). */
export type CaseProtocol = Protocol | 'any';

export interface CaseDimensions {
  target: TargetKind;
  peer: PeerKind;
  port: PortKind;
  protocol: CaseProtocol;
  direction: DirectionKind;
  action: ActionKind;
}

export interface GeneratedCase extends Scenario {
  dimensions: CaseDimensions;
}

export type Depth = 'default' | 'thorough';

/** What the cluster can be probed with; SCTP only where the cluster serves it. */
export interface GeneratorSupport {
  sctp: boolean;
}

/** The lane every case runs in. */
export const LANE_NAMESPACES = ['x', 'y'] as const;
export const LANE_PODS = ['a', 'b'] as const;
const LANE_PORTS: PortProtocol[] = [{ port: 80, protocol: 'TCP' }, { port: 81, protocol: 'TCP' }, { port: 80, protocol: 'UDP' }];
const SCTP_PORT: PortProtocol = { port: 80, protocol: 'SCTP' };

export function laneTopology(support: GeneratorSupport): TopologyRequest {
  return { namespaces: LANE_NAMESPACES, pods: LANE_PODS, ports: support.sctp ? [...LANE_PORTS, SCTP_PORT] : LANE_PORTS };
}

/** A name no container port in any lane carries. */
export const UNSERVED_PORT_NAME = 'no-such-port';
/** Extra labels the relabel and pod actions give and the rules select on. */
export const PEER_POD_LABEL = { role: 'peer' } as const;
export const PEER_NAMESPACE_LABEL = { team: 'peer' } as const;
/** The pod the create-pod and delete-pod actions add in namespace x. */
export const ADDED_POD = 'x/d';

const POLICY_NAME = 'generated';
export const PROTOCOL_ORDER: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

function otherProtocol(protocol: Protocol): Protocol {
  return protocol === 'TCP' ? 'UDP' : 'TCP';
}

/** The rule's peer list; undefined means "all peers" (no from/to). */
function rulePeers(kind: PeerKind, action: ActionKind): V1NetworkPolicyPeer[] | undefined {
  if (action === 'relabel-pod' || action === 'create-pod' || action === 'delete-pod') return [{ podSelector: { matchLabels: { ...PEER_POD_LABEL } } }];
  if (action === 'relabel-namespace') return [{ namespaceSelector: { matchLabels: { ...PEER_NAMESPACE_LABEL } } }];
  switch (kind) {
    case 'pod-selector': return [{ podSelector: { matchLabels: { pod: 'b' } } }];
    case 'namespace-selector': return [{ namespaceSelector: { matchLabels: { ns: 'y' } } }];
    case 'pod-and-namespace-selector': return [{ namespaceSelector: { matchLabels: { ns: 'y' } }, podSelector: { matchLabels: { pod: 'b' } } }];
    case 'ip-block': return [{ ipBlock: { cidr: placeholder.host('y/b') } }];
    case 'ip-block-except': return [{ ipBlock: { cidr: placeholder.net('y/b', 16), except: [placeholder.host('y/a')] } }];
    case 'any-peer': return undefined;
  }
}

/** The rule's port list; undefined means "all ports" (no ports). */
function rulePorts(kind: PortKind, protocol: CaseProtocol, portNumber = 80): V1NetworkPolicyPort[] | undefined {
  if (kind === 'any-port' || protocol === 'any') return undefined;
  switch (kind) {
    case 'numbered': return [{ protocol, port: portNumber }];
    case 'named-served': return [{ protocol, port: servedPortName(portNumber, protocol) }];
    case 'named-unserved': return [{ protocol, port: UNSERVED_PORT_NAME }];
    case 'named-wrong-protocol': return [{ protocol, port: servedPortName(portNumber, otherProtocol(protocol)) }];
    // 81..90: the lane serves 81 (inside) and 80 (just below the range).
    case 'range': return [{ protocol, port: 81, endPort: 90 }];
  }
}

function policyTypes(direction: DirectionKind): PolicyType[] {
  if (direction === 'ingress') return ['Ingress'];
  if (direction === 'egress') return ['Egress'];
  return ['Ingress', 'Egress'];
}

/** The policies of one case's main step: one in x, or one in each lane namespace for `all`. */
function casePolicies(d: CaseDimensions, portNumber = 80): V1NetworkPolicy[] {
  const peers = rulePeers(d.peer, d.action);
  const ports = rulePorts(d.port, d.protocol, portNumber);
  const namespaces = d.target === 'all' ? [...LANE_NAMESPACES] : ['x'];
  return namespaces.map((namespace) => networkPolicy({
    name: POLICY_NAME,
    namespace,
    ...(d.target === 'pod' ? { podSelector: { matchLabels: { pod: 'a' } } } : {}),
    policyTypes: policyTypes(d.direction),
    ...(d.direction !== 'egress' ? { ingress: [allowFrom(peers, ports)] } : {}),
    ...(d.direction !== 'ingress' ? { egress: [allowTo(peers, ports)] } : {}),
  }));
}

const TARGET_WORDS: Record<TargetKind, string> = {
  pod: 'x/a', namespace: 'every pod of x', all: 'every pod of x and y',
};
const PEER_WORDS: Record<PeerKind, string> = {
  'pod-selector': 'pods labelled pod=b in x (podSelector)',
  'namespace-selector': 'every pod of y (namespaceSelector)',
  'pod-and-namespace-selector': 'pod=b in y (namespaceSelector AND podSelector)',
  'ip-block': "y/b's address (ipBlock)",
  'ip-block-except': "y/b's /16 except y/a's address (ipBlock with except)",
  'any-peer': 'any peer',
};
/** Port kinds in words, whatever the protocol (for grouping failures). */
export const PORT_WORDS: Record<PortKind, string> = {
  numbered: 'a numbered port',
  'named-served': 'a named port every destination pod serves',
  'named-unserved': `a named port no pod serves (${UNSERVED_PORT_NAME})`,
  'named-wrong-protocol': 'a port name the pods serve only on the other protocol',
  range: 'a port range',
  'any-port': 'no ports (any port)',
};

function portWords(kind: PortKind, protocol: CaseProtocol): string {
  if (kind === 'any-port' || protocol === 'any') return 'any port';
  const other = otherProtocol(protocol);
  switch (kind) {
    case 'numbered': return `port 80/${protocol}`;
    case 'named-served': return `the named port ${servedPortName(80, protocol)} (${protocol}), which every pod serves`;
    case 'named-unserved': return `the named port ${UNSERVED_PORT_NAME} (${protocol}), which no pod serves`;
    case 'named-wrong-protocol': return `the port name ${servedPortName(80, other)} with protocol ${protocol}, which the pods serve only over ${other}`;
    case 'range': return `ports 81-90/${protocol}`;
  }
}
const ACTION_WORDS: Record<ActionKind, string> = {
  'create-policy': 'the policy is created',
  'update-policy': 'the policy is created, then updated to port 81',
  'delete-policy': 'the policy is created, then deleted',
  'relabel-pod': 'x/b gains the label the rule selects (role=peer), then loses it',
  'relabel-namespace': 'namespace y gains the label the rule selects (team=peer), then loses it',
  'create-pod': 'pod x/d with the selected label (role=peer) is created while the policy exists',
  'delete-pod': 'the selected pod x/d is deleted and created again with a new address',
};

function directionWords(direction: DirectionKind): string {
  return direction === 'ingress' ? 'ingress to' : direction === 'egress' ? 'egress from' : 'ingress to and egress from';
}

/** One line in words, e.g. "ingress to x/a allowed for any peer on port 80/TCP; the policy is created". */
export function describeCase(d: CaseDimensions): string {
  const peer = d.action === 'relabel-pod' || d.action === 'create-pod' || d.action === 'delete-pod'
    ? 'pods labelled role=peer in x'
    : d.action === 'relabel-namespace' ? 'namespaces labelled team=peer' : PEER_WORDS[d.peer];
  return `${directionWords(d.direction)} ${TARGET_WORDS[d.target]} allowed for ${peer} on ${portWords(d.port, d.protocol)}; ${ACTION_WORDS[d.action]}`;
}

function steps(d: CaseDimensions): ScenarioStep[] {
  const policies = casePolicies(d);
  const main = { description: 'the policy is in place', policies };
  switch (d.action) {
    case 'create-policy':
      return [main];
    case 'update-policy':
      return [main, { description: 'the policy is updated to port 81', policies: casePolicies({ ...d, port: d.port === 'any-port' ? 'numbered' : d.port, protocol: d.protocol === 'any' ? 'TCP' : d.protocol }, 81) }];
    case 'delete-policy':
      return [main, { description: 'the policy is deleted', policies: [] }];
    case 'relabel-pod':
      return [
        { description: 'no pod carries role=peer', policies },
        { description: 'x/b is labelled role=peer', policies, podLabels: { 'x/b': { ...PEER_POD_LABEL } } },
        { description: 'x/b loses role=peer again', policies },
      ];
    case 'relabel-namespace':
      return [
        { description: 'no namespace carries team=peer', policies },
        { description: 'namespace y is labelled team=peer', policies, namespaceLabels: { y: { ...PEER_NAMESPACE_LABEL } } },
        { description: 'namespace y loses team=peer again', policies },
      ];
    case 'create-pod':
      return [
        { description: 'the policy is in place, pod x/d does not exist', policies },
        { description: 'pod x/d (role=peer) is created', policies, addedPods: { [ADDED_POD]: { labels: { ...PEER_POD_LABEL }, incarnation: 1 } } },
      ];
    case 'delete-pod':
      return [
        { description: 'pod x/d (role=peer) exists', policies, addedPods: { [ADDED_POD]: { labels: { ...PEER_POD_LABEL }, incarnation: 1 } } },
        { description: 'pod x/d is deleted and created again (new address)', policies, addedPods: { [ADDED_POD]: { labels: { ...PEER_POD_LABEL }, incarnation: 2 } } },
      ];
  }
}

function probePlan(support: GeneratorSupport): ProbePlan {
  // Loopback cells are not judged, so not probed.
  return { ports: support.sctp ? [...LANE_PORTS, SCTP_PORT] : LANE_PORTS, skipLoopback: true };
}

const SHORT: Record<string, string> = {
  'pod-selector': 'podsel', 'namespace-selector': 'nssel', 'pod-and-namespace-selector': 'podnssel',
  'ip-block': 'ipblock', 'ip-block-except': 'ipexcept', 'any-peer': 'anypeer',
  numbered: 'numbered', 'named-served': 'named', 'named-unserved': 'named-unserved', 'named-wrong-protocol': 'named-wrongproto',
  range: 'range', 'any-port': 'anyport',
  'create-policy': 'create', 'update-policy': 'update', 'delete-policy': 'delete', 'relabel-pod': 'relabel-pod',
  'relabel-namespace': 'relabel-ns', 'create-pod': 'new-pod', 'delete-pod': 'recreate-pod',
};

/** `gen-ingress-pod-anypeer-named-unserved-tcp-create-1a2b3c4d`: readable, with a content hash. */
function caseId(d: CaseDimensions, content: unknown): string {
  const hash = createHash('sha256').update(stableJson(content)).digest('hex').slice(0, 8);
  const parts = [d.direction, d.target, SHORT[d.peer], SHORT[d.port], d.protocol.toLowerCase(), SHORT[d.action]];
  return `gen-${parts.join('-')}-${hash}`;
}

/** Actions that select peers by a label they change say so in their peer kind. */
function normalised(d: CaseDimensions): CaseDimensions {
  if (d.action === 'relabel-namespace') return { ...d, peer: 'namespace-selector' };
  if (d.action === 'relabel-pod' || d.action === 'create-pod' || d.action === 'delete-pod') return { ...d, peer: 'pod-selector' };
  return d;
}

/** The case for one combination of dimensions. */
export function generateCase(input: CaseDimensions, support: GeneratorSupport): GeneratedCase {
  const d = normalised(input);
  if ((d.port === 'any-port') !== (d.protocol === 'any')) {
    throw new Error(`generateCase: the any-port kind goes with protocol "any" and only with it (got ${d.port} ${d.protocol})`);
  }
  if (d.protocol === 'SCTP' && !support.sctp) throw new Error('generateCase: SCTP cases need a cluster that serves SCTP');
  const topology = laneTopology(support);
  const probes = probePlan(support);
  const caseSteps = steps(d);
  const id = caseId(d, { topology, probes, steps: caseSteps });
  return { id, title: describeCase(d), topology, probes, steps: caseSteps, dimensions: d };
}

function protocolsFor(support: GeneratorSupport): Protocol[] {
  return PROTOCOL_ORDER.filter((p) => p !== 'SCTP' || support.sctp);
}

/** Every port kind with every protocol it applies to; any-port once, without a protocol. */
function portProtocols(support: GeneratorSupport): Array<{ port: PortKind; protocol: CaseProtocol }> {
  const out: Array<{ port: PortKind; protocol: CaseProtocol }> = [];
  for (const port of PORT_KINDS) {
    if (port === 'any-port') out.push({ port, protocol: 'any' });
    else for (const protocol of protocolsFor(support)) out.push({ port, protocol });
  }
  return out;
}

const base = (d: Partial<CaseDimensions>): CaseDimensions => ({
  target: 'pod', peer: 'pod-selector', port: 'numbered', protocol: 'TCP', direction: 'ingress', action: 'create-policy', ...d,
});

/**
 * The default set: at least one case of every target, peer, port kind, protocol, direction and
 * action, and both unresolvable named-port kinds in both directions (the enforcer bug class
 * where a port that resolves to nothing opens every port).
 */
function defaultDimensions(support: GeneratorSupport): CaseDimensions[] {
  const cases: CaseDimensions[] = [
    base({}),
    base({ direction: 'egress', target: 'namespace', peer: 'namespace-selector', port: 'named-served', protocol: 'UDP' }),
    base({ port: 'named-unserved' }),
    base({ direction: 'egress', peer: 'namespace-selector', port: 'named-unserved' }),
    base({ peer: 'pod-and-namespace-selector', port: 'named-wrong-protocol' }),
    base({ direction: 'egress', peer: 'ip-block', port: 'named-wrong-protocol', protocol: 'UDP' }),
    base({ direction: 'both', target: 'all', peer: 'ip-block-except', port: 'range' }),
    base({ target: 'namespace', peer: 'any-peer', port: 'numbered', protocol: 'UDP' }),
    base({ direction: 'egress', peer: 'ip-block', port: 'any-port', protocol: 'any' }),
    base({ action: 'update-policy', peer: 'namespace-selector' }),
    base({ direction: 'egress', action: 'delete-policy' }),
    base({ action: 'relabel-pod' }),
    base({ direction: 'egress', action: 'relabel-namespace' }),
    base({ action: 'create-pod' }),
    base({ direction: 'egress', action: 'delete-pod' }),
  ];
  if (support.sctp) cases.push(base({ protocol: 'SCTP' }));
  return cases;
}

/**
 * The thorough set: every direction x peer x port kind x protocol on one target pod; every
 * other target with every direction and peer; every action other than create in every direction.
 */
function thoroughDimensions(support: GeneratorSupport): CaseDimensions[] {
  const cases: CaseDimensions[] = [];
  for (const direction of DIRECTION_KINDS) {
    for (const peer of PEER_KINDS) {
      for (const pp of portProtocols(support)) {
        // Any peer on any port admits everything: nothing to block, so nothing it could catch.
        if (peer === 'any-peer' && pp.port === 'any-port') continue;
        cases.push(base({ direction, peer, ...pp }));
      }
    }
    for (const target of TARGET_KINDS.filter((t) => t !== 'pod')) for (const peer of PEER_KINDS) cases.push(base({ direction, target, peer }));
    for (const action of ACTION_KINDS.filter((a) => a !== 'create-policy')) cases.push(base({ direction, action }));
  }
  return cases;
}

/** The generated cases of a depth, in a stable order, without duplicates. */
export function generatedCases(depth: Depth, support: GeneratorSupport): GeneratedCase[] {
  const dims = depth === 'thorough' ? [...defaultDimensions(support), ...thoroughDimensions(support)] : defaultDimensions(support);
  const byId = new Map<string, GeneratedCase>();
  for (const d of dims) {
    const generated = generateCase(d, support);
    if (!byId.has(generated.id)) byId.set(generated.id, generated);
  }
  return [...byId.values()];
}
