// Deployments and Jobs: manifests for probe workloads and rollout/completion waits that read
// the same status fields `kubectl rollout status` reads.
import { PatchStrategy, setHeaderOptions, type V1Deployment, type V1Job, type V1PodSpec } from '@kubernetes/client-node';
import { describeApiError } from './api-errors.js';
import { createWithContext } from './create.js';
import type { ClusterClients } from './client.js';
import type { Labels } from './labels.js';
import type { Deadline } from './wait.js';
import { watchNamed } from './watch-named.js';

export function deploymentManifest(spec: { name: string; namespace: string; labels: Labels; selector: Labels; replicas: number; pod: V1PodSpec; podLabels?: Labels }): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: spec.name, namespace: spec.namespace, labels: spec.labels },
    spec: {
      replicas: spec.replicas,
      selector: { matchLabels: spec.selector },
      // Fast but real rolling update: one new pod at a time, never below the desired count.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: { metadata: { labels: { ...spec.labels, ...spec.podLabels, ...spec.selector } }, spec: spec.pod },
    },
  };
}

/** Rollout state as `kubectl rollout status` judges it. */
export function rolloutState(d: V1Deployment): { complete: boolean; summary: string; stalled?: string } {
  const desired = d.spec?.replicas ?? 1;
  const st = d.status ?? {};
  const generationSeen = (st.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1);
  const updated = st.updatedReplicas ?? 0;
  const total = st.replicas ?? 0;
  const available = st.availableReplicas ?? 0;
  const progressing = st.conditions?.find((c) => c.type === 'Progressing');
  const stalled = progressing?.reason === 'ProgressDeadlineExceeded' ? `ProgressDeadlineExceeded: ${progressing.message ?? ''}` : undefined;
  const complete = generationSeen && updated === desired && total === desired && available === desired;
  const summary = `generation ${d.metadata?.generation ?? '?'} (observed ${st.observedGeneration ?? 'none'}), desired ${desired}, updated ${updated}, total ${total}, available ${available}${progressing ? `, Progressing=${progressing.status} ${progressing.reason ?? ''}` : ''}`;
  return { complete, summary, stalled };
}

export function createDeployment(clients: ClusterClients, d: V1Deployment): Promise<V1Deployment> {
  const ns = d.metadata?.namespace ?? '';
  return createWithContext('deployment', `${ns}/${d.metadata?.name ?? '?'}`, () => clients.apps.createNamespacedDeployment({ namespace: ns, body: d }));
}

/** Merge-patches the pod template (e.g. a new env value), which starts a new rollout. */
export async function patchDeploymentTemplate(clients: ClusterClients, namespace: string, name: string, template: Record<string, unknown>): Promise<V1Deployment> {
  try {
    return await clients.apps.patchNamespacedDeployment(
      { name, namespace, body: { spec: { template } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
  } catch (err) {
    throw new Error(describeApiError(`patch deployment ${namespace}/${name}`, err), { cause: err });
  }
}

export async function waitForRollout(clients: ClusterClients, namespace: string, name: string, deadline: Deadline, signal?: AbortSignal): Promise<V1Deployment> {
  const items = await watchNamed<V1Deployment>(
    {
      kc: clients.kc,
      path: `/apis/apps/v1/namespaces/${namespace}/deployments`,
      name,
      list: (fieldSelector) => clients.apps.listNamespacedDeployment({ namespace, fieldSelector }),
    },
    (ds) => ds[0] !== undefined && rolloutState(ds[0]).complete,
    {
      expectation: `deployment ${namespace}/${name} to finish rolling out`,
      deadline,
      signal,
      describe: (ds) => (ds?.[0] === undefined ? 'deployment not found' : rolloutState(ds[0]).summary),
      fatal: (ds) => (ds[0] === undefined ? undefined : rolloutState(ds[0]).stalled),
    },
  );
  const deployment = items[0];
  if (deployment === undefined) throw new Error(`deployment ${namespace}/${name} vanished while waiting`);
  return deployment;
}

export function jobManifest(spec: { name: string; namespace: string; labels: Labels; pod: V1PodSpec; backoffLimit?: number }): V1Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: spec.name, namespace: spec.namespace, labels: spec.labels },
    spec: {
      backoffLimit: spec.backoffLimit ?? 0,
      completions: 1,
      template: { metadata: { labels: spec.labels }, spec: spec.pod },
    },
  };
}

export function jobState(job: V1Job): { complete: boolean; failed?: string; summary: string } {
  const conditions = job.status?.conditions ?? [];
  const complete = conditions.some((c) => c.type === 'Complete' && c.status === 'True');
  const failedCondition = conditions.find((c) => c.type === 'Failed' && c.status === 'True');
  const failed = failedCondition ? `${failedCondition.reason ?? 'Failed'}: ${failedCondition.message ?? ''}` : undefined;
  const st = job.status ?? {};
  const summary = `active ${st.active ?? 0}, succeeded ${st.succeeded ?? 0}, failed ${st.failed ?? 0}; conditions: ${conditions.map((c) => `${c.type}=${c.status}`).join(', ') || 'none'}`;
  return { complete, failed, summary };
}

export function createJob(clients: ClusterClients, job: V1Job): Promise<V1Job> {
  const ns = job.metadata?.namespace ?? '';
  return createWithContext('job', `${ns}/${job.metadata?.name ?? '?'}`, () => clients.batch.createNamespacedJob({ namespace: ns, body: job }));
}

export async function waitForJobComplete(clients: ClusterClients, namespace: string, name: string, deadline: Deadline, signal?: AbortSignal): Promise<V1Job> {
  const items = await watchNamed<V1Job>(
    {
      kc: clients.kc,
      path: `/apis/batch/v1/namespaces/${namespace}/jobs`,
      name,
      list: (fieldSelector) => clients.batch.listNamespacedJob({ namespace, fieldSelector }),
    },
    (jobs) => jobs[0] !== undefined && jobState(jobs[0]).complete,
    {
      expectation: `job ${namespace}/${name} to complete`,
      deadline,
      signal,
      describe: (jobs) => (jobs?.[0] === undefined ? 'job not found' : jobState(jobs[0]).summary),
      fatal: (jobs) => (jobs[0] === undefined ? undefined : jobState(jobs[0]).failed),
    },
  );
  const job = items[0];
  if (job === undefined) throw new Error(`job ${namespace}/${name} vanished while waiting`);
  return job;
}
