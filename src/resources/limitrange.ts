// resources/limitrange-defaults: a LimitRange fills in what a container leaves out (default ->
// limits, defaultRequest -> requests), and only that, and refuses containers outside max/min with
// its own message. Admission does this on create, so the answers are read from the create call.
import type { V1LimitRange, V1ResourceRequirements } from '@kubernetes/client-node';
import { createWithContext } from '../cluster/create.js';
import type { SetupContext } from '../harness/context.js';
import { describeAdmission, tryCreatePod, type Admission } from './admission.js';
import { observation, type Observation } from './observations.js';
import { describeResources, type ResourceContainer } from './pods.js';
import { quantityValue } from '../cluster/quantity.js';

export const LIMIT_RANGE = {
  default: { cpu: '200m', memory: '64Mi' },
  defaultRequest: { cpu: '100m', memory: '32Mi' },
  max: { cpu: '1', memory: '256Mi' },
  min: { cpu: '10m', memory: '8Mi' },
};

export function limitRangeManifest(t: SetupContext, namespace: string): V1LimitRange {
  // The client names the field `_default` (`default` is reserved); left out, the API server
  // would default it to `max`.
  const { default: limits, ...rest } = LIMIT_RANGE;
  return { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'defaults', namespace, labels: t.labels() }, spec: { limits: [{ type: 'Container', _default: limits, ...rest }] } };
}

export interface LimitRangeCase {
  name: string;
  what: string;
  resources?: V1ResourceRequirements;
  /** The resources the stored container must have, or the message fragment of the refusal. */
  expect: { resources: V1ResourceRequirements } | { refusedWith: RegExp; text: string };
}

export const LIMIT_RANGE_CASES: readonly LimitRangeCase[] = [
  { name: 'neither', what: 'container setting neither requests nor limits', expect: { resources: { requests: LIMIT_RANGE.defaultRequest, limits: LIMIT_RANGE.default } } },
  {
    name: 'request-only',
    what: 'container setting only requests',
    resources: { requests: { cpu: '50m', memory: '16Mi' } },
    expect: { resources: { requests: { cpu: '50m', memory: '16Mi' }, limits: LIMIT_RANGE.default } },
  },
  {
    name: 'both',
    what: 'container setting both',
    resources: { requests: { cpu: '20m', memory: '16Mi' }, limits: { cpu: '300m', memory: '128Mi' } },
    expect: { resources: { requests: { cpu: '20m', memory: '16Mi' }, limits: { cpu: '300m', memory: '128Mi' } } },
  },
  {
    name: 'above-max',
    what: 'container with limits.cpu 2 above max 1',
    resources: { requests: { cpu: '100m' }, limits: { cpu: '2' } },
    expect: { refusedWith: /maximum cpu usage per Container is 1, but limit is 2/, text: 'refused: maximum cpu usage per Container is 1, but limit is 2' },
  },
  {
    name: 'below-min',
    what: 'container with requests.cpu 5m below min 10m',
    resources: { requests: { cpu: '5m' }, limits: { cpu: '100m' } },
    expect: { refusedWith: /minimum cpu usage per Container is 10m, but request is 5m/, text: 'refused: minimum cpu usage per Container is 10m, but request is 5m' },
  },
];

function sameList(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const keys = new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})]);
  return [...keys].every((k) => quantityValue(a?.[k]) === quantityValue(b?.[k]));
}

/** Whether the admission answer is what the case expects. Pure, for unit tests. */
export function judgeLimitRangeCase(c: LimitRangeCase, a: Admission): Observation {
  if ('resources' in c.expect) {
    const stored = a.admitted ? a.pod.spec?.containers[0]?.resources : undefined;
    const ok = a.admitted && sameList(stored?.requests, c.expect.resources.requests) && sameList(stored?.limits, c.expect.resources.limits);
    return observation(c.what, `admitted with ${describeResources(c.expect.resources)}`, a.admitted ? `admitted with ${describeResources(stored)}` : describeAdmission(a), ok);
  }
  return observation(c.what, c.expect.text, describeAdmission(a), !a.admitted && c.expect.refusedWith.test(a.message));
}

export async function limitRangeDefaults(t: SetupContext, namespace: string): Promise<Observation[]> {
  t.step('create LimitRange defaults');
  await createWithContext('limitrange', `${namespace}/defaults`, () => t.clients.core.createNamespacedLimitRange({ namespace, body: limitRangeManifest(t, namespace) }));
  const rows: Observation[] = [];
  for (const c of LIMIT_RANGE_CASES) {
    t.step(`create pod ${c.name} (${c.what})`);
    const containers: ResourceContainer[] = [{ name: 'probe', ...(c.resources === undefined ? {} : { resources: c.resources }) }];
    rows.push(judgeLimitRangeCase(c, await tryCreatePod(t, namespace, c.name, containers)));
  }
  return rows;
}
