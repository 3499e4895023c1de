// Connecting to the cluster for a command: kubeconfig resolution, clients, preflight, and the
// lines that tell the user which cluster the run targets.
import { createClients, type ClusterClients } from '../cluster/client.js';
import { defaultEnvironment, resolveClusterAccess, type ClusterAccess } from '../cluster/kubeconfig.js';
import { preflight, type NeededPermission, type PreflightResult } from '../cluster/preflight.js';
import { primeReadiness } from '../cluster/readiness.js';
import { Timeouts } from '../cluster/timeouts.js';
import { packageRoot } from '../config/paths.js';
import { TESTBED_PROBE_IMAGE, UPSTREAM_PROBE_IMAGE, type Config } from '../config/types.js';
import type { Platform } from '../report/model.js';

export interface Session {
  access: ClusterAccess;
  clients: ClusterClients;
  timeouts: Timeouts;
  target: PreflightResult;
}

export function defaultProbeImage(platform: Platform): string {
  return platform === 'testbed' ? TESTBED_PROBE_IMAGE : UPSTREAM_PROBE_IMAGE;
}

export function describeTarget(session: Pick<Session, 'access' | 'target'>): string[] {
  const { access, target } = session;
  return [
    `cluster: ${target.clusterName} (context ${access.context}, server ${access.server})`,
    `version: ${target.cluster.version}, platform: ${target.cluster.platform}, nodes: ${target.cluster.nodeCount}, identity: ${target.identity}`,
  ];
}

export async function connect(config: Config, say: (line: string) => void, options: { preflight?: boolean; permissions?: readonly NeededPermission[] } = {}): Promise<Omit<Session, 'target'> & { target?: PreflightResult }> {
  const environment = defaultEnvironment(packageRoot);
  const access = resolveClusterAccess({ kubeconfig: config.kubeconfig, context: config.context }, environment);
  if (access.notice !== undefined) say(access.notice);
  const timeouts = new Timeouts(config.timeoutScale);
  const clients = createClients(access.kc, { retryBudget: timeouts.deadline('apiUnavailable') });
  if (options.preflight === false) return { access, clients, timeouts };
  const target = await preflight(access, clients, timeouts, { testbedKubeconfigs: environment.testbedKubeconfigs, permissions: options.permissions });
  // While healthy: learn whether /readyz answers us, to tell a restart from a hardened server.
  await primeReadiness(access.kc);
  return { access, clients, timeouts, target };
}
