// Probe pods: small, labelled, fast to stop (defaults in probe-spec.ts), and helpers that wait
// for their states by watch.
import type { V1Container, V1EnvVar, V1Pod, V1Probe, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import type { PullPolicy } from '../config/types.js';
import { describeApiError, isNotFound } from './api-errors.js';
import { createWithContext } from './create.js';
import type { ClusterClients } from './client.js';
import { describePods } from './dump-format.js';
import type { Labels } from './labels.js';
import { probeContainerSpec, probePodSpec } from './probe-spec.js';
import type { Deadline } from './wait.js';
import { watchNamed } from './watch-named.js';
import { ComponentProblem } from './component-problem.js';
import { PodStartWatch, type PodStartLimits } from './pod-start.js';

export const PROBE_CONTAINER = 'probe';

export interface ProbePodSpec {
  name: string;
  namespace: string;
  image: string;
  pullPolicy: PullPolicy;
  /** Ownership labels plus any selector labels. */
  labels: Labels;
  command: string[];
  ports?: Array<{ name: string; containerPort: number; protocol?: 'TCP' | 'UDP' }>;
  env?: V1EnvVar[];
  volumes?: V1Volume[];
  volumeMounts?: V1VolumeMount[];
  readinessProbe?: V1Probe;
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
}

export function probeContainer(spec: Pick<ProbePodSpec, 'image' | 'pullPolicy' | 'command' | 'ports' | 'env' | 'volumeMounts' | 'readinessProbe'>): V1Container {
  return probeContainerSpec({
    name: PROBE_CONTAINER,
    image: spec.image,
    pullPolicy: spec.pullPolicy,
    command: spec.command,
    ports: spec.ports,
    env: spec.env,
    volumeMounts: spec.volumeMounts,
    readinessProbe: spec.readinessProbe,
  });
}

export function probePod(spec: ProbePodSpec): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: spec.name, namespace: spec.namespace, labels: spec.labels },
    spec: probePodSpec([probeContainer(spec)], { restartPolicy: spec.restartPolicy ?? 'Always', volumes: spec.volumes }),
  };
}

/** Shell command that keeps a container alive until killed, without busy-waiting. */
export const SLEEP_FOREVER = ['/agnhost', 'pause'];

export function createPod(clients: ClusterClients, pod: V1Pod): Promise<V1Pod> {
  const ns = pod.metadata?.namespace ?? '';
  return createWithContext('pod', `${ns}/${pod.metadata?.name ?? '?'}`, () => clients.core.createNamespacedPod({ namespace: ns, body: pod }));
}

/** Waiting reasons that will not resolve by themselves. */
const HOPELESS_WAITING = new Set(['ErrImageNeverPull', 'InvalidImageName', 'CreateContainerConfigError', 'CreateContainerError']);

export function hopelessReason(pod: V1Pod): string | undefined {
  if (pod.status?.phase === 'Failed') return `pod failed${pod.status.reason ? ` (${pod.status.reason})` : ''}`;
  for (const s of pod.status?.containerStatuses ?? []) {
    const reason = s.state?.waiting?.reason;
    if (reason !== undefined && HOPELESS_WAITING.has(reason)) {
      return `container ${s.name} is ${reason}${s.state?.waiting?.message ? `: ${s.state.waiting.message}` : ''}`;
    }
  }
  return undefined;
}

