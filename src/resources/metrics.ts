// resources/metrics-api: the resource metrics API serves: its APIService is Available, every node
// has NodeMetrics, and a fresh pod gets PodMetrics within the podMetrics timeout. Each failure
// names its cause (metrics-diagnosis.ts). hpa-scales uses the same diagnosis.
import type { V1APIService, V1Deployment, V1Pod } from '@kubernetes/client-node';
import { isNotFound } from '../cluster/api-errors.js';
import type { ClusterClients } from '../cluster/client.js';
import { SLEEP_FOREVER } from '../cluster/pods.js';
import { formatDuration } from '../cluster/timeouts.js';
import { pause, pollUntil, type Deadline } from '../cluster/wait.js';
import { WaitTimeoutError } from '../errors.js';
import type { SetupContext } from '../harness/context.js';
import { CheckFailure } from '../harness/errors.js';
import { startProbe } from '../harness/probes.js';
import { resourcesDeadline } from './timeouts.js';
import { apiServiceProblem, METRICS_API_SERVICE, unscrapedNodes, unscrapedSentence, type MetricsBackend } from './metrics-diagnosis.js';

const GROUP = { group: 'metrics.k8s.io', version: 'v1beta1' };

interface MetricsItem {
  metadata?: { name?: string; namespace?: string };
  timestamp?: string;
  window?: string;
  usage?: Record<string, string>;
  containers?: Array<{ name?: string; usage?: Record<string, string> }>;
}

