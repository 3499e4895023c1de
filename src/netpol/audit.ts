// Read-only audit of the NetworkPolicies in the user's own namespaces, as pure functions of
// listed objects (the cluster side only lists). Three findings:
// 1. namespaces without a default-deny ingress policy;
// 2. policies whose podSelector selects no pod (often a typo or a stale label);
// 3. pods that no ingress policy selects although their namespace has ingress policies, i.e.
//    the namespace claims isolation but these pods accept traffic from anywhere.
// Definitions (also in suites/netpol/README.md):
// - "default-deny ingress": a policy with an empty podSelector (all pods) that applies to
//   Ingress and has no rule allowing everything (a rule with neither peers nor ports).
// - Pods that have finished (Succeeded/Failed) and hostNetwork pods (policies never apply to
//   them) are left out everywhere.
// - Audited namespaces: all but the system ones (kube-system, kube-public, kube-node-lease),
//   those matching an exclusion (`*` wildcards), those kube-assay created, and terminating ones.
import type { V1Namespace, V1NetworkPolicy, V1Pod } from '@kubernetes/client-node';
import { isOwnedByKubeAssay, MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../cluster/labels.js';
import { namespacePatternMatches, SYSTEM_NAMESPACES } from '../cluster/namespaces.js';
import { describeSelector, isEmptySelector, selectorMatches } from './labels.js';
import { ingressPeers } from './policies.js';
import { effectivePolicyTypes } from './simulator.js';


export interface AuditInput {
  namespaces: readonly V1Namespace[];
  policies: readonly V1NetworkPolicy[];
  pods: readonly V1Pod[];
}

export interface NamespaceSelection {
  audited: string[];
  excluded: Array<{ namespace: string; reason: string }>;
}

export function selectNamespaces(namespaces: readonly V1Namespace[], exclusions: readonly string[] = []): NamespaceSelection {
  const selection: NamespaceSelection = { audited: [], excluded: [] };
  for (const ns of namespaces) {
    const name = ns.metadata?.name ?? '';
    const labels = ns.metadata?.labels;
    let reason: string | undefined;
    if (SYSTEM_NAMESPACES.includes(name)) reason = 'system namespace';
    else if (labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE || isOwnedByKubeAssay(labels)) reason = 'created by kube-assay';
    else if (ns.metadata?.deletionTimestamp !== undefined) reason = 'being deleted';
    else {
      const pattern = exclusions.find((p) => namespacePatternMatches(p, name));
      if (pattern !== undefined) reason = `excluded by netpol.excludeNamespaces "${pattern}"`;
    }
    if (reason === undefined) selection.audited.push(name);
    else selection.excluded.push({ namespace: name, reason });
  }
  selection.audited.sort();
  return selection;
}

/** Pods policies can apply to: not finished, not on the host network. */
export function policyRelevantPods(pods: readonly V1Pod[], namespace: string): V1Pod[] {
  return pods.filter((p) => p.metadata?.namespace === namespace && p.spec?.hostNetwork !== true &&
    p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
}

function policiesIn(policies: readonly V1NetworkPolicy[], namespace: string): V1NetworkPolicy[] {
  return policies.filter((p) => p.metadata?.namespace === namespace);
}

function appliesToIngress(policy: V1NetworkPolicy): boolean {
  return effectivePolicyTypes(policy).includes('ingress');
}

function selectsAllPods(policy: V1NetworkPolicy): boolean {
  return isEmptySelector(policy.spec?.podSelector ?? {});
}

/** A policy that isolates every pod for ingress without a rule that lets everything back in. */
export function isDefaultDenyIngress(policy: V1NetworkPolicy): boolean {
  if (!selectsAllPods(policy) || !appliesToIngress(policy)) return false;
  return !(policy.spec?.ingress ?? []).some((rule) => (ingressPeers(rule) ?? []).length === 0 && (rule.ports ?? []).length === 0);
}

export function isDefaultDenyEgress(policy: V1NetworkPolicy): boolean {
  if (!selectsAllPods(policy) || !effectivePolicyTypes(policy).includes('egress')) return false;
  return !(policy.spec?.egress ?? []).some((rule) => (rule.to ?? []).length === 0 && (rule.ports ?? []).length === 0);
}

export interface MissingDefaultDeny {
  namespace: string;
  pods: number;
  policies: number;
  /** Whether a default-deny egress policy exists (informational; the finding is about ingress). */
  egressDefaultDeny: boolean;
}

export function namespacesWithoutDefaultDeny(input: AuditInput, audited: readonly string[]): MissingDefaultDeny[] {
  return audited.flatMap((namespace) => {
    const policies = policiesIn(input.policies, namespace);
    if (policies.some(isDefaultDenyIngress)) return [];
    return [{ namespace, pods: policyRelevantPods(input.pods, namespace).length, policies: policies.length, egressDefaultDeny: policies.some(isDefaultDenyEgress) }];
  });
}

export interface IdlePolicy {
  namespace: string;
  policy: string;
  selector: string;
}

/**
 * Policies with a non-empty podSelector that matches no pod of their namespace. An empty
 * selector is left out: a default-deny in a namespace without pods yet is good practice.
 */
export function policiesSelectingNoPods(input: AuditInput, audited: readonly string[]): IdlePolicy[] {
  return audited.flatMap((namespace) => {
    const pods = policyRelevantPods(input.pods, namespace);
    return policiesIn(input.policies, namespace)
      .filter((policy) => !selectsAllPods(policy))
      .filter((policy) => !pods.some((pod) => selectorMatches(policy.spec?.podSelector ?? {}, pod.metadata?.labels ?? {})))
      .map((policy) => ({ namespace, policy: policy.metadata?.name ?? '?', selector: describeSelector(policy.spec?.podSelector ?? {}) }));
  });
}

export interface ExposedPod {
  namespace: string;
  pod: string;
  labels: string;
  /** The namespace's ingress policies, none of which selects this pod. */
  policies: string[];
}

/** Pods no ingress policy selects, in namespaces where at least one policy applies to ingress. */
export function podsNotIsolatedForIngress(input: AuditInput, audited: readonly string[]): ExposedPod[] {
  return audited.flatMap((namespace) => {
    const ingressPolicies = policiesIn(input.policies, namespace).filter(appliesToIngress);
    if (ingressPolicies.length === 0) return [];
    return policyRelevantPods(input.pods, namespace)
      .filter((pod) => !ingressPolicies.some((policy) => selectorMatches(policy.spec?.podSelector ?? {}, pod.metadata?.labels ?? {})))
      .map((pod) => ({
        namespace,
        pod: pod.metadata?.name ?? '?',
        labels: Object.entries(pod.metadata?.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(',') || '(none)',
        policies: ingressPolicies.map((p) => p.metadata?.name ?? '?'),
      }));
  });
}

/** `a, b and 3 more`: names for a one-line message. */
export function nameList(names: readonly string[], max = 5): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}
