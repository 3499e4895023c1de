// The waits a suite cannot avoid, measured from outside: while one of its pods is starting (or
// restarting its container) or one of its claims is waiting for a volume, the cluster, not the
// harness, is the bottleneck. The union of those intervals is the floor for the suite's wall
// time; the bench reports wall time next to it. Pure: fed with watch events and timestamps.
import type { V1PersistentVolumeClaim, V1Pod } from '@kubernetes/client-node';
import { RUN_ID_LABEL } from '../cluster/labels.js';
import { isPodRunningAndReady } from '../cluster/pods.js';

export type WaitKind = 'pod-start' | 'volume-bind';

export interface WaitInterval {
  kind: WaitKind;
  /** Run id label of the object, to keep other runs on the same cluster out. */
  runId?: string;
  namespace: string;
  name: string;
  start: number;
  end: number;
  /** The object was deleted (or the observation ended) before it was ready/bound. */
  unfinished: boolean;
}

interface Open {
  kind: WaitKind;
  runId?: string;
  namespace: string;
  name: string;
  since: number;
}

export class WaitTracker {
  private readonly open = new Map<string, Open>();
  private readonly done: WaitInterval[] = [];

  private observe(kind: WaitKind, type: string, meta: { uid?: string; name?: string; namespace?: string; labels?: Record<string, string> }, settled: boolean, now: number): void {
    const key = `${kind}/${meta.uid ?? `${meta.namespace ?? ''}/${meta.name ?? ''}`}`;
    const current = this.open.get(key);
    if (type === 'DELETED' || !settled) {
      if (type === 'DELETED') {
        if (current !== undefined) this.close(key, current, now, true);
        return;
      }
      if (current === undefined) this.open.set(key, { kind, runId: meta.labels?.[RUN_ID_LABEL], namespace: meta.namespace ?? '?', name: meta.name ?? '?', since: now });
      return;
    }
    if (current !== undefined) this.close(key, current, now, false);
  }

  private close(key: string, o: Open, now: number, unfinished: boolean): void {
    this.open.delete(key);
    this.done.push({ kind: o.kind, runId: o.runId, namespace: o.namespace, name: o.name, start: o.since, end: now, unfinished });
  }

  /** A pod is waited for from its creation (or a container exit) until it is Running and Ready. */
  observePod(type: string, pod: V1Pod, now: number): void {
    const settled = isPodRunningAndReady(pod) || pod.metadata?.deletionTimestamp !== undefined || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    this.observe('pod-start', type, pod.metadata ?? {}, settled, now);
  }

  /** A claim is waited for from its creation until it is Bound. */
  observeClaim(type: string, claim: V1PersistentVolumeClaim, now: number): void {
    const settled = claim.status?.phase === 'Bound' || claim.metadata?.deletionTimestamp !== undefined;
    this.observe('volume-bind', type, claim.metadata ?? {}, settled, now);
  }

  /** Finished intervals plus the still-open ones cut at `now`. */
  intervals(now: number): WaitInterval[] {
    const open = [...this.open.values()].map((o) => ({ kind: o.kind, runId: o.runId, namespace: o.namespace, name: o.name, start: o.since, end: now, unfinished: true }));
    return [...this.done, ...open];
  }
}

/** Total time covered by at least one interval (overlaps counted once). */
export function unionMs(intervals: ReadonlyArray<Pick<WaitInterval, 'start' | 'end'>>): number {
  const sorted = [...intervals].filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  let total = 0;
  let curStart = Number.NaN;
  let curEnd = Number.NaN;
  for (const i of sorted) {
    if (Number.isNaN(curStart) || i.start > curEnd) {
      if (!Number.isNaN(curStart)) total += curEnd - curStart;
      curStart = i.start;
      curEnd = i.end;
    } else if (i.end > curEnd) {
      curEnd = i.end;
    }
  }
  if (!Number.isNaN(curStart)) total += curEnd - curStart;
  return total;
}

/** Suite of a test namespace (`<prefix>-<suite>-<check>-<hash>`), for grouping. */
export function suiteOfNamespace(namespace: string, suites: readonly string[], prefix = 'ka'): string | undefined {
  return suites.find((s) => namespace.startsWith(`${prefix}-${s}-`));
}
