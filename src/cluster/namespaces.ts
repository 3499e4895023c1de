// Test namespaces: created labelled (ownership + Pod Security levels set explicitly), deleted
// only after re-reading them and finding our labels, and awaited until gone at the end of a run.
import { PatchStrategy, setHeaderOptions, type V1Namespace, type V1ServiceAccount } from '@kubernetes/client-node';
import { describeApiError, isNotFound } from './api-errors.js';
import type { ClusterClients } from './client.js';
import { createWithContext } from './create.js';
import { CHECK_ID_ANNOTATION, KEPT_LABEL, RUNNER_LABEL, isOwnedByKubeAssay, ownershipLabels, ownershipSelector, type Labels } from './labels.js';
import { watchUntil, type Deadline } from './wait.js';
import { watchNamed } from './watch-named.js';
import { WaitTimeoutError } from '../errors.js';
import { ComponentProblem } from './component-problem.js';
import { formatDuration } from './timeouts.js';

export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

/** Pod Security Admission labels; all three modes set so cluster defaults never decide. */
export function podSecurityLabels(level: PodSecurityLevel): Labels {
  return {
    'pod-security.kubernetes.io/enforce': level,
    'pod-security.kubernetes.io/enforce-version': 'latest',
    'pod-security.kubernetes.io/audit': level,
    'pod-security.kubernetes.io/warn': level,
  };
}

export interface TestNamespaceSpec {
  name: string;
  runId: string;
  checkId: string;
  podSecurity: PodSecurityLevel;
  extraLabels?: Labels;
}

export function testNamespaceManifest(spec: TestNamespaceSpec): V1Namespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: spec.name,
      labels: { ...spec.extraLabels, ...podSecurityLabels(spec.podSecurity), ...ownershipLabels(spec.runId) },
      annotations: { [CHECK_ID_ANNOTATION]: spec.checkId },
    },
  };
}

export function createTestNamespace(clients: ClusterClients, spec: TestNamespaceSpec): Promise<V1Namespace> {
  return createWithContext('namespace', spec.name, () => clients.core.createNamespace({ body: testNamespaceManifest(spec) }));
}

/** Deletes a namespace if (and only if) it carries our labels for this run. Returns false when
 *  it was already gone. Deletion is asynchronous: see waitForRunNamespacesGone. */
export async function deleteOwnedNamespace(clients: ClusterClients, name: string, runId: string | undefined): Promise<boolean> {
  const current = await readOwnedNamespace(clients, name, runId);
  if (current === undefined) return false;
  return deleteRead(clients, current);
}

/** The namespace, re-read; undefined when it is gone; throws when it is not ours (for this run). */
async function readOwnedNamespace(clients: ClusterClients, name: string, runId: string | undefined): Promise<V1Namespace | undefined> {
  let current: V1Namespace;
  try {
    current = await clients.core.readNamespace({ name });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw new Error(describeApiError(`read namespace ${name} before deleting it`, err), { cause: err });
  }
  if (!isOwnedByKubeAssay(current.metadata?.labels, runId)) {
    throw new Error(`refusing to delete namespace ${name}: it does not carry kube-assay's labels${runId ? ` for run ${runId}` : ''}`);
  }
  return current;
}

async function deleteRead(clients: ClusterClients, current: V1Namespace): Promise<boolean> {
  const name = current.metadata?.name ?? '';
  if (current.metadata?.deletionTimestamp !== undefined) return true;
  try {
    await clients.core.deleteNamespace({ name, body: { preconditions: { uid: current.metadata?.uid } } });
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw new Error(describeApiError(`delete namespace ${name}`, err), { cause: err });
  }
}

/**
 * Deletes a namespace of this run and, first, this run's pods in it without a grace period: the
 * namespace controller waits a fixed 5 s before it empties a deleted namespace and only then
 * deletes its pods, so a namespace emptied by us is gone some 5 s sooner. Only after re-reading
 * the namespace and finding our labels, and only pods with our labels. Returns as deleteOwnedNamespace.
 */
export async function deleteOwnedNamespaceNow(clients: ClusterClients, name: string, runId: string): Promise<boolean> {
  const current = await readOwnedNamespace(clients, name, runId);
  if (current === undefined) return false;
  try {
    await clients.core.deleteCollectionNamespacedPod({ namespace: name, labelSelector: ownershipSelector(runId), gracePeriodSeconds: 0 });
  } catch (err) {
    if (!isNotFound(err)) throw new Error(describeApiError(`delete the pods of namespace ${name}`, err), { cause: err });
  }
  return deleteRead(clients, current);
}

