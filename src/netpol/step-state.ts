// What a scenario step changes besides policies: labels on lab pods and namespaces, and pods
// added for the step. Pure: the topology a step is simulated and probed in, and the label and
// pod changes between two steps. The cluster side (cluster-step-state.ts) carries them out.
import type { Labels } from './labels.js';
import type { AddedPod, ScenarioStep } from './scenarios.js';
import { findPod, podId, POD_LABEL, type Topology, type TopologyPod } from './topology.js';

/** Splits `x/d` into its logical namespace and pod name. */
export function splitPodId(id: string): { namespace: string; name: string } {
  const [namespace, name, ...rest] = id.split('/');
  if (namespace === undefined || name === undefined || namespace === '' || name === '' || rest.length > 0) {
    throw new Error(`pod id "${id}" is not of the form namespace/pod`);
  }
  return { namespace, name };
}

/** The pod an added pod is modelled on: the first lab pod of its namespace (same ports, same run labels). */
function templateFor(base: Topology, namespace: string, id: string): TopologyPod {
  const template = base.pods.find((p) => p.namespace === namespace);
  if (template === undefined) throw new Error(`step adds pod ${id}, but the lab has no pod in namespace ${namespace} to model it on`);
  return template;
}

/** The lab as it is during `step`: label overrides applied, added pods present (with their IPs once known). */
export function stepTopology(base: Topology, step: ScenarioStep, addedIps: ReadonlyMap<string, string> = new Map()): Topology {
  for (const id of Object.keys(step.podLabels ?? {})) {
    if (findPod(base, id) === undefined) throw new Error(`step relabels pod ${id}, which is not a lab pod`);
  }
  for (const logical of Object.keys(step.namespaceLabels ?? {})) {
    if (!base.namespaces.some((n) => n.logical === logical)) throw new Error(`step relabels namespace ${logical}, which is not a lab namespace`);
  }
  const pods = base.pods.map((p) => (step.podLabels?.[p.id] === undefined ? p : { ...p, labels: { ...p.labels, ...step.podLabels[p.id] } }));
  for (const [id, added] of Object.entries(step.addedPods ?? {})) {
    if (findPod(base, id) !== undefined) throw new Error(`step adds pod ${id}, which the lab already has`);
    const { namespace, name } = splitPodId(id);
    const template = templateFor(base, namespace, id);
    const ip = addedIps.get(id);
    pods.push({
      id: podId(namespace, name), namespace, name,
      labels: { ...template.labels, [POD_LABEL]: name, ...added.labels },
      ports: template.ports,
      ...(ip === undefined ? {} : { ip }),
    });
  }
  const namespaces = base.namespaces.map((n) => (step.namespaceLabels?.[n.logical] === undefined ? n : { ...n, labels: { ...n.labels, ...step.namespaceLabels[n.logical] } }));
  return { namespaces, pods, externals: base.externals };
}

/** Labels to set (string) or remove (null) on one object to go from one step to the next. */
export type LabelPatch = Record<string, string | null>;

function labelPatch(before: Labels | undefined, after: Labels | undefined): LabelPatch | undefined {
  const patch: LabelPatch = {};
  for (const [key, value] of Object.entries(after ?? {})) if (before?.[key] !== value) patch[key] = value;
  for (const key of Object.keys(before ?? {})) if (after?.[key] === undefined) patch[key] = null;
  return Object.keys(patch).length === 0 ? undefined : patch;
}

export interface StepStateChanges {
  /** Label patches by lab pod id. */
  pods: Map<string, LabelPatch>;
  /** Label patches by logical namespace. */
  namespaces: Map<string, LabelPatch>;
  /** Added pods to delete (gone in the next step, or a new incarnation). */
  deletePods: string[];
  /** Added pods to create (new in the next step, or a new incarnation). */
  createPods: Array<{ id: string; pod: AddedPod }>;
}

type StepState = Pick<ScenarioStep, 'podLabels' | 'namespaceLabels' | 'addedPods'>;

/** What changes from `previous` (undefined: the lab as built) to `next`. */
export function stepStateChanges(previous: StepState | undefined, next: StepState | undefined): StepStateChanges {
  const changes: StepStateChanges = { pods: new Map(), namespaces: new Map(), deletePods: [], createPods: [] };
  const diff = (target: Map<string, LabelPatch>, before: Readonly<Record<string, Labels>> | undefined, after: Readonly<Record<string, Labels>> | undefined) => {
    for (const key of new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])) {
      const patch = labelPatch(before?.[key], after?.[key]);
      if (patch !== undefined) target.set(key, patch);
    }
  };
  diff(changes.pods, previous?.podLabels, next?.podLabels);
  diff(changes.namespaces, previous?.namespaceLabels, next?.namespaceLabels);
  const before = previous?.addedPods ?? {};
  const after = next?.addedPods ?? {};
  for (const [id, pod] of Object.entries(before)) {
    const later = after[id];
    if (later === undefined || later.incarnation !== pod.incarnation || labelPatch(pod.labels, later.labels) !== undefined) changes.deletePods.push(id);
  }
  for (const [id, pod] of Object.entries(after)) {
    const earlier = before[id];
    if (earlier === undefined || changes.deletePods.includes(id)) changes.createPods.push({ id, pod });
  }
  return changes;
}

export function hasStepStateChanges(changes: StepStateChanges): boolean {
  return changes.pods.size > 0 || changes.namespaces.size > 0 || changes.deletePods.length > 0 || changes.createPods.length > 0;
}
