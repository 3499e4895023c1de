// Records pod transitions (created, ready, unready, deleted) of a label selector from one
// continuous watch, started before the StatefulSet exists, so the order the API server saw is
// the order recorded. A watch that ends is resumed from the last resourceVersion; if that has
// expired the recorder re-lists and notes a gap, because order across a gap is unknown.
import { Watch, type V1Pod } from '@kubernetes/client-node';
import type { ClusterClients } from '../cluster/client.js';
import { pause, type Deadline } from '../cluster/wait.js';
import { applyPodEvent, type PodStates, type PodTransition } from './order.js';

export class PodTransitionRecorder {
  readonly transitions: PodTransition[] = [];
  /** Why the record may be incomplete (watch history expired). */
  readonly gaps: string[] = [];
  private readonly states: PodStates = new Map();
  private seq = 0;
  private resourceVersion = '';
  private stopped = false;
  private abortWatch: (() => void) | undefined;
  private listeners: Array<() => void> = [];

  private constructor(
    private readonly clients: ClusterClients,
    private readonly namespace: string,
    private readonly labelSelector: string,
  ) {}

  static async start(clients: ClusterClients, namespace: string, labelSelector: string): Promise<PodTransitionRecorder> {
    const recorder = new PodTransitionRecorder(clients, namespace, labelSelector);
    await recorder.relist();
    recorder.resume();
    return recorder;
  }

  /** Position to slice from later (`since(mark)`). */
  mark(): number {
    return this.transitions.length;
  }

  since(mark: number): PodTransition[] {
    return this.transitions.slice(mark);
  }

  /** Calls `fn` after every recorded event (to wake up waiters). Returns the unsubscribe. */
  onChange(fn: () => void): () => void {
    this.listeners.push(fn);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== fn);
    };
  }

  /** Resolves true once `done(transitions)` holds, false when the deadline passes first. The
   *  recorder's watch can trail another watch that just saw the same event by a few ms, so a
   *  caller that waited elsewhere settles here before judging the record. */
  settle(done: (transitions: readonly PodTransition[]) => boolean, deadline: Deadline): Promise<boolean> {
    if (done(this.transitions)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (held: boolean): void => {
        clearTimeout(timer);
        unsubscribe();
        resolve(held);
      };
      const timer = setTimeout(() => finish(false), deadline.ms);
      const unsubscribe = this.onChange(() => {
        if (done(this.transitions)) finish(true);
      });
    });
  }

  stop(): void {
    this.stopped = true;
    this.abortWatch?.();
  }

  private apply(type: string, pod: V1Pod): void {
    this.transitions.push(...applyPodEvent(this.states, type, pod, () => this.seq++));
    for (const l of this.listeners) l();
  }

  private async relist(): Promise<void> {
    const list = await this.clients.core.listNamespacedPod({ namespace: this.namespace, labelSelector: this.labelSelector });
    const seen = new Set<string>();
    for (const pod of list.items) {
      seen.add(pod.metadata?.uid ?? '');
      this.apply('MODIFIED', pod);
    }
    for (const [uid, state] of [...this.states]) {
      if (!seen.has(uid)) this.apply('DELETED', { metadata: { uid, name: state.pod } });
    }
    this.resourceVersion = list.metadata?.resourceVersion ?? '';
  }

  private resume(): void {
    if (this.stopped) return;
    let ended = false;
    const restart = (expired: boolean): void => {
      if (ended) return;
      ended = true;
      if (this.stopped) return;
      void (async () => {
        await pause(expired ? 0 : 200).catch(() => undefined);
        if (expired) {
          this.gaps.push(`watch history expired at resourceVersion ${this.resourceVersion}: re-listed, order across the gap unknown`);
          await this.relist().catch(() => undefined);
        }
        this.resume();
      })();
    };
    new Watch(this.clients.kc)
      .watch(
        `/api/v1/namespaces/${this.namespace}/pods`,
        { labelSelector: this.labelSelector, resourceVersion: this.resourceVersion, allowWatchBookmarks: true },
        (type: string, obj: unknown) => {
          if (type === 'ERROR') {
            restart(true); // 410 Gone: the resourceVersion is too old
            return;
          }
          const pod = obj as V1Pod;
          const rv = pod.metadata?.resourceVersion;
          if (rv !== undefined) this.resourceVersion = rv;
          if (type !== 'BOOKMARK') this.apply(type, pod);
        },
        () => restart(false),
      )
      .then((controller) => {
        this.abortWatch = () => controller.abort();
        if (this.stopped) controller.abort();
      })
      .catch(() => restart(false));
  }
}
