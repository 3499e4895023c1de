// Where the kubelet's command line (seen by the node collector) and its configz both show a
// setting, they must agree. The kubelet re-applies its flags over the config file, so for most
// settings configz shows the flag's value; a disagreement means configz is not the whole truth
// for that node: `--seccomp-default` lives outside the configuration object and the kubelet ORs
// it with seccompDefault, so configz shows false while the node applies RuntimeDefault, and a
// tool reading only one of the two reports the wrong thing. The pairs are the kubelet's own
// flag bindings (cmd/kubelet/app/options): flag name, KubeletConfiguration field, value type.
import type { Fact } from '../checks/types.js';
import { parseFactPath, resolvePath } from '../checks/path.js';
import type { FactSource } from '../checks/types.js';
import type { Finding } from '../checks/types.js';
import type { NodeKubeletConfig } from './kubelet.js';
import type { NodeFiles } from './node-files.js';

export type FlagValueKind = 'bool' | 'int' | 'string' | 'duration' | 'list';

export interface FlagField {
  flag: string;
  field: string;
  kind: FlagValueKind;
}

/** The security-relevant flag <-> KubeletConfiguration field pairs (feature gates are compared
 *  gate by gate, see compareFeatureGates). */
export const KUBELET_FLAG_FIELDS: readonly FlagField[] = [
  { flag: 'anonymous-auth', field: 'authentication.anonymous.enabled', kind: 'bool' },
  { flag: 'authentication-token-webhook', field: 'authentication.webhook.enabled', kind: 'bool' },
  { flag: 'client-ca-file', field: 'authentication.x509.clientCAFile', kind: 'string' },
  { flag: 'authorization-mode', field: 'authorization.mode', kind: 'string' },
  { flag: 'read-only-port', field: 'readOnlyPort', kind: 'int' },
  { flag: 'port', field: 'port', kind: 'int' },
  { flag: 'address', field: 'address', kind: 'string' },
  { flag: 'streaming-connection-idle-timeout', field: 'streamingConnectionIdleTimeout', kind: 'duration' },
  { flag: 'make-iptables-util-chains', field: 'makeIPTablesUtilChains', kind: 'bool' },
  { flag: 'event-qps', field: 'eventRecordQPS', kind: 'int' },
  { flag: 'event-burst', field: 'eventBurst', kind: 'int' },
  { flag: 'tls-cert-file', field: 'tlsCertFile', kind: 'string' },
  { flag: 'tls-private-key-file', field: 'tlsPrivateKeyFile', kind: 'string' },
  { flag: 'tls-cipher-suites', field: 'tlsCipherSuites', kind: 'list' },
  { flag: 'tls-min-version', field: 'tlsMinVersion', kind: 'string' },
  { flag: 'rotate-certificates', field: 'rotateCertificates', kind: 'bool' },
  { flag: 'rotate-server-certificates', field: 'serverTLSBootstrap', kind: 'bool' },
  { flag: 'protect-kernel-defaults', field: 'protectKernelDefaults', kind: 'bool' },
  { flag: 'seccomp-default', field: 'seccompDefault', kind: 'bool' },
  { flag: 'pod-max-pids', field: 'podPidsLimit', kind: 'int' },
  { flag: 'healthz-bind-address', field: 'healthzBindAddress', kind: 'string' },
  { flag: 'healthz-port', field: 'healthzPort', kind: 'int' },
];

/** One setting shown by both: values as written on each side, and whether they mean the same. */
export interface FlagComparison {
  flag: string;
  field: string;
  commandLine: string;
  configz: string;
  agree: boolean;
}

const GO_TRUE = ['1', 't', 'T', 'TRUE', 'true', 'True'];
const GO_FALSE = ['0', 'f', 'F', 'FALSE', 'false', 'False'];
const DURATION_UNITS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration ("5m0s", "300s", "1h2m3.5s", "0") in milliseconds; undefined when not one. */
export function parseGoDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  const sign = trimmed.startsWith('-') ? -1 : 1;
  const body = trimmed.replace(/^[-+]/, '');
  if (body === '') return undefined;
  let total = 0;
  let rest = body;
  while (rest !== '') {
    const m = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/.exec(rest);
    if (m === null) return undefined;
    total += Number(m[1]) * (DURATION_UNITS[m[2] as string] as number);
    rest = rest.slice(m[0].length);
  }
  return sign * total;
}

/** The canonical form of a flag's text, or undefined when it is not a value of that kind. */
export function canonicalFlag(kind: FlagValueKind, text: string): string | undefined {
  switch (kind) {
    case 'bool':
      return GO_TRUE.includes(text) ? 'true' : GO_FALSE.includes(text) ? 'false' : undefined;
    case 'int':
      return /^[-+]?\d+$/.test(text.trim()) ? String(Number(text)) : undefined;
    case 'duration': {
      const ms = parseGoDuration(text);
      return ms === undefined ? undefined : `${ms}ms`;
    }
    case 'list':
      return text.split(',').map((s) => s.trim()).filter((s) => s !== '').join(',');
    case 'string':
      return text;
  }
}

/** The canonical form of a configz value; a missing value is the type's zero value, as the
 *  versioned configuration omits empty fields. */
