// Before any suite starts: does the API answer, who are we, may we do what the suites need,
// and what kind of cluster is it. Each failure is one sentence with exit code 3.
import { existsSync } from 'node:fs';
import { KubeConfig, type V1Node } from '@kubernetes/client-node';
import type { ClusterInfo } from '../report/model.js';
import { ClusterAccessError, WaitTimeoutError } from '../errors.js';
import { apiStatusCode, apiStatusMessage, networkErrorCode, tlsErrorCode } from './api-errors.js';
import { createClients, type ClusterClients } from './client.js';
import type { ClusterAccess } from './kubeconfig.js';
import { detectPlatform } from './platform.js';
import type { Timeouts } from './timeouts.js';
import { withDeadline } from './wait.js';
import { describePermission, formatRule, HARNESS_PERMISSIONS, permissionKey, ruleFor, type Permission } from './permissions.js';

/** A right and who needs it: suite names, or empty for the harness itself. */
export interface NeededPermission extends Permission {
  neededBy: readonly string[];
}


export interface PreflightResult {
  cluster: ClusterInfo;
  clusterName: string;
  identity: string;
  nodes: V1Node[];
}

/** Maps the failure of the first request to a sentence about reachability or credentials. */
export function explainUnreachable(err: unknown, access: Pick<ClusterAccess, 'server' | 'context'>): ClusterAccessError {
  const status = apiStatusCode(err);
  if (err instanceof WaitTimeoutError) {
    return new ClusterAccessError(`the API server ${access.server} did not answer within the ${err.timeoutName} timeout: check that the cluster is running and reachable, or raise --timeout-scale.`);
  }
  if (status === 401) {
    return new ClusterAccessError(`the API server ${access.server} rejected the credentials of context "${access.context}" (401 Unauthorized): refresh them or pick another --context.`);
  }
  if (status === 403) {
    return new ClusterAccessError(`the API server ${access.server} refused context "${access.context}" (403 ${apiStatusMessage(err) ?? 'Forbidden'}): use an identity with access or another --context.`);
  }
  if (status !== undefined) {
    return new ClusterAccessError(`the API server ${access.server} answered ${status} ${apiStatusMessage(err) ?? ''} to GET /version: check the server address and that the cluster is healthy.`.replace(/ {2,}/g, ' '));
  }
  const tls = tlsErrorCode(err);
  if (tls !== undefined) {
    return new ClusterAccessError(`the API server ${access.server} presented a TLS certificate that context "${access.context}" does not trust (${tls}): check that the kubeconfig's certificate-authority data belongs to this cluster.`);
  }
  const code = networkErrorCode(err);
  const detail = code ?? (err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err));
  return new ClusterAccessError(`cannot reach the API server ${access.server} (${detail}): check that the cluster is running and that --kubeconfig/--context point at it.`);
}

/** The sentence for the first denied right, naming who needs it and the rule that grants it. */
export function deniedSentence(denied: readonly NeededPermission[], identity: string, context: string): string {
  const first = denied[0];
  if (first === undefined) throw new Error('deniedSentence needs at least one denied right');
  const suites = first.neededBy;
  const rule = formatRule(ruleFor(first));
  const more = denied.length > 1 ? ` (and ${denied.length - 1} more: ${denied.slice(1, 4).map(describePermission).join(', ')}${denied.length > 4 ? ', ...' : ''})` : '';
  const rbac = `kube-assay rbac${suites.map((s) => ` --suite ${s}`).join('')}`;
  const fix = `grant it the ClusterRole rule ${rule} (\`${rbac}\` prints the whole least-privilege role) or use another --context.`;
  if (suites.length === 0) {
    return `identity "${identity}" of context "${context}" is not authorised to ${describePermission(first)} (cluster-wide), which kube-assay itself needs${more}: ${fix}`;
  }
  const who = suites.length === 1 ? `suite ${suites[0]}` : `suites ${suites.join(', ')}`;
  return `${who} ${suites.length === 1 ? 'needs' : 'need'} "${describePermission(first)}" (cluster-wide), which identity "${identity}" of context "${context}" lacks${more}: ${fix}`;
}

