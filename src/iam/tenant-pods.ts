// Tenant probe pods: one per probed node, with their own unprivileged identity (a fresh
// ServiceAccount with no bindings), on the pod network unless a probe opted into the host network.
// The ServiceAccount token, when a probe needs one, is a projected token of 10 minutes that lives
// in the pod's memory-backed volume only and dies with the check's namespace.
import type { V1Pod, V1Volume } from '@kubernetes/client-node';
import { createWithContext } from '../cluster/create.js';
import { createPod, waitForPodReady } from '../cluster/pods.js';
import type { CheckContext } from '../harness/context.js';
import { podStartLimits, probeManifest } from '../harness/probes.js';
import { mapBounded, type ProbedNode } from './nodes.js';
import { SLEEP_FOREVER } from '../cluster/pods.js';

export const TENANT_SERVICE_ACCOUNT = 'tenant';
export const TENANT_TOKEN_DIR = '/var/run/secrets/kube-assay';
export const TENANT_TOKEN_FILE = `${TENANT_TOKEN_DIR}/token`;
export const TOKEN_LIFETIME_SECONDS = 600;
/** Pods started at once; nodes beyond that wait their turn. */
export const POD_CONCURRENCY = 4;

export interface TenantPod {
  node: ProbedNode;
  namespace: string;
  pod: string;
}

export async function createTenantServiceAccount(t: CheckContext, namespace: string, name = TENANT_SERVICE_ACCOUNT): Promise<void> {
  await createWithContext('serviceaccount', `${namespace}/${name}`, () =>
    t.clients.core.createNamespacedServiceAccount({ namespace, body: { metadata: { name, namespace, labels: t.labels() } } }));
}

const tokenVolume = (audience?: string): V1Volume => ({
  name: 'tenant-token',
  projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: TOKEN_LIFETIME_SECONDS, ...(audience === undefined ? {} : { audience }) } }] },
});

export interface TenantPodOptions {
  namespace: string;
  /** Pod name prefix; the node index is appended. */
  prefix: string;
  hostNetwork?: boolean;
  /** Mount a projected ServiceAccount token at TENANT_TOKEN_FILE. */
  token?: boolean;
  /** The audience of that token (default: the API server's). */
  tokenAudience?: string;
  serviceAccount?: string;
  annotations?: Record<string, string>;
  /** Meet Pod Security `restricted` (non-root, no capabilities, RuntimeDefault seccomp), for pods
   *  started in namespaces that are not the check's own. */
  restricted?: boolean;
}

const RESTRICTED_POD = { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } };
const RESTRICTED_CONTAINER = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };

export function tenantPodManifest(t: CheckContext, name: string, node: ProbedNode, options: TenantPodOptions): V1Pod {
  const pod = probeManifest(t, name, SLEEP_FOREVER, {
    namespace: options.namespace,
    ...(options.token === true ? { volumes: [tokenVolume(options.tokenAudience)], volumeMounts: [{ name: 'tenant-token', mountPath: TENANT_TOKEN_DIR, readOnly: true }] } : {}),
  });
  if (options.annotations !== undefined) pod.metadata = { ...pod.metadata, annotations: options.annotations };
  pod.spec = {
    ...pod.spec,
    containers: pod.spec?.containers ?? [],
    nodeSelector: { 'kubernetes.io/hostname': node.name },
    // Every node is probed, tainted or not.
    tolerations: [{ operator: 'Exists' }],
    serviceAccountName: options.serviceAccount ?? TENANT_SERVICE_ACCOUNT,
    ...(options.hostNetwork === true ? { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' } : {}),
  };
  if (options.restricted === true) {
    pod.spec.securityContext = { ...pod.spec.securityContext, ...RESTRICTED_POD };
    pod.spec.containers = pod.spec.containers.map((c) => ({ ...c, securityContext: { ...c.securityContext, ...RESTRICTED_CONTAINER } }));
  }
  return pod;
}

/** Starts one tenant pod per node (bounded concurrency) and waits until each is Ready. */
export async function startTenantPods(t: CheckContext, nodes: readonly ProbedNode[], options: TenantPodOptions): Promise<TenantPod[]> {
  const results = await mapBounded(nodes, POD_CONCURRENCY, async (node) => {
    const name = `${options.prefix}-${nodes.indexOf(node)}`;
    t.step(`start pod ${options.namespace}/${name} on node ${node.name}`);
    await createPod(t.clients, tenantPodManifest(t, name, node, options));
    await waitForPodReady(t.clients, options.namespace, name, t.deadline('podStart'), t.signal, podStartLimits(t));
    return { node, namespace: options.namespace, pod: name };
  });
  const failed = results.find((r) => r.status === 'rejected');
  if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
  return results.map((r) => (r as PromiseFulfilledResult<TenantPod>).value);
}
