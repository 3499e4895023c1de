// resources/quota-enforced: a ResourceQuota on limits.cpu admits pods until the sum of their
// limits reaches it, refuses the next with its own message, refuses a pod that declares no limit
// while it restricts limits, and leaves its refusal of a Deployment's pods in the events.
// Pods request a token 10m so the node's CPU is never reserved by them: only limits count here.
import type { CoreV1Event, V1ResourceQuota } from '@kubernetes/client-node';
import { createWithContext } from '../cluster/create.js';
import { createDeployment, deploymentManifest } from '../cluster/workloads.js';
import { probeContainerSpec, probePodSpec } from '../cluster/probe-spec.js';
import { SLEEP_FOREVER } from '../cluster/pods.js';
import { pollUntil, type Deadline } from '../cluster/wait.js';
import { watchNamed } from '../cluster/watch-named.js';
import type { SetupContext } from '../harness/context.js';
import { describeAdmission, tryCreatePod } from './admission.js';
import { observation, type Observation } from './observations.js';
import { parseQuotaRefusal, type QuotaRefusal } from './quota-message.js';

export const QUOTA_NAME = 'compute';
export const QUOTA_LIMIT_CPU = '2';
const POD_LIMIT = { cpu: '500m' };
const POD_REQUEST = { cpu: '10m' };
const ADMITTED_PODS = 4;

export function quotaManifest(t: SetupContext, namespace: string): V1ResourceQuota {
  return { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: QUOTA_NAME, namespace, labels: t.labels() }, spec: { hard: { 'limits.cpu': QUOTA_LIMIT_CPU } } };
}

/** True once the quota controller has computed the quota (admission refuses every pod before). */
export function quotaComputed(quota: V1ResourceQuota | undefined): boolean {
  const hard = quota?.spec?.hard ?? {};
  return Object.keys(hard).every((k) => quota?.status?.hard?.[k] !== undefined && quota.status.used?.[k] !== undefined);
}

async function createQuotaAndWait(t: SetupContext, namespace: string, deadline: Deadline): Promise<void> {
  t.step(`create ResourceQuota ${QUOTA_NAME} (limits.cpu: ${QUOTA_LIMIT_CPU}) and wait for its status`);
  await createWithContext('resourcequota', `${namespace}/${QUOTA_NAME}`, () => t.clients.core.createNamespacedResourceQuota({ namespace, body: quotaManifest(t, namespace) }));
  await watchNamed<V1ResourceQuota>(
    {
      kc: t.clients.kc,
      path: `/api/v1/namespaces/${namespace}/resourcequotas`,
      name: QUOTA_NAME,
      list: (fieldSelector) => t.clients.core.listNamespacedResourceQuota({ namespace, fieldSelector }),
    },
    (items) => quotaComputed(items[0]),
    {
      expectation: `ResourceQuota ${namespace}/${QUOTA_NAME} to report its hard and used amounts (the quota controller of kube-controller-manager computes them)`,
      deadline,
      signal: t.signal,
      describe: (items) => (items?.[0] === undefined ? 'quota not found' : `status ${JSON.stringify(items[0].status ?? {})}`),
    },
  );
}

/** Whether a refusal is the quota's "exceeded" answer with the amounts it should name. */
export function isExpectedExceeded(refusal: QuotaRefusal | undefined): boolean {
  return (
    refusal?.kind === 'exceeded' &&
    refusal.quota === QUOTA_NAME &&
    refusal.requested['limits.cpu'] === POD_LIMIT.cpu &&
    refusal.limited['limits.cpu'] === QUOTA_LIMIT_CPU &&
    refusal.used['limits.cpu'] === QUOTA_LIMIT_CPU
  );
}

/** A FailedCreate event of a ReplicaSet whose message is a quota refusal. */
export function quotaRefusalEvent(events: readonly CoreV1Event[]): { event: CoreV1Event; refusal: QuotaRefusal } | undefined {
  for (const event of events) {
    if (event.reason !== 'FailedCreate' || event.involvedObject.kind !== 'ReplicaSet') continue;
    const refusal = parseQuotaRefusal(event.message ?? '');
    if (refusal !== undefined) return { event, refusal };
  }
  return undefined;
}

export interface QuotaResult {
  rows: Observation[];
  /** The event message the check quotes. */
  eventMessage?: string;
}

