// Pods that a namespace's Pod Security level refuses, as the API server itself judges them: a
// server-side dry-run relabel of the namespace (PATCH its enforce label with dryRun=All) makes
// Pod Security admission evaluate every existing pod of it, init and ephemeral containers
// included, and answer with warnings naming the violating pods; nothing is changed. Admission
// evaluates only when the enforced policy changes, so a namespace that already enforces a level
// is relabelled with the same level spelled as another, equal version (latest <-> v1.<server
// minor>); a namespace enforcing nothing is asked about restricted, what CIS recommends; one
// labelled privileged admits everything by decision and is not asked.
import type { V1Namespace } from '@kubernetes/client-node';
import type { Collector } from '../checks/sources.js';
import type { Fact, Finding } from '../checks/types.js';
import type { ClusterClients } from '../cluster/client.js';
import { formatDuration } from '../cluster/timeouts.js';
import { answerMessage, apiSend, mapBounded, type ApiSend } from './node-get.js';
import { ENFORCE_LABEL } from './policies.js';

export const ENFORCE_VERSION_LABEL = 'pod-security.kubernetes.io/enforce-version';
const LEVELS = ['privileged', 'baseline', 'restricted'];

export type RelabelPlan = { namespace: string; enforced: string; level: 'baseline' | 'restricted'; version: string } | { namespace: string; enforced: string; skip: string };

/** What to relabel a namespace with so that admission evaluates its pods at the level it means. */
export function relabelPlan(ns: V1Namespace, serverMinor: number): RelabelPlan {
  const namespace = ns.metadata?.name ?? '?';
  const labels = ns.metadata?.labels ?? {};
  const level = labels[ENFORCE_LABEL];
  const enforced = level !== undefined && LEVELS.includes(level) ? level : 'none';
  if (enforced === 'privileged') return { namespace, enforced, skip: 'it enforces privileged by decision (listed by cis/pss-enforce-label), which admits every pod' };
  if (enforced === 'none') return { namespace, enforced, level: 'restricted', version: 'latest' };
  const version = labels[ENFORCE_VERSION_LABEL] ?? 'latest';
  // The same rules under another name: latest is the server's own version.
  return { namespace, enforced, level: enforced as 'baseline' | 'restricted', version: version === 'latest' ? `v1.${serverMinor}` : 'latest' };
}

export interface Violator {
  pod: string;
  /** Further pods with exactly the same violations (the API names only the first). */
  others: number;
  violation: string;
}

/** Data of one `pss-violators` fact (kind Namespace). */
export interface NamespaceViolators {
  namespace: string;
  /** The level the namespace enforces: privileged, baseline, restricted or none. */
  enforced: string;
  outcome: 'evaluated' | 'not-evaluated' | 'failed';
  /** The level:version the pods were evaluated against. */
  evaluatedAt?: string;
  reason?: string;
  violators: Violator[];
  /** Other warnings (only some pods checked, a timeout). */
  notes: string[];
}

/** Reads Pod Security's warnings: `NAME: violations` or `NAME (and N other pods): violations`. */
export function parseViolationWarnings(warnings: readonly string[]): { violators: Violator[]; notes: string[] } {
  const violators: Violator[] = [];
  const notes: string[] = [];
  for (const warning of warnings) {
    if (/^existing pods in namespace ".*" violate the new PodSecurity enforce level/.test(warning)) continue;
    const m = /^([a-z0-9][a-z0-9.-]*)(?: \(and (\d+) other pods?\))?: (.+)$/.exec(warning);
    if (m === null) notes.push(warning);
    else violators.push({ pod: m[1] as string, others: Number(m[2] ?? 0), violation: m[3] as string });
  }
  return { violators, notes };
}

export function relabelPatch(plan: { level: string; version: string }): { metadata: { labels: Record<string, string> } } {
  return { metadata: { labels: { [ENFORCE_LABEL]: plan.level, [ENFORCE_VERSION_LABEL]: plan.version } } };
}

