// QoS classes: the class Kubernetes must assign, computed from the pod's containers (the rules of
// the kubelet's eviction order), next to the class the API server did assign. Pure except
// runQosCases, which creates the pods and reads their status.
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import type { SetupContext } from '../harness/context.js';
import { createResourcePod, describeResources, type ResourceContainer } from './pods.js';
import { quantityValue } from '../cluster/quantity.js';

export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

const COMPUTE = ['cpu', 'memory'];

/** The QoS class of a pod with these containers (init containers count like the others). */
export function expectedQosClass(containers: ReadonlyArray<Pick<V1Container, 'resources'>>): QosClass {
  const declares = containers.some((c) => COMPUTE.some((r) => c.resources?.requests?.[r] !== undefined || c.resources?.limits?.[r] !== undefined));
  if (!declares) return 'BestEffort';
  const guaranteed = containers.every((c) =>
    COMPUTE.every((r) => {
      const limit = c.resources?.limits?.[r];
      if (limit === undefined) return false;
      // A request left out defaults to the limit.
      const request = c.resources?.requests?.[r] ?? limit;
      return quantityValue(request) === quantityValue(limit);
    }),
  );
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

export interface QosCase {
  name: string;
  title: string;
  containers: ResourceContainer[];
}

const SMALL_LIMITS = { cpu: '100m', memory: '32Mi' };

export const QOS_CASES: readonly QosCase[] = [
  { name: 'no-resources', title: 'no requests or limits', containers: [{ name: 'probe' }] },
  { name: 'limits-only', title: 'limits only (requests default to limits)', containers: [{ name: 'probe', resources: { limits: SMALL_LIMITS } }] },
  { name: 'requests-below-limits', title: 'requests below limits', containers: [{ name: 'probe', resources: { requests: { cpu: '50m', memory: '16Mi' }, limits: SMALL_LIMITS } }] },
  {
    name: 'one-of-two-unlimited',
    title: 'two containers, one of them unlimited',
    containers: [{ name: 'limited', resources: { limits: SMALL_LIMITS } }, { name: 'unlimited' }],
  },
];

export interface QosObservation {
  case: QosCase;
  spec: string;
  expected: QosClass;
  assigned: string;
}

/** Creates one pod per case and reads the class the API server assigned (it is set on create). */
export async function runQosCases(t: SetupContext, namespace: string, cases: readonly QosCase[] = QOS_CASES): Promise<QosObservation[]> {
  const observations: QosObservation[] = [];
  for (const c of cases) {
    t.step(`create pod ${c.name} (${c.title})`);
    const pod: V1Pod = await createResourcePod(t, namespace, c.name, c.containers);
    observations.push({
      case: c,
      spec: c.containers.map((k) => `${k.name}: ${describeResources(k.resources)}`).join(' | '),
      // From what the check declared: the namespace is fresh, so no LimitRange adds defaults.
      expected: expectedQosClass(c.containers),
      assigned: pod.status?.qosClass ?? 'unset',
    });
  }
  return observations;
}
