// Turns scenario policies (written with logical namespaces and placeholders for values only
// known at run time) into the concrete objects of one run, and works out what must change
// between two steps. The simulator and the cluster receive the very same bound objects, so
// what we simulate is exactly what we apply.
import type { V1NetworkPolicy } from '@kubernetes/client-node';
import { hostCidr, networkOf } from './cidr.js';
import type { Labels } from './labels.js';
import { findExternal, findPod, realNamespace, type Topology } from './topology.js';

/**
 * Placeholders usable in any string of a scenario policy:
 * - `{{namespace x}}`: real name of logical namespace x (for kubernetes.io/metadata.name);
 * - `{{ip x/a}}`: IP of a pod or external target;
 * - `{{host x/a}}`: that IP as a single-address block (/32 or /128);
 * - `{{net x/a 24}}`: the canonical network of that IP with the given prefix.
 */
export const placeholder = {
  namespace: (logical: string): string => `{{namespace ${logical}}}`,
  ip: (id: string): string => `{{ip ${id}}}`,
  host: (id: string): string => `{{host ${id}}}`,
  net: (id: string, prefix: number): string => `{{net ${id} ${prefix}}}`,
};

const TOKEN = /\{\{\s*([a-z]+)\s+([^}\s]+)(?:\s+([^}\s]+))?\s*\}\}/g;

export interface BindOptions {
  /** Labels every created policy carries (managed-by, run-id), merged over the policy's own. */
  labels?: Labels;
}

function addressOf(topology: Topology, id: string): string {
  const ip = findPod(topology, id)?.ip ?? findExternal(topology, id)?.ip;
  if (ip !== undefined) return ip;
  if (findPod(topology, id) === undefined && findExternal(topology, id) === undefined) {
    throw new Error(`bind: "${id}" is neither a pod nor an external target of the topology`);
  }
  throw new Error(`bind: the IP of ${id} is not known yet; fill in IPs (withIPs) before binding`);
}

function resolveTokens(text: string, topology: Topology): string {
  return text.replace(TOKEN, (_match, kind: string, arg: string, extra: string | undefined) => {
    switch (kind) {
      case 'namespace':
        return realNamespace(topology, arg);
      case 'ip':
        return addressOf(topology, arg);
      case 'host':
        return hostCidr(addressOf(topology, arg));
      case 'net': {
        const prefix = Number(extra);
        if (extra === undefined || !Number.isInteger(prefix)) throw new Error(`bind: {{net ${arg}}} needs a prefix length`);
        return networkOf(addressOf(topology, arg), prefix);
      }
      default:
        throw new Error(`bind: unknown placeholder "{{${kind} ...}}"`);
    }
  });
}

function resolveDeep(value: unknown, topology: Topology): unknown {
  if (typeof value === 'string') return resolveTokens(value, topology);
  if (Array.isArray(value)) return value.map((v) => resolveDeep(v, topology));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[resolveTokens(k, topology)] = resolveDeep(v, topology);
    return out;
  }
  return value;
}

/** Concrete copies for this run: real namespaces, placeholders resolved, run labels added. */
export function bindPolicies(policies: readonly V1NetworkPolicy[], topology: Topology, options: BindOptions = {}): V1NetworkPolicy[] {
  return policies.map((policy) => {
    const logical = policy.metadata?.namespace;
    const name = policy.metadata?.name ?? '?';
    if (!logical) throw new Error(`bind: policy ${name} has no namespace`);
    let bound: V1NetworkPolicy;
    try {
      bound = resolveDeep(policy, topology) as V1NetworkPolicy;
      bound.metadata = { ...bound.metadata, namespace: realNamespace(topology, logical) };
    } catch (err) {
      throw new Error(`bind policy ${logical}/${name}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    if (options.labels) bound.metadata = { ...bound.metadata, labels: { ...bound.metadata?.labels, ...options.labels } };
    return bound;
  });
}

/** JSON with sorted keys, so two equal specs compare equal whatever order built them. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export interface PolicyChanges {
  create: V1NetworkPolicy[];
  update: V1NetworkPolicy[];
  delete: Array<{ namespace: string; name: string }>;
}

/** What to create, update and delete to go from one step's policy set to the next. */
export function policyChanges(previous: readonly V1NetworkPolicy[], next: readonly V1NetworkPolicy[]): PolicyChanges {
  const key = (p: V1NetworkPolicy) => `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`;
  const before = new Map(previous.map((p) => [key(p), p]));
  const after = new Map(next.map((p) => [key(p), p]));
  const changes: PolicyChanges = { create: [], update: [], delete: [] };
  for (const [k, policy] of after) {
    const old = before.get(k);
    if (old === undefined) changes.create.push(policy);
    else if (stableJson(old.spec) !== stableJson(policy.spec)) changes.update.push(policy);
  }
  for (const [k, policy] of before) {
    if (!after.has(k)) changes.delete.push({ namespace: policy.metadata?.namespace ?? '', name: policy.metadata?.name ?? '' });
  }
  return changes;
}