export function canonicalConfig(kind: FlagValueKind, value: unknown): string | undefined {
  if (value === undefined || value === null) return kind === 'bool' ? 'false' : kind === 'int' ? '0' : kind === 'duration' ? '0ms' : '';
  switch (kind) {
    case 'bool':
      return typeof value === 'boolean' ? String(value) : undefined;
    case 'int':
      return typeof value === 'number' ? String(value) : undefined;
    case 'duration':
      return typeof value === 'string' ? canonicalFlag('duration', value) : undefined;
    case 'list':
      return Array.isArray(value) ? value.map(String).join(',') : undefined;
    case 'string':
      return typeof value === 'string' ? value : String(value);
  }
}

function shown(value: unknown): string {
  if (value === undefined || value === null) return 'unset';
  return Array.isArray(value) ? value.map(String).join(',') : String(value);
}

function configValue(kubelet: Record<string, unknown>, field: string): unknown {
  return resolvePath(kubelet, parseFactPath(field)).find((r) => r.present)?.value;
}

/** Every pair the command line names, compared with configz. */
export function compareKubeletFlags(flags: Readonly<Record<string, string>>, kubelet: Record<string, unknown>): FlagComparison[] {
  const pairs = KUBELET_FLAG_FIELDS.filter((p) => flags[p.flag] !== undefined).map((p) => {
    const text = flags[p.flag] as string;
    const value = configValue(kubelet, p.field);
    const fromFlag = canonicalFlag(p.kind, text);
    const fromConfig = canonicalConfig(p.kind, value);
    return { flag: `--${p.flag}`, field: p.field, commandLine: text, configz: shown(value), agree: fromFlag !== undefined && fromFlag === fromConfig };
  });
  return [...pairs, ...compareFeatureGates(flags['feature-gates'], kubelet)];
}

/** `--feature-gates A=true,B=false` against configz's featureGates, gate by gate. */
export function compareFeatureGates(text: string | undefined, kubelet: Record<string, unknown>): FlagComparison[] {
  if (text === undefined || text.trim() === '') return [];
  const gates = (typeof kubelet.featureGates === 'object' && kubelet.featureGates !== null ? kubelet.featureGates : {}) as Record<string, unknown>;
  return text.split(',').filter((g) => g.trim() !== '').map((pair) => {
    const [name = '', raw = ''] = pair.split('=').map((s) => s.trim());
    const value = gates[name];
    return { flag: `--feature-gates ${name}`, field: `featureGates.${name}`, commandLine: raw, configz: shown(value), agree: canonicalFlag('bool', raw) !== undefined && canonicalFlag('bool', raw) === canonicalConfig('bool', value) };
  });
}

/** Data of one `kubelet-flags` fact: a node whose command line and configz were both read. */
export interface KubeletFlagsFact {
  node: string;
  outcome: 'compared' | 'not-compared';
  /** Why not, when not compared. */
  reason?: string;
  comparisons: FlagComparison[];
  /** The flags compared, for the inventory. */
  compared: string[];
}

/** Joins the collector's and configz's facts by node. */
export function kubeletFlagsFacts(configz: readonly Fact[], nodeFiles: readonly Fact[]): Fact[] {
  const files = new Map(nodeFiles.map((f) => [f.name, f.data as NodeFiles]));
  return configz.map((fact) => {
    const config = fact.data as NodeKubeletConfig;
    const seen = files.get(config.node);
    const base = { node: config.node, comparisons: [] as FlagComparison[], compared: [] as string[] };
    let data: KubeletFlagsFact;
    if (config.outcome !== 'read' || config.kubelet === undefined) data = { ...base, outcome: 'not-compared', reason: `its configz was not read (${config.error ?? config.outcome})` };
    else if (seen === undefined || seen.outcome !== 'collected') data = { ...base, outcome: 'not-compared', reason: `its kubelet command line was not seen (${seen?.error ?? 'no collector result'})` };
    else {
      const comparisons = compareKubeletFlags(seen.flags, config.kubelet);
      data = { ...base, outcome: 'compared', comparisons, compared: comparisons.map((c) => c.flag) };
    }
    return { kind: 'Node', name: config.node, data };
  });
}

/** The derived `kubelet-flags` source: reads the two collectors (shared, so nothing runs twice). */
export async function collectKubeletFlags(source: FactSource): Promise<Fact[]> {
  const [configz, nodeFiles] = await Promise.all([source.collect('kubelet-configz'), source.collect('node-files')]);
  return kubeletFlagsFacts(configz, nodeFiles);
}

/** Predicate `kubelet-flags-agree`: one finding per setting the two sides disagree on. */
export function flagDisagreements(fact: Fact): Finding[] {
  const data = fact.data as KubeletFlagsFact;
  return data.comparisons
    .filter((c) => !c.agree)
    .map((c) => ({
      field: `${c.flag} / ${c.field}`,
      seen: `command line ${c.commandLine}, configz ${c.configz}`,
      expected: 'the same value on both',
      because: `the command line says ${c.flag}=${c.commandLine} but configz shows ${c.field} ${c.configz}`,
    }));
}
