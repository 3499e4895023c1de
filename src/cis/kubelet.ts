// The kubelet's effective configuration of every node, read from /configz through the API server
// (GET /api/v1/nodes/NAME/proxy/configz, which needs `get nodes/proxy`): the merged and defaulted
// settings the kubelet runs with, not a guessed file or process flags. Every node is read, a few
// at a time, each within its own time limit; a node that cannot be read becomes a fact saying so
// (with the HTTP status) instead of an error, so it is named by cis/kubelet-config-readable and
// never holds up or hides the others.
import type { V1Node } from '@kubernetes/client-node';
import type { Collector } from '../checks/sources.js';
import { parseFactPath, resolvePath } from '../checks/path.js';
import { describeValue } from '../checks/rules.js';
import type { Fact, Finding, Offence, Predicates } from '../checks/types.js';
import type { ClusterClients } from '../cluster/client.js';
import { formatDuration } from '../cluster/timeouts.js';
import { answerMessage, apiGet, mapBounded, type ApiGet, type GetOutcome } from './node-get.js';

export type ConfigzOutcome = 'read' | 'refused' | 'timeout' | 'no-answer' | 'unparsable';

/** Data of one `kubelet-configz` fact (kind Node, named after the node). */
export interface NodeKubeletConfig {
  node: string;
  outcome: ConfigzOutcome;
  /** HTTP status of the answer, when there was one. */
  status?: number;
  /** Why the node could not be read. */
  error?: string;
  /** The `kubeletconfig` object of the answer, when read. */
  kubelet?: Record<string, unknown>;
}

export function configzPath(node: string): string {
  return `/api/v1/nodes/${encodeURIComponent(node)}/proxy/configz`;
}

/** Turns one answer (or its absence) into the node's fact data. */
export function nodeConfigFrom(node: string, got: GetOutcome): NodeKubeletConfig {
  if (got.kind === 'timeout') return { node, outcome: 'timeout', error: `no answer within ${formatDuration(got.ms)}` };
  if (got.kind === 'no-answer') return { node, outcome: 'no-answer', error: got.error };
  if (got.status !== 200) return { node, outcome: 'refused', status: got.status, error: answerMessage(got.body) || `HTTP ${got.status}` };
  try {
    const parsed: unknown = JSON.parse(got.body);
    const kubelet = typeof parsed === 'object' && parsed !== null ? (parsed as { kubeletconfig?: unknown }).kubeletconfig : undefined;
    if (typeof kubelet !== 'object' || kubelet === null || Array.isArray(kubelet)) {
      return { node, outcome: 'unparsable', status: 200, error: 'the answer has no "kubeletconfig" object' };
    }
    return { node, outcome: 'read', status: 200, kubelet: kubelet as Record<string, unknown> };
  } catch {
    return { node, outcome: 'unparsable', status: 200, error: `the answer is not JSON: ${answerMessage(got.body)}` };
  }
}

export interface ConfigzOptions {
  concurrency: number;
  /** Time limit of one node's read. */
  nodeTimeoutMs: number;
  signal?: AbortSignal;
  /** How to GET (default: through the clients' kubeconfig). */
  get?: ApiGet;
}

export async function readNodeConfigs(nodes: readonly string[], get: ApiGet, options: ConfigzOptions): Promise<NodeKubeletConfig[]> {
  return mapBounded(nodes, options.concurrency, async (node) => nodeConfigFrom(node, await get(configzPath(node), options.nodeTimeoutMs, options.signal)));
}

export function nodeConfigFact(config: NodeKubeletConfig): Fact {
  return { kind: 'Node', name: config.node, data: config };
}

export function configzCollector(options: ConfigzOptions): Collector {
  return {
    description: "read every node's kubelet /configz through the API server",
    async collect(clients: ClusterClients): Promise<Fact[]> {
      const nodes: V1Node[] = (await clients.core.listNode()).items;
      const names = nodes.map((n) => n.metadata?.name ?? '').filter((n) => n !== '');
      const configs = await readNodeConfigs(names, options.get ?? apiGet(clients.kc), options);
      return configs.map(nodeConfigFact);
    },
  };
}