async function checkPermissions(clients: ClusterClients, wanted: readonly NeededPermission[], identity: string, context: string): Promise<void> {
  const results = await Promise.all(
    wanted.map(async (p) => {
      try {
        const review = await clients.authz.createSelfSubjectAccessReview({
          body: {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SelfSubjectAccessReview',
            spec: { resourceAttributes: { verb: p.verb, resource: p.resource, group: p.group ?? '', subresource: p.subresource } },
          },
        });
        return { p, allowed: review.status?.allowed === true };
      } catch (err) {
        if (apiStatusCode(err) === 403) return { p, allowed: false };
        throw err;
      }
    }),
  );
  // The harness's own rights first: without them no suite can run at all.
  const denied = results.filter((r) => !r.allowed).map((r) => r.p).sort((a, b) => a.neededBy.length - b.neededBy.length);
  const harness = denied.filter((p) => p.neededBy.length === 0);
  if (denied.length > 0) throw new ClusterAccessError(deniedSentence(harness.length > 0 ? harness : denied, identity, context));
}

/** The harness's rights plus those of the selected suites, each once, with who needs it. */
export function neededPermissions(suites: readonly { name: string; permissions: readonly Permission[] }[]): NeededPermission[] {
  const byKey = new Map<string, NeededPermission>();
  for (const p of HARNESS_PERMISSIONS) byKey.set(permissionKey(p), { ...p, neededBy: [] });
  for (const suite of suites) {
    for (const p of suite.permissions) {
      const existing = byKey.get(permissionKey(p));
      if (existing === undefined) byKey.set(permissionKey(p), { ...p, neededBy: [suite.name] });
      else if (existing.neededBy.length > 0 && !existing.neededBy.includes(suite.name)) byKey.set(permissionKey(p), { ...existing, neededBy: [...existing.neededBy, suite.name] });
    }
  }
  return [...byKey.values()];
}

async function whoAmI(clients: ClusterClients): Promise<string> {
  try {
    const review = await clients.authn.createSelfSubjectReview({
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    });
    return review.status?.userInfo?.username ?? 'unknown';
  } catch {
    return 'unknown'; // SelfSubjectReview is GA since 1.28; older servers simply lack it
  }
}

/** API server URLs of the local testbed's kubeconfig(s), to recognise the testbed by address. */
export function testbedServers(candidates: readonly string[]): string[] {
  const servers: string[] = [];
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    try {
      const kc = new KubeConfig();
      kc.loadFromFile(path);
      for (const cluster of kc.getClusters()) servers.push(cluster.server);
    } catch {
      // a half-written testbed kubeconfig just means "not recognisable by address"
    }
  }
  return servers;
}

export async function preflight(
  access: ClusterAccess,
  clients: ClusterClients,
  timeouts: Timeouts,
  options: { permissions?: readonly NeededPermission[]; testbedKubeconfigs?: readonly string[] } = {},
): Promise<PreflightResult> {
  // A client without retries: an unreachable server must fail in seconds, not after backoff.
  const direct = createClients(access.kc, { retry: false });
  let version: string;
  try {
    const info = await withDeadline(() => direct.version.getCode(), { name: 'apiRequest', ms: timeouts.ms('apiRequest') }, `GET ${access.server}/version`);
    version = info.gitVersion;
  } catch (err) {
    throw explainUnreachable(err, access);
  }
  const identity = await whoAmI(clients);
  try {
    await checkPermissions(clients, options.permissions ?? neededPermissions([]), identity, access.context);
  } catch (err) {
    if (err instanceof ClusterAccessError) throw err;
    throw explainUnreachable(err, access);
  }
  const nodes = (await clients.core.listNode()).items;
  const platform = detectPlatform({ nodes, server: access.server, testbedServers: testbedServers(options.testbedKubeconfigs ?? []) });
  return {
    cluster: { context: access.context, server: access.server, version, platform, nodeCount: nodes.length },
    clusterName: access.clusterName,
    identity,
    nodes,
  };
}