export function isPodRunningAndReady(pod: V1Pod): boolean {
  if (pod.status?.phase !== 'Running') return false;
  return (pod.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

function podsPath(namespace: string): string {
  return `/api/v1/namespaces/${namespace}/pods`;
}

/** Watches one pod until `predicate` holds. */
export async function waitForPod(
  clients: ClusterClients,
  namespace: string,
  name: string,
  predicate: (pod: V1Pod) => boolean,
  expectation: string,
  deadline: Deadline,
  signal?: AbortSignal,
  fatal: (pod: V1Pod) => string | Error | undefined = hopelessReason,
  recheckMs?: number,
): Promise<V1Pod> {
  const items = await watchNamed<V1Pod>(
    { kc: clients.kc, path: podsPath(namespace), name, list: (fieldSelector) => clients.core.listNamespacedPod({ namespace, fieldSelector }) },
    (pods) => pods.some(predicate),
    {
      expectation: `pod ${namespace}/${name} ${expectation}`,
      deadline,
      signal,
      describe: (pods) => (pods === undefined || pods.length === 0 ? `pod ${namespace}/${name} not found` : describePods(pods)),
      fatal: (pods) => (pods[0] === undefined ? undefined : fatal(pods[0])),
      recheckMs,
    },
  );
  const pod = items.find(predicate);
  if (pod === undefined) throw new Error(`pod ${namespace}/${name} vanished while waiting`);
  return pod;
}

/** Waits until the pod is Running and Ready. With `limits`, a pod that no scheduler acts on or
 *  whose image cannot be pulled ends the wait early with a ComponentProblem naming the cause. */
export function waitForPodReady(clients: ClusterClients, namespace: string, name: string, deadline: Deadline, signal?: AbortSignal, limits?: PodStartLimits): Promise<V1Pod> {
  if (limits === undefined) return waitForPod(clients, namespace, name, isPodRunningAndReady, 'to be Running and Ready', deadline, signal);
  const watch = new PodStartWatch(limits);
  const fatal = (pod: V1Pod): string | Error | undefined => {
    const hopeless = hopelessReason(pod);
    if (hopeless !== undefined) return hopeless;
    const problem = watch.observe(pod, Date.now());
    return problem === undefined ? undefined : new ComponentProblem(problem.component, problem.sentence, problem.remediation, describePods([pod]));
  };
  return waitForPod(clients, namespace, name, isPodRunningAndReady, 'to be Running and Ready', deadline, signal, fatal, 1000);
}

/** Creates a probe pod and waits until it is Running and Ready (see waitForPodReady). */
export async function startProbePod(clients: ClusterClients, spec: ProbePodSpec, deadline: Deadline, signal?: AbortSignal, limits?: PodStartLimits): Promise<V1Pod> {
  await createPod(clients, probePod(spec));
  return waitForPodReady(clients, spec.namespace, spec.name, deadline, signal, limits);
}

export function restartCount(pod: V1Pod, container = PROBE_CONTAINER): number {
  return pod.status?.containerStatuses?.find((s) => s.name === container)?.restartCount ?? 0;
}

/** Waits until the container restarted at least once more than `before` and runs again. */
export function waitForContainerRestart(
  clients: ClusterClients,
  namespace: string,
  name: string,
  before: number,
  deadline: Deadline,
  signal?: AbortSignal,
): Promise<V1Pod> {
  return waitForPod(
    clients,
    namespace,
    name,
    (pod) => restartCount(pod) > before && isPodRunningAndReady(pod),
    `container ${PROBE_CONTAINER} to restart (restartCount > ${before}) and run again`,
    deadline,
    signal,
    () => undefined, // CrashLoopBackOff between restarts is expected here
  );
}

/** Deletes a pod and waits until it is gone. */
export async function deletePodAndWait(clients: ClusterClients, namespace: string, name: string, deadline: Deadline, signal?: AbortSignal): Promise<void> {
  try {
    await clients.core.deleteNamespacedPod({ name, namespace });
  } catch (err) {
    if (isNotFound(err)) return;
    throw new Error(describeApiError(`delete pod ${namespace}/${name}`, err), { cause: err });
  }
  await watchNamed<V1Pod>(
    { kc: clients.kc, path: podsPath(namespace), name, list: (fieldSelector) => clients.core.listNamespacedPod({ namespace, fieldSelector }) },
    (pods) => pods.length === 0,
    {
      expectation: `pod ${namespace}/${name} to be deleted`,
      deadline,
      signal,
      describe: (pods) => (pods === undefined ? 'never listed' : describePods(pods)),
    },
  );
}
