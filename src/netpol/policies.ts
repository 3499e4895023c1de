// Readable builders for NetworkPolicy objects, plus the two places where the client library's
// TypeScript shape differs from the wire shape: the ingress rule's `from` is `_from` in
// @kubernetes/client-node models. Everything here is pure data; nothing talks to a cluster.
import type {
  V1LabelSelector,
  V1LabelSelectorRequirement,
  V1NetworkPolicy,
  V1NetworkPolicyEgressRule,
  V1NetworkPolicyIngressRule,
  V1NetworkPolicyPeer,
  V1NetworkPolicyPort,
} from '@kubernetes/client-node';
import type { Labels } from './labels.js';
import type { Protocol } from './topology.js';

export type PolicyType = 'Ingress' | 'Egress';

export interface PolicyInit {
  name: string;
  /** Namespace of the policy: logical (`x`) in scenarios, bound to the real name before use. */
  namespace: string;
  /** Pods the policy applies to; all pods of the namespace when omitted. */
  podSelector?: V1LabelSelector;
  ingress?: V1NetworkPolicyIngressRule[];
  egress?: V1NetworkPolicyEgressRule[];
  /** Left unset unless given, so the API default (and our simulation of it) is exercised. */
  policyTypes?: PolicyType[];
  labels?: Labels;
}

export function networkPolicy(init: PolicyInit): V1NetworkPolicy {
  const policy: V1NetworkPolicy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: init.name, namespace: init.namespace, ...(init.labels ? { labels: { ...init.labels } } : {}) },
    spec: { podSelector: init.podSelector ?? {} },
  };
  const spec = policy.spec ?? {};
  if (init.ingress !== undefined) spec.ingress = init.ingress;
  if (init.egress !== undefined) spec.egress = init.egress;
  if (init.policyTypes !== undefined) spec.policyTypes = [...init.policyTypes];
  policy.spec = spec;
  return policy;
}

/** Label selectors. */
export const select = {
  /** `{}`: every pod (podSelector) or every namespace (namespaceSelector). */
  all: (): V1LabelSelector => ({}),
  labels: (labels: Labels): V1LabelSelector => ({ matchLabels: { ...labels } }),
  expressions: (...requirements: V1LabelSelectorRequirement[]): V1LabelSelector => ({ matchExpressions: requirements }),
};

export function where(key: string, operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist', values?: string[]): V1LabelSelectorRequirement {
  return values === undefined ? { key, operator } : { key, operator, values: [...values] };
}

/** Rule peers. Note the AND/OR trap: `podsInNamespaces` is ONE peer (both must match). */
export const peer = {
  /** Pods matching `pods` in the policy's own namespace. */
  pods: (pods: V1LabelSelector): V1NetworkPolicyPeer => ({ podSelector: pods }),
  /** Every pod in namespaces matching `namespaces`. */
  namespaces: (namespaces: V1LabelSelector): V1NetworkPolicyPeer => ({ namespaceSelector: namespaces }),
  /** Pods matching `pods` AND living in a namespace matching `namespaces`. */
  podsInNamespaces: (namespaces: V1LabelSelector, pods: V1LabelSelector): V1NetworkPolicyPeer => ({
    namespaceSelector: namespaces,
    podSelector: pods,
  }),
  ipBlock: (cidr: string, except?: string[]): V1NetworkPolicyPeer => ({
    ipBlock: except === undefined ? { cidr } : { cidr, except: [...except] },
  }),
};

/** Rule ports. `number` and `named` leave the protocol unset, so the TCP default applies. */
export const port = {
  tcp: (p: number | string): V1NetworkPolicyPort => ({ protocol: 'TCP', port: p }),
  udp: (p: number | string): V1NetworkPolicyPort => ({ protocol: 'UDP', port: p }),
  sctp: (p: number | string): V1NetworkPolicyPort => ({ protocol: 'SCTP', port: p }),
  number: (p: number): V1NetworkPolicyPort => ({ port: p }),
  named: (name: string, protocol?: Protocol): V1NetworkPolicyPort => (protocol ? { port: name, protocol } : { port: name }),
  /** `from`..`to` inclusive (endPort). */
  range: (from: number, to: number, protocol: Protocol = 'TCP'): V1NetworkPolicyPort => ({ protocol, port: from, endPort: to }),
  /** Every port of one protocol. */
  anyOf: (protocol: Protocol): V1NetworkPolicyPort => ({ protocol }),
};

/** An ingress rule. Omitting `peers` means "from anywhere"; omitting `ports` means "any port". */
export function allowFrom(peers?: V1NetworkPolicyPeer[], ports?: V1NetworkPolicyPort[]): V1NetworkPolicyIngressRule {
  const rule: V1NetworkPolicyIngressRule = {};
  if (peers !== undefined) rule._from = peers;
  if (ports !== undefined) rule.ports = ports;
  return rule;
}

/** An egress rule. Omitting `peers` means "to anywhere"; omitting `ports` means "any port". */
export function allowTo(peers?: V1NetworkPolicyPeer[], ports?: V1NetworkPolicyPort[]): V1NetworkPolicyEgressRule {
  const rule: V1NetworkPolicyEgressRule = {};
  if (peers !== undefined) rule.to = peers;
  if (ports !== undefined) rule.ports = ports;
  return rule;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The peers of an ingress rule. Typed objects carry them in `_from`; an object parsed from
 * YAML/JSON and cast to the type carries `from`. Reading only `_from` would silently turn such
 * a rule into "from anywhere", so both are honoured.
 */
export function ingressPeers(rule: V1NetworkPolicyIngressRule): V1NetworkPolicyPeer[] | undefined {
  if (rule._from !== undefined) return rule._from;
  const raw: unknown = (rule as unknown as Record<string, unknown>)['from'];
  return Array.isArray(raw) ? raw.filter(isRecord).map((p) => p as V1NetworkPolicyPeer) : undefined;
}

/** A deep copy in wire shape (`from`, not `_from`), for YAML output, kubectl and reports. */
export function toManifest(policy: V1NetworkPolicy): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(policy)) as Record<string, unknown>;
  const spec = copy['spec'];
  if (isRecord(spec) && Array.isArray(spec['ingress'])) {
    spec['ingress'] = spec['ingress'].map((rule: unknown) => {
      if (!isRecord(rule) || !('_from' in rule)) return rule;
      const { _from, ...rest } = rule;
      return { from: _from, ...rest };
    });
  }
  return copy;
}

/** The typed shape (`_from`) of a policy given in wire shape, e.g. parsed from YAML. */
export function fromManifest(manifest: unknown): V1NetworkPolicy {
  if (!isRecord(manifest) || manifest['kind'] !== 'NetworkPolicy') {
    throw new Error('fromManifest: expected an object with kind NetworkPolicy');
  }
  const copy = JSON.parse(JSON.stringify(manifest)) as Record<string, unknown>;
  const spec = copy['spec'];
  if (isRecord(spec) && Array.isArray(spec['ingress'])) {
    spec['ingress'] = spec['ingress'].map((rule: unknown) => {
      if (!isRecord(rule) || !('from' in rule)) return rule;
      const { from, ...rest } = rule;
      return { _from: from, ...rest };
    });
  }
  return copy as V1NetworkPolicy;
}

/** `namespace/name` of a policy as stored. */
export function policyKey(policy: V1NetworkPolicy): string {
  return `${policy.metadata?.namespace ?? ''}/${policy.metadata?.name ?? ''}`;
}
