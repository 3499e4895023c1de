// Why the resource metrics API does not work, named the way its troubleshooting guide lists the
// causes: the APIService is missing; it is not Available (with the aggregator's own condition
// message); the server behind it has no ready pod (its Deployment scaled to zero, crashing);
// or it answers but has not scraped a node's kubelet. Pure: the caller reads the objects.
import type { V1APIService, V1Deployment, V1Pod } from '@kubernetes/client-node';

export const METRICS_API_SERVICE = 'v1beta1.metrics.k8s.io';

export const METRICS_REMEDIATION =
  'Install metrics-server (or another provider of metrics.k8s.io) and check it: `kubectl get apiservice v1beta1.metrics.k8s.io` must be Available; its pods in kube-system must be Ready; its log names the kubelets it cannot scrape (TLS to kubelets: --kubelet-insecure-tls or serving certificates; the kubelet port 10250 must be reachable from its pod). HPAs cannot scale on CPU or memory without it.';

export interface MetricsBackend {
  /** Service the APIService routes to, `namespace/name`. */
  service: string;
  /** Deployments in the service's namespace whose pods the service selects. */
  deployments: V1Deployment[];
  pods: V1Pod[];
}

function available(api: V1APIService): { status: string; reason?: string; message?: string } {
  const c = api.status?.conditions?.find((x) => x.type === 'Available');
  return { status: c?.status ?? 'Unknown', reason: c?.reason, message: c?.message };
}

export function isApiServiceAvailable(api: V1APIService | undefined): boolean {
  return api !== undefined && available(api).status === 'True';
}

function isReady(pod: V1Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** One clause about the pods behind the service: why none serves. */
export function backendProblem(backend: MetricsBackend): string | undefined {
  const ready = backend.pods.filter(isReady);
  if (ready.length > 0) return undefined;
  const deployments = backend.deployments.map((d) => `Deployment ${d.metadata?.namespace ?? '?'}/${d.metadata?.name ?? '?'} has ${d.spec?.replicas ?? 1} replica(s), ${d.status?.readyReplicas ?? 0} ready`);
  const pods = backend.pods.map((p) => {
    const waiting = p.status?.containerStatuses?.find((s) => s.state?.waiting !== undefined)?.state?.waiting?.reason;
    return `pod ${p.metadata?.name ?? '?'} is ${p.status?.phase ?? 'Unknown'}${waiting === undefined ? '' : ` (${waiting})`}, not Ready`;
  });
  const what = [...deployments, ...pods].join('; ');
  return `metrics-server is not Ready: no ready pod behind service ${backend.service}${what === '' ? ' (no Deployment or pod of it found)' : `: ${what}`}`;
}

/** The cause, in one sentence, when the APIService cannot serve; undefined when it is Available. */
export function apiServiceProblem(api: V1APIService | undefined, backend: MetricsBackend | undefined): string | undefined {
  if (api === undefined) return `APIService ${METRICS_API_SERVICE} is missing: no metrics server is registered with the aggregation layer, so the resource metrics API does not exist`;
  const cond = available(api);
  if (cond.status === 'True') return undefined;
  const head = `APIService ${METRICS_API_SERVICE} is not Available (Available=${cond.status}${cond.reason === undefined ? '' : `, ${cond.reason}`}${cond.message === undefined ? '' : `: ${cond.message}`})`;
  const behind = backend === undefined ? undefined : backendProblem(backend);
  return behind === undefined ? head : `${head}; ${behind}`;
}

/** Nodes with no NodeMetrics: metrics-server runs but has not scraped their kubelet. */
export function unscrapedNodes(nodes: readonly string[], withMetrics: readonly string[]): string[] {
  const seen = new Set(withMetrics);
  return nodes.filter((n) => !seen.has(n));
}

export function unscrapedSentence(missing: readonly string[], total: number): string {
  return `kubelet not scraped: no NodeMetrics for ${missing.length} of ${total} node(s) (${missing.join(', ')}): metrics-server answers but cannot read their kubelets' /metrics/resource (TLS or port 10250; read its log)`;
}
