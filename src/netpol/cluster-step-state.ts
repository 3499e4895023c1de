// Carries out what a scenario step changes besides policies (step-state.ts): merge-patches
// labels onto lab pods and namespaces, and creates, deletes or re-creates the pods a step adds.
// Only the lab's own objects are touched (they carry the run's labels); restoreStepState takes
// every change back after the scenario, whatever happened.
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { describeApiError } from '../cluster/api-errors.js';
import { createPod, deletePodAndWait, waitForPodReady } from '../cluster/pods.js';
import type { SetupContext } from '../harness/context.js';
import { CheckFailure } from '../harness/errors.js';
import { DEFAULT_AGENT_PORT, probePodManifest } from './manifests.js';
import type { ScenarioStep } from './scenarios.js';
import { hasStepStateChanges, splitPodId, stepStateChanges, stepTopology, type LabelPatch, type StepStateChanges } from './step-state.js';
import { findPod, realNamespace, type Topology } from './topology.js';

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

async function patchNamespaceLabels(t: SetupContext, name: string, labels: LabelPatch): Promise<void> {
  try {
    await t.clients.core.patchNamespace({ name, body: { metadata: { labels } } }, mergePatch);
  } catch (err) {
    throw new Error(describeApiError(`relabel namespace ${name}`, err), { cause: err });
  }
}

async function patchPodLabels(t: SetupContext, namespace: string, name: string, labels: LabelPatch): Promise<void> {
  try {
    await t.clients.core.patchNamespacedPod({ namespace, name, body: { metadata: { labels } } }, mergePatch);
  } catch (err) {
    throw new Error(describeApiError(`relabel pod ${namespace}/${name}`, err), { cause: err });
  }
}

/**
 * Applies `changes` to the lab `base` and keeps `addedIps` (pod id -> IP of the added pods that
 * exist) up to date. `next` is the step being entered (undefined when restoring the lab).
 */
export async function applyStepState(
  t: SetupContext, base: Topology, changes: StepStateChanges, next: ScenarioStep | undefined, addedIps: Map<string, string>,
): Promise<void> {
  if (!hasStepStateChanges(changes)) return;
  await Promise.all([
    ...[...changes.namespaces].map(([logical, patch]) => patchNamespaceLabels(t, realNamespace(base, logical), patch)),
    ...[...changes.pods].map(([id, patch]) => {
      const pod = findPod(base, id);
      if (pod === undefined) throw new Error(`cannot relabel ${id}: not a lab pod`);
      return patchPodLabels(t, realNamespace(base, pod.namespace), pod.name, patch);
    }),
    ...changes.deletePods.map(async (id) => {
      const { namespace, name } = splitPodId(id);
      await deletePodAndWait(t.clients, realNamespace(base, namespace), name, t.deadline('podDelete'), t.signal);
      addedIps.delete(id);
    }),
  ]);
  if (changes.createPods.length === 0 || next === undefined) return;
  const topology = stepTopology(base, next, addedIps);
  await Promise.all(changes.createPods.map(async ({ id }) => {
    const pod = findPod(topology, id);
    if (pod === undefined) throw new Error(`step adds ${id}, but its topology lacks it`);
    const namespace = realNamespace(base, pod.namespace);
    await createPod(t.clients, probePodManifest(pod, topology, {
      image: t.probeImage, imagePullPolicy: t.config.images.pullPolicy, labels: t.labels(), agentPort: DEFAULT_AGENT_PORT,
    }));
    const ready = await waitForPodReady(t.clients, namespace, pod.name, t.deadline('podStart'), t.signal);
    const ip = ready.status?.podIP;
    if (ip === undefined) throw new CheckFailure(`added probe pod ${id} is Ready but has no pod IP`);
    addedIps.set(id, ip);
  }));
}

/** Takes back everything `last` changed on the lab (labels off, added pods deleted). */
export async function restoreStepState(t: SetupContext, base: Topology, last: ScenarioStep | undefined, addedIps: Map<string, string>): Promise<void> {
  await applyStepState(t, base, stepStateChanges(last, undefined), undefined, addedIps);
}