async function readApiService(clients: ClusterClients): Promise<V1APIService | undefined> {
  try {
    return await clients.apiRegistration.readAPIService({ name: METRICS_API_SERVICE });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  const wanted = Object.entries(selector ?? {});
  return wanted.length > 0 && wanted.every(([k, v]) => labels?.[k] === v);
}

/** The Deployments and pods behind the APIService's service (selected by the service's selector). */
async function readBackend(clients: ClusterClients, api: V1APIService): Promise<MetricsBackend | undefined> {
  const ref = api.spec?.service;
  if (ref?.name === undefined || ref.namespace === undefined) return undefined;
  const namespace = ref.namespace;
  let selector: Record<string, string> | undefined;
  try {
    selector = (await clients.core.readNamespacedService({ name: ref.name, namespace })).spec?.selector;
  } catch (err) {
    if (isNotFound(err)) return { service: `${namespace}/${ref.name}`, deployments: [], pods: [] };
    throw err;
  }
  const [deployments, pods] = await Promise.all([clients.apps.listNamespacedDeployment({ namespace }), clients.core.listNamespacedPod({ namespace })]);
  return {
    service: `${namespace}/${ref.name}`,
    deployments: deployments.items.filter((d: V1Deployment) => selects(selector, d.spec?.template.metadata?.labels)),
    pods: pods.items.filter((p: V1Pod) => selects(selector, p.metadata?.labels)),
  };
}

/** A backend pod runs but is not Ready: metrics-server is starting or recovering, worth a wait. */
function recovering(backend: MetricsBackend | undefined): boolean {
  return backend !== undefined && backend.pods.some((p) => p.status?.phase === 'Running' && p.metadata?.deletionTimestamp === undefined);
}

/**
 * The cause when the metrics API cannot serve at all (APIService missing or not Available).
 * With `wait`, a metrics-server pod that runs but is not Ready yet (restarting, or starved on a
 * busy node) is polled until the deadline; anything else (no APIService, no pod, scaled to zero,
 * not running) is answered at once.
 */
export async function metricsApiProblem(clients: ClusterClients, wait?: { deadline: Deadline; signal?: AbortSignal }): Promise<{ problem?: string; api?: V1APIService }> {
  const end = Date.now() + (wait?.deadline.ms ?? 0);
  for (;;) {
    const api = await readApiService(clients);
    const backend = api === undefined || api.status?.conditions?.some((c) => c.type === 'Available' && c.status === 'True') ? undefined : await readBackend(clients, api);
    const problem = apiServiceProblem(api, backend);
    if (problem === undefined || wait === undefined || !recovering(backend)) return { problem, api };
    if (Date.now() >= end) return { problem: `${problem} (still so after ${wait.deadline.name} ${formatDuration(wait.deadline.ms)})`, api };
    await pause(Math.min(2_000, Math.max(0, end - Date.now())), wait.signal);
  }
}

export interface MetricsApiResult {
  nodes: Array<{ node: string; cpu: string; memory: string; timestamp: string }>;
  pod: { name: string; appearedAfterMs: number; usage: string };
}

/** The check's namespace is created only once the API is known to serve: a namespace cannot be
 *  finalized while an aggregated API is unavailable, so one created before would stay
 *  Terminating until metrics-server is back, and the run would wait for it in vain. */
export async function metricsApiServes(t: SetupContext, podMetricsDeadline: Deadline): Promise<MetricsApiResult> {
  t.step(`read APIService ${METRICS_API_SERVICE}`);
  const { problem } = await metricsApiProblem(t.clients, { deadline: resourcesDeadline(t.timeouts, 'metricsRecover'), signal: t.signal });
  if (problem !== undefined) throw new CheckFailure(problem);

  t.step('list NodeMetrics');
  const nodeNames = (await t.clients.core.listNode()).items.map((n) => n.metadata?.name ?? '?');
  const nodeMetrics = await waitForNodeMetrics(t, nodeNames);

  const namespace = await t.createNamespace('');
  const name = 'metrics-probe';
  await startProbe(t, name, SLEEP_FOREVER, { namespace });
  const started = Date.now();
  t.step(`wait for PodMetrics of ${namespace}/${name}`);
  const podMetrics = await waitForPodMetrics(t, namespace, name, podMetricsDeadline, nodeMetrics.length);
  const usage = (podMetrics?.containers ?? []).map((c) => `${c.name ?? '?'}: cpu ${c.usage?.cpu ?? '?'}, memory ${c.usage?.memory ?? '?'}`).join('; ');
  return {
    nodes: nodeMetrics.map((m) => ({ node: m.metadata?.name ?? '?', cpu: m.usage?.cpu ?? '?', memory: m.usage?.memory ?? '?', timestamp: m.timestamp ?? '?' })),
    pod: { name, appearedAfterMs: Date.now() - started, usage },
  };
}

/**
 * NodeMetrics for every node. metrics-server drops a node whose last scrape failed (a kubelet
 * slow to answer on a busy node), so a missing node is polled for until metricsRecover before
 * it is called not scraped; denied requests still end the wait at once.
 */
async function waitForNodeMetrics(t: SetupContext, nodeNames: readonly string[]): Promise<MetricsItem[]> {
  const deadline = resourcesDeadline(t.timeouts, 'metricsRecover');
  const missingOf = (items: readonly MetricsItem[]) => unscrapedNodes(nodeNames, items.map((m) => m.metadata?.name ?? ''));
  let last: MetricsItem[] = [];
  try {
    return await pollUntil(
      async () => (last = ((await t.clients.customObjects.listClusterCustomObject({ ...GROUP, plural: 'nodes' })) as { items?: MetricsItem[] }).items ?? []),
      (items) => missingOf(items).length === 0,
      {
        expectation: `NodeMetrics for all ${nodeNames.length} node(s)`,
        deadline,
        signal: t.signal,
        describe: (items) => `missing for ${missingOf(items ?? []).join(', ')}`,
      },
    );
  } catch (err) {
    if (!(err instanceof WaitTimeoutError)) throw err;
    throw new CheckFailure(`${unscrapedSentence(missingOf(last), nodeNames.length)} (still so after ${deadline.name} ${formatDuration(deadline.ms)})`, { details: err.details, cause: err });
  }
}

/** Polls for the pod's PodMetrics; when they do not come, says why (the API went away, or it
 *  serves nodes but has not scraped this pod's kubelet). */
async function waitForPodMetrics(t: SetupContext, namespace: string, name: string, deadline: Deadline, nodesWithMetrics: number): Promise<MetricsItem | undefined> {
  try {
    return await pollUntil(
    async () => {
      try {
        return (await t.clients.customObjects.getNamespacedCustomObject({ ...GROUP, namespace, plural: 'pods', name })) as MetricsItem;
      } catch (err) {
        // Not scraped yet: the pod appears after metrics-server's next two samples.
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    (m) => m !== undefined,
    {
      expectation: `PodMetrics for the new pod ${namespace}/${name} (metrics-server scrapes its node's kubelet and needs two samples)`,
      deadline,
      signal: t.signal,
      describe: () => 'PodMetrics not found (404)',
    },
  );
  } catch (err) {
    if (!(err instanceof WaitTimeoutError)) throw err;
    const { problem } = await metricsApiProblem(t.clients);
    throw new CheckFailure(
      problem ?? `kubelet not scraped: no PodMetrics for ${namespace}/${name} within ${formatDuration(deadline.ms)} (timeout ${deadline.name}) although ${nodesWithMetrics} node(s) have NodeMetrics: metrics-server does not read this pod's kubelet (/metrics/resource) or it is slower than its resolution; read its log`,
      { details: err.details, cause: err },
    );
  }
}
