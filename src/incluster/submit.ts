// `kube-assay run --in-cluster`: the same run, executed by a Job inside the cluster. From the
// workstation: create the run's objects (objects.ts), follow the runner's log as progress,
// retrieve and verify the reports (retrieve.ts), and remove everything the run created, waiting
// with a deadline; the exit code is the in-cluster run's. Ctrl-C stops it and cleans up.
import type { V1Pod } from '@kubernetes/client-node';
import { dump as dumpYaml } from 'js-yaml';
import { describeApiError, errorSentence, isNotFound } from '../cluster/api-errors.js';
import type { ClusterClients } from '../cluster/client.js';
import { createWithContext } from '../cluster/create.js';
import { RUN_ID_LABEL, ownershipSelector } from '../cluster/labels.js';
import { hopelessReason } from '../cluster/pods.js';
import { grant } from '../cluster/permissions.js';
import type { NeededPermission } from '../cluster/preflight.js';
import { sweep } from '../cluster/sweep.js';
import type { Timeouts } from '../cluster/timeouts.js';
import { watchUntil } from '../cluster/wait.js';
import type { FileConfig } from '../config/types.js';
import { UsageError } from '../errors.js';
import type { Platform } from '../report/model.js';
import { toolVersion } from '../cli/version.js';
import { followRunner, type RunnerRef } from './follow.js';
import { RUNNER_CONTAINER, RUNNER_GRACE_SECONDS, RUNNER_JOB, type InClusterObjects } from './objects.js';
import { execFileReader, retrieveResults } from './retrieve.js';
import type { Published } from './publish.js';

/** The image the testbed imports (deploy/image/build.sh names it after the package version). */
export function testbedImage(): string {
  return `kube-assay.local/kube-assay:${toolVersion()}`;
}

/** --image, or the testbed's own; elsewhere there is no image we could know to be reachable. */
export function chooseImage(flag: string | undefined, platform: Platform): string {
  if (flag !== undefined && flag !== '') return flag;
  if (platform === 'testbed') return testbedImage();
  throw new UsageError(`--in-cluster needs --image on a ${platform} cluster: build and push kube-assay's image (docs/in-cluster.md), then pass --image REGISTRY/kube-assay:${toolVersion()}.`);
}

/** Keys of the config file that only mean something on the workstation: the runner reaches the
 *  cluster through its ServiceAccount and writes into its own results directory; the suites and
 *  grep travel as arguments. */
const WORKSTATION_KEYS = ['kubeconfig', 'context', 'reportDir', 'suites', 'grep', 'parallel'] as const;

export function runnerConfigText(file: FileConfig | undefined): string {
  const copy: Record<string, unknown> = { ...(file ?? {}) };
  for (const key of WORKSTATION_KEYS) delete copy[key];
  return Object.keys(copy).length === 0 ? '{}\n' : dumpYaml(copy, { lineWidth: 140, noRefs: true });
}

/** What the workstation's identity needs to submit, follow, retrieve and remove a run. */
export const SUBMIT_PERMISSIONS: readonly NeededPermission[] = [
  ...grant('', 'namespaces', ['create', 'delete']),
  ...grant('', 'serviceaccounts', ['create']),
  ...grant('', 'configmaps', ['create']),
  ...grant('batch', 'jobs', ['create']),
  ...grant('rbac.authorization.k8s.io', 'clusterroles', ['create', 'delete']),
  ...grant('rbac.authorization.k8s.io', 'clusterrolebindings', ['create', 'delete']),
  ...grant('', 'pods', ['list', 'watch', 'get']),
  ...grant('', 'pods', ['get'], 'log'),
  ...grant('', 'pods', ['create'], 'exec'),
].map((p) => ({ ...p, neededBy: [] }));

/** Creates the run's objects, in order; each one's removal is the run-wide sweep by run id. */
export async function createRunObjects(clients: ClusterClients, objects: InClusterObjects): Promise<void> {
  const ns = objects.namespace.metadata?.name ?? '';
  await createWithContext('namespace', ns, () => clients.core.createNamespace({ body: objects.namespace }));
  await createWithContext('serviceaccount', `${ns}/${objects.serviceAccount.metadata?.name ?? ''}`, () => clients.core.createNamespacedServiceAccount({ namespace: ns, body: objects.serviceAccount }));
  await createWithContext('clusterrole', objects.clusterRole.metadata?.name ?? '', () => clients.rbac.createClusterRole({ body: objects.clusterRole }));
  await createWithContext('clusterrolebinding', objects.clusterRoleBinding.metadata?.name ?? '', () => clients.rbac.createClusterRoleBinding({ body: objects.clusterRoleBinding }));
  await createWithContext('configmap', `${ns}/${objects.configMap.metadata?.name ?? ''}`, () => clients.core.createNamespacedConfigMap({ namespace: ns, body: objects.configMap }));
  await createWithContext('job', `${ns}/${objects.job.metadata?.name ?? ''}`, () => clients.batch.createNamespacedJob({ namespace: ns, body: objects.job }));
}

function runnerSelector(runId?: string): string {
  return `${ownershipSelector(runId)},app.kubernetes.io/component=runner`;
}

