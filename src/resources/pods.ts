// Probe pods whose containers declare resources: the shared probe defaults (probe-spec.ts) with
// the requests and limits a check is about.
import type { V1Pod, V1ResourceRequirements } from '@kubernetes/client-node';
import { createPod, SLEEP_FOREVER } from '../cluster/pods.js';
import { probeContainerSpec, probePodSpec } from '../cluster/probe-spec.js';
import type { Labels } from '../cluster/labels.js';
import type { SetupContext } from '../harness/context.js';

export interface ResourceContainer {
  name: string;
  resources?: V1ResourceRequirements;
  /** Default: sleep until killed. */
  command?: string[];
}

export interface ResourcePodOptions {
  restartPolicy?: 'Always' | 'Never';
  labels?: Labels;
}

export function resourcePod(t: SetupContext, namespace: string, name: string, containers: ResourceContainer[], options: ResourcePodOptions = {}): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: t.labels(options.labels) },
    spec: probePodSpec(
      containers.map((c) =>
        probeContainerSpec({
          name: c.name,
          image: t.probeImage,
          pullPolicy: t.config.images.pullPolicy,
          command: c.command ?? SLEEP_FOREVER,
          ...(c.resources === undefined ? {} : { resources: c.resources }),
        }),
      ),
      { restartPolicy: options.restartPolicy ?? 'Always' },
    ),
  };
}

/** Creates the pod and returns the API server's answer (admission's mutations included). */
export function createResourcePod(t: SetupContext, namespace: string, name: string, containers: ResourceContainer[], options: ResourcePodOptions = {}): Promise<V1Pod> {
  return createPod(t.clients, resourcePod(t, namespace, name, containers, options));
}

/** `cpu 100m, memory 32Mi` / `none`: a resource list in tables. */
export function describeResourceList(list: Record<string, string> | undefined): string {
  const entries = Object.entries(list ?? {});
  return entries.length === 0 ? 'none' : entries.map(([k, v]) => `${k} ${v}`).join(', ');
}

/** `requests cpu 50m; limits cpu 100m` / `no requests or limits`: one container's resources. */
export function describeResources(resources: V1ResourceRequirements | undefined): string {
  const parts: string[] = [];
  if (resources?.requests !== undefined && Object.keys(resources.requests).length > 0) parts.push(`requests ${describeResourceList(resources.requests)}`);
  if (resources?.limits !== undefined && Object.keys(resources.limits).length > 0) parts.push(`limits ${describeResourceList(resources.limits)}`);
  return parts.length === 0 ? 'no requests or limits' : parts.join('; ');
}
