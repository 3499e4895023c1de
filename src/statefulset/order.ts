// Ordered start, judged from the sequence of pod events a watch delivered (in resourceVersion
// order, so no clock is involved): under OrderedReady, pod N must not even be created before
// pod N-1 is Running and Ready.
import type { V1Pod } from '@kubernetes/client-node';
import { isPodRunningAndReady } from '../cluster/pods.js';

export type TransitionKind = 'created' | 'ready' | 'unready' | 'deleted';

export interface PodTransition {
  pod: string;
  uid: string;
  kind: TransitionKind;
  /** Position in the watch stream, from 0. */
  seq: number;
}

/** What the recorder remembers per pod UID between events. */
export type PodStates = Map<string, { pod: string; ready: boolean }>;

/** Turns one watch event into transitions, updating `states`. A pod recreated under the same
 *  name has a new UID and so starts over with `created`. */
export function applyPodEvent(states: PodStates, type: string, pod: V1Pod, nextSeq: () => number): PodTransition[] {
  const uid = pod.metadata?.uid ?? '';
  const name = pod.metadata?.name ?? '?';
  const out: PodTransition[] = [];
  const known = states.get(uid);
  if (type === 'DELETED') {
    if (known !== undefined) {
      states.delete(uid);
      out.push({ pod: name, uid, kind: 'deleted', seq: nextSeq() });
    }
    return out;
  }
  if (type !== 'ADDED' && type !== 'MODIFIED') return out;
  const ready = isPodRunningAndReady(pod) && pod.metadata?.deletionTimestamp === undefined;
  if (known === undefined) {
    states.set(uid, { pod: name, ready: false });
    out.push({ pod: name, uid, kind: 'created', seq: nextSeq() });
  }
  const state = states.get(uid);
  if (state !== undefined && state.ready !== ready) {
    state.ready = ready;
    out.push({ pod: name, uid, kind: ready ? 'ready' : 'unready', seq: nextSeq() });
  }
  return out;
}

export interface OrderVerdict {
  violations: string[];
  /** `web-0 created, web-0 ready, web-1 created, ...` for the report. */
  sequence: string[];
}

/** Checks that each of `pods` (in ordinal order) was created and became Ready, and that each
 *  was created only after the previous one was Ready. `transitions` may contain other pods. */
export function orderedStartViolations(transitions: readonly PodTransition[], pods: readonly string[]): OrderVerdict {
  const relevant = transitions.filter((t) => pods.includes(t.pod));
  const violations: string[] = [];
  const firstOf = (pod: string, kind: TransitionKind): PodTransition | undefined => relevant.find((t) => t.pod === pod && t.kind === kind);
  pods.forEach((pod, i) => {
    const created = firstOf(pod, 'created');
    const ready = relevant.find((t) => t.pod === pod && t.kind === 'ready' && (created === undefined || t.uid === created.uid));
    if (created === undefined) violations.push(`${pod} was never created`);
    else if (ready === undefined) violations.push(`${pod} never became Ready`);
    const previous = pods[i - 1];
    if (previous === undefined || created === undefined) return;
    const previousReady = firstOf(previous, 'ready');
    if (previousReady === undefined || previousReady.seq > created.seq) {
      violations.push(`${pod} was created before ${previous} was Ready`);
    }
  });
  return { violations, sequence: relevant.map((t) => `${t.pod} ${t.kind}`) };
}

/** True when every pod in `pods` has a `ready` transition in `transitions`. */
export function allReadyRecorded(transitions: readonly PodTransition[], pods: readonly string[]): boolean {
  return pods.every((pod) => transitions.some((t) => t.pod === pod && t.kind === 'ready'));
}