function describeRunnerPods(pods: V1Pod[] | undefined): string {
  if (pods === undefined || pods.length === 0) return 'no runner pod yet';
  return pods
    .map((p) => {
      const waiting = p.status?.containerStatuses?.[0]?.state?.waiting;
      return `${p.metadata?.name ?? '?'} ${p.status?.phase ?? 'Unknown'}${waiting?.reason ? ` (${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''})` : ''}`;
    })
    .join(', ');
}

const STARTED_PHASES = new Set(['Running', 'Succeeded', 'Failed']);

/** Waits for the Job's pod to start its container (or to have ended), and returns it. */
export async function waitForRunner(clients: ClusterClients, namespace: string, timeouts: Timeouts, signal?: AbortSignal): Promise<RunnerRef> {
  const selector = runnerSelector();
  const pods = await watchUntil<V1Pod>(
    { kc: clients.kc, path: `/api/v1/namespaces/${namespace}/pods`, labelSelector: selector, list: () => clients.core.listNamespacedPod({ namespace, labelSelector: selector }) },
    (items) => items.some((p) => STARTED_PHASES.has(p.status?.phase ?? '')),
    {
      expectation: `the runner pod of the Job in ${namespace} to start`,
      deadline: timeouts.deadline('podStart'),
      signal,
      describe: describeRunnerPods,
      // A Failed pod still has a log to read; only a container that can never start is hopeless.
      fatal: (items) => items.map((p) => (p.status?.phase === 'Failed' ? undefined : hopelessReason(p))).find((r) => r !== undefined),
    },
  );
  const pod = pods.find((p) => STARTED_PHASES.has(p.status?.phase ?? ''));
  return { namespace, pod: pod?.metadata?.name ?? '', container: RUNNER_CONTAINER };
}

async function runnerState(clients: ClusterClients, ref: RunnerRef): Promise<{ running: boolean; exitCode?: number }> {
  const pod = await clients.core.readNamespacedPod({ name: ref.pod, namespace: ref.namespace });
  const exitCode = pod.status?.containerStatuses?.find((c) => c.name === ref.container)?.state?.terminated?.exitCode;
  return { running: pod.status?.phase === 'Running' || pod.status?.phase === 'Pending', ...(exitCode === undefined ? {} : { exitCode }) };
}

/** Follows the runner to its published results and retrieves them into `reportDir`. */
export async function followAndRetrieve(
  clients: ClusterClients,
  ref: RunnerRef,
  reportDir: string,
  timeouts: Timeouts,
  say: (line: string) => void,
  signal: AbortSignal,
): Promise<{ published: Published; written: string[] }> {
  const { published } = await followRunner(clients, ref, say, () => runnerState(clients, ref), signal);
  const written = await retrieveResults(published, execFileReader(clients, ref, timeouts.deadline('exec'), signal), reportDir, say);
  return { published, written };
}

/** The run's runner namespace, found by the run id label (for `kube-assay results`). */
export async function runnerOfNamespace(clients: ClusterClients, namespace: string): Promise<RunnerRef & { runId?: string }> {
  const list = await clients.core.listNamespacedPod({ namespace, labelSelector: runnerSelector() });
  const pod = list.items.find((p) => STARTED_PHASES.has(p.status?.phase ?? ''));
  if (pod?.metadata?.name === undefined) {
    throw new UsageError(`namespace ${namespace} has no started kube-assay runner pod (label app.kubernetes.io/component=runner): ${describeRunnerPods(list.items)}.`);
  }
  return { namespace, pod: pod.metadata.name, container: RUNNER_CONTAINER, runId: pod.metadata.labels?.[RUN_ID_LABEL] };
}

/** Stops the runner before anything else goes: deleting its Job sends the pod SIGTERM, and the
 *  run inside removes its own probe namespaces while its RBAC still stands. Waiting for the pod
 *  to be gone also means it can create nothing after the sweep below has listed the run. */
async function stopRunner(clients: ClusterClients, namespace: string, timeouts: Timeouts): Promise<void> {
  try {
    await clients.batch.deleteNamespacedJob({ name: RUNNER_JOB, namespace, propagationPolicy: 'Background' });
  } catch (err) {
    if (!isNotFound(err)) throw new Error(describeApiError(`delete Job ${namespace}/${RUNNER_JOB}`, err), { cause: err });
  }
  const selector = runnerSelector();
  await watchUntil<V1Pod>(
    { kc: clients.kc, path: `/api/v1/namespaces/${namespace}/pods`, labelSelector: selector, list: () => clients.core.listNamespacedPod({ namespace, labelSelector: selector }) },
    (items) => items.length === 0,
    {
      expectation: `the runner pod in ${namespace} to stop and clean up after itself`,
      deadline: { name: 'runnerStop', ms: timeouts.custom(RUNNER_GRACE_SECONDS * 1000 + 30_000) },
      describe: describeRunnerPods,
    },
  );
}

/** Removes everything of the run (runner namespace, probe namespaces, ClusterRole and binding)
 *  and waits until the namespaces are gone. Returns the problems, empty when all is gone. */
export async function removeRun(clients: ClusterClients, runId: string, namespace: string, timeouts: Timeouts): Promise<string[]> {
  const problems: string[] = [];
  try {
    await stopRunner(clients, namespace, timeouts);
  } catch (err) {
    problems.push(errorSentence(err));
  }
  try {
    const result = await sweep(clients, runId, timeouts.deadline('namespaceDelete'));
    problems.push(...result.errors);
  } catch (err) {
    problems.push(errorSentence(err));
  }
  return problems;
}
