// resources/hpa-scales: a CPU-bound Deployment (limit 250m) behind an autoscaling/v2 HPA (1 to
// 4 replicas at 60% CPU) is loaded by a generator pod; the HPA must report ScalingActive and ask
// for more replicas within hpaScaleUp. The load is bounded by the generator, not by the replica
// count: two request loops each keep at most one replica busy, so the node never runs more than
// 2 x 250m for it. Every request burns a fixed amount of work in the replica's own cgroup.
import type { V1Deployment, V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { createWithContext } from '../cluster/create.js';
import { PROBE_CONTAINER } from '../cluster/pods.js';
import { probeContainerSpec, probePodSpec } from '../cluster/probe-spec.js';
import { clusterIpService, createService } from '../cluster/services.js';
import type { Deadline } from '../cluster/wait.js';
import { watchNamed } from '../cluster/watch-named.js';
import { createDeployment, deploymentManifest, waitForRollout } from '../cluster/workloads.js';
import { WaitTimeoutError } from '../errors.js';
import type { SetupContext } from '../harness/context.js';
import { CheckFailure } from '../harness/errors.js';
import { startProbe } from '../harness/probes.js';
import { describeCondition, isScalingActive, ReplicaTimeline } from './hpa-status.js';
import { metricsApiProblem } from './metrics.js';
import { resourcesDeadline } from './timeouts.js';

export const HPA_TARGET = { name: 'cpu-burner', cpuRequest: '100m', cpuLimit: '250m', utilisation: 60, minReplicas: 1, maxReplicas: 4 };
const PORT = 8080;
/** Busybox sh arithmetic: about 0.3 CPU-seconds, so about a second at the 250m limit. */
export const BURN_ITERATIONS = 50_000;
export const LOAD_LOOPS = 2;
/** Title of the table the check attaches its timings to; the bench reads it from the report. */
export const HPA_REACTION_TABLE = 'HPA reaction';

export function burnUrl(serviceIp: string): string {
  const burn = `i=0; while [ $i -lt ${BURN_ITERATIONS} ]; do i=$((i+1)); done; echo $i`;
  return `http://${serviceIp}:${PORT}/shell?shellCommand=${encodeURIComponent(burn)}`;
}

/** The generator's script: LOAD_LOOPS loops of back-to-back requests (a failed one waits a
 *  second, so an unreachable service does not spin the generator itself). */
export function loadScript(url: string): string {
  return `for w in $(seq ${LOAD_LOOPS}); do (while :; do wget -q -O /dev/null '${url}' || sleep 1; done) & done; wait`;
}

function burnerDeployment(t: SetupContext, namespace: string): V1Deployment {
  const selector = { app: HPA_TARGET.name };
  const container = probeContainerSpec({
    name: PROBE_CONTAINER,
    image: t.probeImage,
    pullPolicy: t.config.images.pullPolicy,
    args: ['netexec', `--http-port=${PORT}`],
    ports: [{ name: 'http', containerPort: PORT }],
    readinessProbe: { httpGet: { path: '/', port: PORT }, periodSeconds: 2 },
    resources: { requests: { cpu: HPA_TARGET.cpuRequest, memory: '32Mi' }, limits: { cpu: HPA_TARGET.cpuLimit, memory: '64Mi' } },
  });
  return deploymentManifest({ name: HPA_TARGET.name, namespace, labels: t.labels(), selector, replicas: HPA_TARGET.minReplicas, pod: probePodSpec([container]) });
}

export function hpaManifest(t: SetupContext, namespace: string): V2HorizontalPodAutoscaler {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: HPA_TARGET.name, namespace, labels: t.labels() },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: HPA_TARGET.name },
      minReplicas: HPA_TARGET.minReplicas,
      maxReplicas: HPA_TARGET.maxReplicas,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: HPA_TARGET.utilisation } } }],
    },
  };
}

function watchHpa(t: SetupContext, namespace: string, done: (hpa: V2HorizontalPodAutoscaler | undefined) => boolean, expectation: string, deadline: Deadline): Promise<V2HorizontalPodAutoscaler[]> {
  return watchNamed<V2HorizontalPodAutoscaler>(
    {
      kc: t.clients.kc,
      path: `/apis/autoscaling/v2/namespaces/${namespace}/horizontalpodautoscalers`,
      name: HPA_TARGET.name,
      list: (fieldSelector) => t.clients.autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace, fieldSelector }),
    },
    (items) => done(items[0]),
    {
      expectation,
      deadline,
      signal: t.signal,
      describe: (items) => (items?.[0] === undefined ? 'HPA not found' : `${describeCondition(items[0], 'ScalingActive')}; ${describeCondition(items[0], 'AbleToScale')}; replicas ${items[0].status?.currentReplicas ?? 0}, desired ${items[0].status?.desiredReplicas ?? 0}`),
    },
  );
}

