// Typed API clients for one cluster, made from one counting KubeConfig. Every generated-API call
// is retried on transient errors (see retry.ts); the request counter feeds the bench.
import {
  ApiregistrationV1Api,
  AppsV1Api,
  AuthenticationV1Api,
  AuthorizationV1Api,
  AutoscalingV2Api,
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  DiscoveryV1Api,
  NetworkingV1Api,
  RbacAuthorizationV1Api,
  StorageV1Api,
  VersionApi,
} from '@kubernetes/client-node';
import type { CountingKubeConfig } from './kubeconfig.js';
import { serverReady } from './readiness.js';
import { DEFAULT_RETRY, retrying, type RetryPolicy } from './retry.js';

export interface ClusterClients {
  kc: CountingKubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  batch: BatchV1Api;
  networking: NetworkingV1Api;
  discovery: DiscoveryV1Api;
  rbac: RbacAuthorizationV1Api;
  storage: StorageV1Api;
  authn: AuthenticationV1Api;
  authz: AuthorizationV1Api;
  version: VersionApi;
  autoscaling: AutoscalingV2Api;
  apiRegistration: ApiregistrationV1Api;
  /** Aggregated and custom APIs without a typed client (metrics.k8s.io). */
  customObjects: CustomObjectsApi;
  /** API requests made so far with this KubeConfig. */
  requestCount(): number;
}

export function createClients(kc: CountingKubeConfig, options: { retry?: boolean; retryBudget?: { name: string; ms: number } } = {}): ClusterClients {
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...(options.retryBudget === undefined ? {} : { budget: options.retryBudget }), ready: () => serverReady(kc) };
  const wrap = <T extends object>(api: T): T => (options.retry === false ? api : retrying(api, policy));
  return {
    kc,
    core: wrap(kc.makeApiClient(CoreV1Api)),
    apps: wrap(kc.makeApiClient(AppsV1Api)),
    batch: wrap(kc.makeApiClient(BatchV1Api)),
    networking: wrap(kc.makeApiClient(NetworkingV1Api)),
    discovery: wrap(kc.makeApiClient(DiscoveryV1Api)),
    rbac: wrap(kc.makeApiClient(RbacAuthorizationV1Api)),
    storage: wrap(kc.makeApiClient(StorageV1Api)),
    authn: wrap(kc.makeApiClient(AuthenticationV1Api)),
    authz: wrap(kc.makeApiClient(AuthorizationV1Api)),
    version: wrap(kc.makeApiClient(VersionApi)),
    autoscaling: wrap(kc.makeApiClient(AutoscalingV2Api)),
    apiRegistration: wrap(kc.makeApiClient(ApiregistrationV1Api)),
    customObjects: wrap(kc.makeApiClient(CustomObjectsApi)),
    requestCount: () => kc.requests,
  };
}