/** One namespace, relabelled with dry-run; every outcome is data (a refusal is named, not thrown). */
export async function evaluateNamespace(send: ApiSend, plan: RelabelPlan, timeoutMs: number, signal?: AbortSignal): Promise<NamespaceViolators> {
  const base = { namespace: plan.namespace, enforced: plan.enforced, violators: [], notes: [] };
  if ('skip' in plan) return { ...base, outcome: 'not-evaluated', reason: plan.skip };
  const at = `${plan.level}:${plan.version}`;
  const got = await send(
    { method: 'PATCH', path: `/api/v1/namespaces/${encodeURIComponent(plan.namespace)}?dryRun=All`, body: { contentType: 'application/merge-patch+json', data: relabelPatch(plan) } },
    timeoutMs,
    signal,
  );
  if (got.kind === 'timeout') return { ...base, outcome: 'failed', evaluatedAt: at, reason: `the dry-run relabel did not answer within ${formatDuration(got.ms)}` };
  if (got.kind === 'no-answer') return { ...base, outcome: 'failed', evaluatedAt: at, reason: `the dry-run relabel got no answer: ${got.error}` };
  if (got.status !== 200) return { ...base, outcome: 'failed', evaluatedAt: at, reason: `the dry-run relabel was refused (${got.status}): ${answerMessage(got.body)}` };
  return { ...base, outcome: 'evaluated', evaluatedAt: at, ...parseViolationWarnings(got.warnings ?? []) };
}

export interface ViolatorsOptions {
  /** Namespaces the policy audits judge (cis.excludedNamespaces and kube-assay's runs left out). */
  audited: (ns: V1Namespace) => boolean;
  concurrency: number;
  timeoutMs: number;
  signal?: AbortSignal;
  send?: ApiSend;
}

export function violatorsCollector(options: ViolatorsOptions): Collector {
  return {
    description: 'relabel every audited namespace with server-side dry-run and read the pods Pod Security names',
    async collect(clients: ClusterClients): Promise<Fact[]> {
      const [namespaces, version] = await Promise.all([clients.core.listNamespace(), clients.version.getCode()]);
      const minor = Number(/^\d+/.exec(version.minor)?.[0] ?? 'NaN');
      if (!Number.isFinite(minor)) throw new Error(`the API server's version (${version.gitVersion}) names no minor version, so an equal Pod Security version cannot be spelled`);
      const send = options.send ?? apiSend(clients.kc);
      const plans = namespaces.items.filter((ns) => options.audited(ns) && ns.metadata?.deletionTimestamp === undefined).map((ns) => relabelPlan(ns, minor));
      const results = await mapBounded(plans, options.concurrency, (plan) => evaluateNamespace(send, plan, options.timeoutMs, options.signal));
      return results.map((data) => ({ kind: 'Namespace', name: data.namespace, data }));
    },
  };
}

/** Predicate `pss-violators`: one finding per pod the API named; failing where the namespace
 *  enforces the level (the pod runs against it: created before the label, or exempted), a warning
 *  where it enforces nothing (the pods enforcing restricted would refuse). */
export function violatorFindings(fact: Fact): Finding[] {
  const data = fact.data as NamespaceViolators;
  if (data.outcome === 'failed') return [{ field: 'dry-run relabel', seen: data.reason ?? 'failed', expected: 'an answer listing the violating pods', because: `its pods could not be evaluated: ${data.reason ?? 'no detail'}` }];
  const level = data.evaluatedAt?.split(':')[0] ?? '?';
  return data.violators.map((v) => {
    const who = v.others > 0 ? `pod ${v.pod} (and ${v.others} other pod${v.others === 1 ? '' : 's'})` : `pod ${v.pod}`;
    const unenforced = data.enforced === 'none';
    return {
      field: who,
      seen: v.violation,
      expected: `admitted at ${data.evaluatedAt ?? level}`,
      severity: unenforced ? 'warn' : 'fail',
      because: unenforced ? `${who} would be refused if the namespace enforced ${level}: ${v.violation}` : `${who} runs against the ${level} level its namespace enforces: ${v.violation}`,
    };
  });
}
