// Which nodes the metadata and kubelet probes visit, and running a task per node with bounded
// concurrency. Pure except for the task the caller passes.
import type { V1Node } from '@kubernetes/client-node';
import { nodeReadiness } from '../cluster/nodes.js';

export interface ProbedNode {
  name: string;
  /** The node's InternalIP (the kubelet probes connect to it). */
  address?: string;
}

/** Ready nodes sorted by name, at most `sample` of them, spread evenly over the sorted list so a
 *  sample of a large cluster is not just its first pool. */
export function sampleNodes(nodes: readonly V1Node[], sample: number): ProbedNode[] {
  const ready = nodes.filter((n) => nodeReadiness(n).ready).map((n) => ({
    name: n.metadata?.name ?? '?',
    address: n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address,
  })).sort((a, b) => a.name.localeCompare(b.name));
  if (ready.length <= sample) return ready;
  const step = ready.length / sample;
  return Array.from({ length: sample }, (_, i) => ready[Math.floor(i * step)] as ProbedNode);
}

/** Runs `task` for every item, at most `limit` at once; results in input order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = { status: 'fulfilled', value: await task(items[i] as T) };
      } catch (reason) {
        results[i] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
