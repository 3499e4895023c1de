// The API server's validation rules for NetworkPolicy that matter to the simulator, so a
// scenario typo shows up in a unit test instead of as a 422 (or a silently different policy)
// on a live cluster.
import type { V1NetworkPolicy, V1NetworkPolicyPeer, V1NetworkPolicyPort } from '@kubernetes/client-node';
import { cidrWithin, parseCidr } from './cidr.js';
import { selectorProblems } from './labels.js';
import { ingressPeers } from './policies.js';

// IANA service name: what a named container port (and so a named policy port) must be.
const IANA_SVC_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9]|-(?!-))*[a-z0-9]$|^[a-z]$/;

function peerProblems(peer: V1NetworkPolicyPeer, where: string): string[] {
  const problems: string[] = [];
  const hasSelector = peer.podSelector !== undefined || peer.namespaceSelector !== undefined;
  if (peer.ipBlock === undefined && !hasSelector) problems.push(`${where}: a peer must set podSelector, namespaceSelector or ipBlock`);
  if (peer.ipBlock !== undefined && hasSelector) problems.push(`${where}: ipBlock cannot be combined with a selector in one peer`);
  if (peer.podSelector) problems.push(...selectorProblems(peer.podSelector).map((p) => `${where} podSelector: ${p}`));
  if (peer.namespaceSelector) problems.push(...selectorProblems(peer.namespaceSelector).map((p) => `${where} namespaceSelector: ${p}`));
  if (peer.ipBlock !== undefined) {
    const block = parseCidr(peer.ipBlock.cidr);
    if (block === undefined) problems.push(`${where}: ipBlock cidr "${peer.ipBlock.cidr}" is not a CIDR`);
    for (const entry of peer.ipBlock.except ?? []) {
      const hole = parseCidr(entry);
      if (hole === undefined) problems.push(`${where}: except entry "${entry}" is not a CIDR`);
      else if (block !== undefined && (!cidrWithin(hole, block) || hole.prefix === block.prefix)) {
        problems.push(`${where}: except entry "${entry}" must be a strict subset of cidr "${peer.ipBlock.cidr}"`);
      }
    }
  }
  return problems;
}

function portProblems(rulePort: V1NetworkPolicyPort, where: string): string[] {
  const problems: string[] = [];
  if (rulePort.protocol !== undefined && !['TCP', 'UDP', 'SCTP'].includes(rulePort.protocol)) {
    problems.push(`${where}: protocol "${rulePort.protocol}" is not TCP, UDP or SCTP`);
  }
  const p = rulePort.port;
  if (typeof p === 'number' && (!Number.isInteger(p) || p < 1 || p > 65535)) problems.push(`${where}: port ${p} is out of range`);
  if (typeof p === 'string' && (p.length > 15 || !IANA_SVC_NAME.test(p))) {
    problems.push(`${where}: named port "${p}" is not a valid port name`);
  }
  if (rulePort.endPort !== undefined) {
    if (typeof p !== 'number') problems.push(`${where}: endPort needs a numeric port`);
    else if (rulePort.endPort < p || rulePort.endPort > 65535) problems.push(`${where}: endPort ${rulePort.endPort} must be between port ${p} and 65535`);
  }
  return problems;
}

/** Everything the API server would reject in this policy, in words; empty when valid. */
export function policyProblems(policy: V1NetworkPolicy): string[] {
  const name = `${policy.metadata?.namespace ?? '?'}/${policy.metadata?.name ?? '?'}`;
  const problems: string[] = [];
  if (!policy.metadata?.name) problems.push(`${name}: metadata.name is required`);
  if (!policy.metadata?.namespace) problems.push(`${name}: metadata.namespace is required`);
  const spec = policy.spec ?? {};
  problems.push(...selectorProblems(spec.podSelector ?? {}).map((p) => `${name} podSelector: ${p}`));
  for (const type of spec.policyTypes ?? []) {
    if (type !== 'Ingress' && type !== 'Egress') problems.push(`${name}: policyType "${type}" is not Ingress or Egress`);
  }
  if (new Set(spec.policyTypes ?? []).size !== (spec.policyTypes ?? []).length) problems.push(`${name}: policyTypes has duplicates`);
  (spec.ingress ?? []).forEach((rule, i) => {
    (ingressPeers(rule) ?? []).forEach((peer, j) => problems.push(...peerProblems(peer, `${name} ingress rule ${i + 1} peer ${j + 1}`)));
    (rule.ports ?? []).forEach((p, j) => problems.push(...portProblems(p, `${name} ingress rule ${i + 1} port ${j + 1}`)));
  });
  (spec.egress ?? []).forEach((rule, i) => {
    (rule.to ?? []).forEach((peer, j) => problems.push(...peerProblems(peer, `${name} egress rule ${i + 1} peer ${j + 1}`)));
    (rule.ports ?? []).forEach((p, j) => problems.push(...portProblems(p, `${name} egress rule ${i + 1} port ${j + 1}`)));
  });
  return problems;
}