export async function quotaEnforcement(t: SetupContext, namespace: string, deadlines: { quotaStatus: Deadline; quotaEvent: Deadline }): Promise<QuotaResult> {
  await createQuotaAndWait(t, namespace, deadlines.quotaStatus);
  const rows: Observation[] = [];
  const limited = [{ name: 'probe', resources: { requests: POD_REQUEST, limits: POD_LIMIT } }];
  for (let i = 1; i <= ADMITTED_PODS; i++) {
    t.step(`create pod limited-${i} (limits.cpu ${POD_LIMIT.cpu})`);
    const a = await tryCreatePod(t, namespace, `limited-${i}`, limited);
    rows.push(observation(`pod limited-${i}, limits.cpu ${POD_LIMIT.cpu} (total ${(i * 0.5).toString()} of ${QUOTA_LIMIT_CPU})`, 'admitted', describeAdmission(a), a.admitted));
  }

  t.step('create pod limited-5, past the quota');
  const fifth = await tryCreatePod(t, namespace, `limited-${ADMITTED_PODS + 1}`, limited);
  const fifthRefusal = fifth.admitted ? undefined : parseQuotaRefusal(fifth.message);
  rows.push(
    observation(
      `pod limited-${ADMITTED_PODS + 1}, limits.cpu ${POD_LIMIT.cpu} (past the quota)`,
      `refused: exceeded quota: ${QUOTA_NAME}, requested: limits.cpu=${POD_LIMIT.cpu}, used: limits.cpu=${QUOTA_LIMIT_CPU}, limited: limits.cpu=${QUOTA_LIMIT_CPU}`,
      describeAdmission(fifth),
      isExpectedExceeded(fifthRefusal),
    ),
  );

  t.step('create pod unlimited, which declares no limit');
  const unlimited = await tryCreatePod(t, namespace, 'unlimited', [{ name: 'probe' }]);
  const unlimitedRefusal = unlimited.admitted ? undefined : parseQuotaRefusal(unlimited.message);
  rows.push(
    observation(
      'pod without limits while the quota restricts limits.cpu',
      `refused: failed quota: ${QUOTA_NAME}: must specify limits.cpu`,
      describeAdmission(unlimited),
      unlimitedRefusal?.kind === 'must-specify' && unlimitedRefusal.quota === QUOTA_NAME && unlimitedRefusal.resources.includes('limits.cpu'),
    ),
  );

  t.step('create Deployment over-quota (1 replica of limits.cpu 500m) and wait for the refusal event');
  const selector = { app: 'over-quota' };
  const pod = probePodSpec([probeContainerSpec({ name: 'probe', image: t.probeImage, pullPolicy: t.config.images.pullPolicy, command: SLEEP_FOREVER, resources: { requests: POD_REQUEST, limits: POD_LIMIT } })]);
  await createDeployment(t.clients, deploymentManifest({ name: 'over-quota', namespace, labels: t.labels(), selector, replicas: 1, pod }));
  let found: ReturnType<typeof quotaRefusalEvent>;
  try {
    const events = await pollUntil(
      async () => (await t.clients.core.listNamespacedEvent({ namespace })).items,
      (items) => quotaRefusalEvent(items) !== undefined,
      {
        expectation: `a FailedCreate event of Deployment over-quota's ReplicaSet quoting quota ${QUOTA_NAME}`,
        deadline: deadlines.quotaEvent,
        signal: t.signal,
        describe: (items) => (items === undefined ? 'no events listed' : `${items.length} event(s): ${items.map((e) => `${e.reason ?? '?'} ${e.involvedObject.kind ?? ''}/${e.involvedObject.name ?? ''}`).join(', ')}`),
      },
    );
    found = quotaRefusalEvent(events);
  } catch (err) {
    rows.push(observation('Deployment past the quota', 'a FailedCreate event quoting the quota', err instanceof Error ? err.message : String(err), false));
    return { rows };
  }
  rows.push(
    observation(
      'Deployment past the quota',
      `FailedCreate event of its ReplicaSet quoting quota ${QUOTA_NAME}`,
      `${found?.event.involvedObject.name ?? '?'}: ${found?.event.message ?? ''}`,
      found?.refusal.kind === 'exceeded' && found.refusal.quota === QUOTA_NAME,
    ),
  );
  return { rows, eventMessage: found?.event.message };
}