function configOf(fact: Fact): NodeKubeletConfig {
  return fact.data as NodeKubeletConfig;
}

function configzAnswered(fact: Fact): Finding[] {
  const c = configOf(fact);
  if (c.outcome === 'read') return [];
  const seen = c.status === undefined ? c.outcome : String(c.status);
  const what = c.outcome === 'refused' ? `the API server answered ${c.status ?? '?'} for its /configz` : c.outcome === 'timeout' ? 'its /configz did not answer in time' : c.outcome === 'unparsable' ? 'its /configz answer could not be read' : 'its /configz could not be reached';
  return [{ field: 'configz (HTTP status)', seen, expected: '200 with a kubeletconfig', because: `${what}: ${c.error ?? 'no detail'}; its kubelet settings are not verified` }];
}

/** Settings compared across nodes by cis/kubelet-settings-agree: the security-relevant ones. */
export const DRIFT_FIELDS = [
  'authentication.anonymous.enabled',
  'authentication.webhook.enabled',
  'authentication.x509.clientCAFile',
  'authorization.mode',
  'readOnlyPort',
  'streamingConnectionIdleTimeout',
  'makeIPTablesUtilChains',
  'eventRecordQPS',
  'tlsCertFile',
  'serverTLSBootstrap',
  'rotateCertificates',
  'featureGates.RotateKubeletServerCertificate',
  'tlsCipherSuites',
  'tlsMinVersion',
  'podPidsLimit',
  'seccompDefault',
  'protectKernelDefaults',
].map((text) => ({ text, path: parseFactPath(text) }));

function settingOf(kubelet: Record<string, unknown> | undefined, field: (typeof DRIFT_FIELDS)[number]): string {
  const reached = resolvePath(kubelet, field.path).filter((r) => r.present);
  return reached.length === 0 ? 'unset' : describeValue(reached[0]?.value);
}

/** Nodes whose security-relevant kubelet settings differ from what most nodes run with. */
export function kubeletDrift(facts: readonly Fact[]): { message?: string; offences: Offence[] } {
  const configs = facts.map(configOf).filter((c) => c.outcome === 'read');
  const offences: Offence[] = [];
  for (const field of DRIFT_FIELDS) {
    const values = configs.map((c) => ({ node: c.node, value: settingOf(c.kubelet, field) }));
    const counts = new Map<string, number>();
    for (const v of values) counts.set(v.value, (counts.get(v.value) ?? 0) + 1);
    if (counts.size <= 1) continue;
    // The value most nodes run with is the reference; on a tie, the first node's.
    const [common, count] = [...counts.entries()].reduce((best, entry) => (entry[1] > best[1] ? entry : best));
    for (const v of values.filter((x) => x.value !== common)) {
      offences.push({ object: v.node, field: `kubelet.${field.text}`, seen: v.value, expected: `${common} (as on ${count} of ${configs.length} nodes)`, severity: 'fail', because: `differs from the other nodes' ${field.text}` });
    }
  }
  if (offences.length === 0) return { message: `${configs.length} node(s) run with the same ${DRIFT_FIELDS.length} security-relevant kubelet settings`, offences };
  const nodes = [...new Set(offences.map((o) => o.object))];
  const first = offences[0] as Offence;
  return {
    message: `${nodes.length} of ${configs.length} nodes run with kubelet settings that differ from the others: ${nodes.slice(0, 5).join(', ')}${nodes.length > 5 ? ', ...' : ''} (first: ${first.object} has ${first.field} ${first.seen}, most have ${first.expected}; ${offences.length} difference(s), see the table)`,
    offences,
  };
}

export const kubeletPredicates: Predicates = {
  'configz-answered': { scope: 'object', check: configzAnswered },
  'kubelet-settings-agree': { scope: 'set', check: kubeletDrift },
};