/** A wait on the HPA that timed out, as a failure naming the HPA's conditions and, when the
 *  metrics API is down, its cause. */
async function hpaFailure(t: SetupContext, err: unknown, what: string): Promise<never> {
  if (!(err instanceof WaitTimeoutError)) throw err;
  const { problem } = await metricsApiProblem(t.clients);
  const firstLine = err.message;
  throw new CheckFailure(problem === undefined ? `${what}: ${firstLine}` : `${what} because the resource metrics API is down: ${problem} (${firstLine})`, { details: err.details, cause: err });
}

export interface HpaResult {
  timeline: ReplicaTimeline;
  /** Load start -> the HPA asked for more replicas. */
  reactionMs: number;
  /** Load start -> the HPA reported ScalingActive (before the load: negative or zero). */
  activeAfterMs: number;
  hpa: V2HorizontalPodAutoscaler;
}

/** Creates its namespace only after the metrics API was seen serving (see metricsApiServes). */
export async function hpaScales(t: SetupContext, deadlines: { rollout: Deadline; hpaActive: Deadline; hpaScaleUp: Deadline }): Promise<HpaResult> {
  // Without the metrics API no HPA can compute utilisation: say so now instead of after hpaActive.
  t.step('check that the resource metrics API serves');
  const before = await metricsApiProblem(t.clients, { deadline: resourcesDeadline(t.timeouts, 'metricsRecover'), signal: t.signal });
  if (before.problem !== undefined) throw new CheckFailure(`the HPA cannot scale because the resource metrics API is down: ${before.problem}`);
  const namespace = await t.createNamespace('');

  t.step(`create Deployment ${HPA_TARGET.name} (cpu request ${HPA_TARGET.cpuRequest}, limit ${HPA_TARGET.cpuLimit}) and its Service`);
  await createDeployment(t.clients, burnerDeployment(t, namespace));
  const service = await createService(t.clients, clusterIpService({ name: HPA_TARGET.name, namespace, labels: t.labels(), selector: { app: HPA_TARGET.name }, port: PORT, targetPort: PORT }));
  await waitForRollout(t.clients, namespace, HPA_TARGET.name, deadlines.rollout, t.signal);

  t.step(`create HPA ${HPA_TARGET.name} (autoscaling/v2, ${HPA_TARGET.minReplicas}-${HPA_TARGET.maxReplicas} replicas at ${HPA_TARGET.utilisation}% CPU) and wait for ScalingActive`);
  const created = Date.now();
  await createWithContext('horizontalpodautoscaler', `${namespace}/${HPA_TARGET.name}`, () =>
    t.clients.autoscaling.createNamespacedHorizontalPodAutoscaler({ namespace, body: hpaManifest(t, namespace) }),
  );
  await watchHpa(t, namespace, isScalingActive, `HPA ${namespace}/${HPA_TARGET.name} to report ScalingActive=True`, deadlines.hpaActive).catch((err: unknown) =>
    hpaFailure(t, err, `the HPA never became able to compute CPU utilisation`),
  );
  const activeMs = Date.now() - created;

  const ip = service.spec?.clusterIP ?? '';
  const loadStarted = Date.now();
  const timeline = new ReplicaTimeline(loadStarted);
  await startProbe(t, 'load', ['sh', '-c', loadScript(burnUrl(ip))], { namespace });
  t.step(`load: ${LOAD_LOOPS} request loops against ${ip}:${PORT}; watch the HPA raise the replica count`);
  const items = await watchHpa(
    t,
    namespace,
    (hpa) => {
      if (hpa === undefined) return false;
      timeline.record(hpa, Date.now());
      return (hpa.status?.desiredReplicas ?? 0) > HPA_TARGET.minReplicas;
    },
    `HPA ${namespace}/${HPA_TARGET.name} to ask for more than ${HPA_TARGET.minReplicas} replica(s) under load`,
    deadlines.hpaScaleUp,
  ).catch((err: unknown) => hpaFailure(t, err, 'the HPA did not raise the replica count under load'));
  // The generator has done its job; stop it now rather than with the namespace.
  await t.clients.core.deleteNamespacedPod({ name: 'load', namespace, gracePeriodSeconds: 0 }).catch(() => undefined);
  const hpa = items[0] as V2HorizontalPodAutoscaler;
  return { timeline, reactionMs: timeline.raisedAtMs(HPA_TARGET.minReplicas) ?? Date.now() - loadStarted, activeAfterMs: activeMs, hpa };
}
