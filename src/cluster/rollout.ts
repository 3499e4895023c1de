// What a rollout left running: live pods grouped by their VERSION environment value.
import type { V1Pod } from '@kubernetes/client-node';
import type { ClusterClients } from './client.js';

export function versionOf(pod: V1Pod): string {
  return pod.spec?.containers[0]?.env?.find((e) => e.name === 'VERSION')?.value ?? '(none)';
}

export function groupByVersion(pods: readonly V1Pod[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp !== undefined || pod.status?.phase !== 'Running') continue;
    const v = versionOf(pod);
    out.set(v, [...(out.get(v) ?? []), pod.metadata?.name ?? '?']);
  }
  return out;
}

export async function podsOfVersion(clients: ClusterClients, namespace: string, labelSelector: string): Promise<Map<string, string[]>> {
  const pods = (await clients.core.listNamespacedPod({ namespace, labelSelector })).items;
  return groupByVersion(pods);
}