/** Marks a namespace as kept for debugging (--keep-on-failure) so sweeps leave it alone. */
export async function markNamespaceKept(clients: ClusterClients, name: string): Promise<void> {
  await clients.core.patchNamespace(
    { name, body: { metadata: { labels: { [KEPT_LABEL]: 'true' } } } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
}

export async function listRunNamespaces(clients: ClusterClients, runId?: string): Promise<V1Namespace[]> {
  const list = await clients.core.listNamespace({ labelSelector: ownershipSelector(runId) });
  return list.items.filter((ns) => isOwnedByKubeAssay(ns.metadata?.labels, runId));
}

/** Namespaces the end-of-run sweep leaves alone: kept for debugging, or the in-cluster runner's
 *  own (see RUNNER_LABEL). `kube-assay cleanup` removes both. */
export function isSparedByRunSweep(ns: V1Namespace): boolean {
  return ns.metadata?.labels?.[KEPT_LABEL] === 'true' || ns.metadata?.labels?.[RUNNER_LABEL] === 'true';
}

/** Waits until no namespace of the run (or of kube-assay at all, without a run id) is left.
 *  With `ignoreKept`, namespaces kept on failure and the in-cluster runner's do not count. */
export async function waitForNamespacesGone(
  clients: ClusterClients,
  scope: { runId?: string; ignoreKept: boolean },
  deadline: Deadline,
  signal?: AbortSignal,
): Promise<void> {
  const selector = ownershipSelector(scope.runId);
  const pending = (items: V1Namespace[]): V1Namespace[] => items.filter((ns) => !(scope.ignoreKept && isSparedByRunSweep(ns)));
  await watchUntil<V1Namespace>(
    {
      kc: clients.kc,
      path: '/api/v1/namespaces',
      labelSelector: selector,
      list: () => clients.core.listNamespace({ labelSelector: selector }),
    },
    (items) => pending(items).length === 0,
    {
      expectation: scope.runId === undefined ? 'all kube-assay namespaces to be deleted' : `the namespaces of run ${scope.runId} to be deleted`,
      deadline,
      signal,
      describe: (items) =>
        items === undefined
          ? 'never listed'
          : `still present: ${pending(items).map((ns) => `${ns.metadata?.name ?? '?'} (${ns.status?.phase ?? 'unknown'})`).join(', ') || 'none'}`,
    },
  );
}

/** The ServiceAccount admission plugin rejects pods until the namespace's `default`
 *  ServiceAccount exists, which the controller-manager creates shortly after the namespace. */
export async function waitForDefaultServiceAccount(clients: ClusterClients, namespace: string, deadline: Deadline, signal?: AbortSignal): Promise<void> {
  try {
    await watchDefaultServiceAccount(clients, namespace, deadline, signal);
  } catch (err) {
    if (!(err instanceof WaitTimeoutError)) throw err;
    // Nothing else creates it: the wait timing out is the controller-manager's silence.
    throw new ComponentProblem(
      'kube-controller-manager',
      `ServiceAccount ${namespace}/default was not created within ${formatDuration(deadline.ms)} (timeout ${deadline.name}): kube-controller-manager, whose serviceaccount controller creates it, is not running or not working`,
      CONTROLLER_MANAGER_REMEDIATION,
      err.details,
    );
  }
}

export const CONTROLLER_MANAGER_REMEDIATION =
  'Check kube-controller-manager: that it runs (a kube-system pod or a host process), holds its leader lease (kube-system/kube-controller-manager) and reaches the API server; read its log. Without it new namespaces get no default ServiceAccount, so no pod can be created in them, and deleted namespaces are never finalized.';

function watchDefaultServiceAccount(clients: ClusterClients, namespace: string, deadline: Deadline, signal?: AbortSignal): Promise<V1ServiceAccount[]> {
  return watchNamed<V1ServiceAccount>(
    {
      kc: clients.kc,
      path: `/api/v1/namespaces/${namespace}/serviceaccounts`,
      name: 'default',
      list: (fieldSelector) => clients.core.listNamespacedServiceAccount({ namespace, fieldSelector }),
    },
    (items) => items.length > 0,
    {
      expectation: `ServiceAccount ${namespace}/default to be created by the controller-manager`,
      deadline,
      signal,
      describe: (items) => (items === undefined || items.length === 0 ? 'no default ServiceAccount yet' : 'present'),
    },
  );
}

/** Namespaces of Kubernetes itself, which the suites' audits leave out by default. */
export const SYSTEM_NAMESPACES: readonly string[] = ['kube-system', 'kube-public', 'kube-node-lease'];

/** A namespace pattern of the config (`excludeNamespaces`): `*` matches any run of characters; everything else is literal. */
export function namespacePatternMatches(pattern: string, name: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return regex.test(name);
}
