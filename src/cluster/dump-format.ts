// Pure formatting of what a failed check's namespace looked like: events as a table, pod status
// as readable text. Kept apart from the API calls so it is unit-tested without a cluster.
import type { CoreV1Event, V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import type { TableAttachment } from '../report/model.js';

function time(value: Date | string | undefined): string {
  if (value === undefined) return '';
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString().replace(/\.\d+Z$/, 'Z');
}

function eventTime(e: CoreV1Event): number {
  const t = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp;
  if (t === undefined) return 0;
  return (t instanceof Date ? t : new Date(t)).getTime();
}

export function eventsTable(namespace: string, events: readonly CoreV1Event[]): TableAttachment {
  const sorted = [...events].sort((a, b) => eventTime(a) - eventTime(b));
  return {
    kind: 'table',
    title: `events in ${namespace}`,
    columns: ['last seen', 'type', 'reason', 'object', 'count', 'message'],
    rows: sorted.map((e) => [
      time(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp),
      e.type ?? '',
      e.reason ?? '',
      `${e.involvedObject.kind ?? ''}/${e.involvedObject.name ?? ''}`,
      String(e.count ?? 1),
      (e.message ?? '').trim(),
    ]),
  };
}

/** A container's state in a few words: `running since T`, `waiting: REASON (message)`, `terminated: REASON exit N`. */
export function containerState(s: V1ContainerStatus): string {
  const st = s.state;
  if (st?.running) return st.running.startedAt === undefined ? 'running' : `running since ${time(st.running.startedAt)}`;
  if (st?.waiting) return `waiting: ${st.waiting.reason ?? ''}${st.waiting.message ? ` (${st.waiting.message})` : ''}`;
  if (st?.terminated) return `terminated: ${st.terminated.reason ?? ''} exit ${st.terminated.exitCode}${st.terminated.message ? ` (${st.terminated.message})` : ''}`;
  return 'unknown';
}

/** One line per pod plus indented condition and container lines, like a short `kubectl describe`. */
export function describePods(pods: readonly V1Pod[]): string {
  if (pods.length === 0) return '(no pods)';
  const lines: string[] = [];
  for (const pod of pods) {
    const status = pod.status;
    lines.push(`pod ${pod.metadata?.name ?? '?'}: phase ${status?.phase ?? 'unknown'}, node ${pod.spec?.nodeName ?? '(not scheduled)'}, IP ${status?.podIP ?? '-'}${status?.reason ? `, reason ${status.reason}` : ''}${status?.message ? ` (${status.message})` : ''}`);
    for (const c of status?.conditions ?? []) {
      lines.push(`  condition ${c.type}=${c.status}${c.reason ? ` ${c.reason}` : ''}${c.message ? `: ${c.message}` : ''}`);
    }
    for (const s of [...(status?.initContainerStatuses ?? []), ...(status?.containerStatuses ?? [])]) {
      lines.push(`  container ${s.name}: ${containerState(s)}, ready ${s.ready}, restarts ${s.restartCount}, image ${s.image}`);
      const last = s.lastState?.terminated;
      if (last) lines.push(`    last termination: ${last.reason ?? ''} exit ${last.exitCode} at ${time(last.finishedAt)}`);
    }
  }
  return lines.join('\n');
}

/** Which container logs to fetch: every container, plus the previous instance when it restarted. */
export function logTargets(pods: readonly V1Pod[]): Array<{ pod: string; container: string; previous: boolean }> {
  const targets: Array<{ pod: string; container: string; previous: boolean }> = [];
  for (const pod of pods) {
    const name = pod.metadata?.name;
    if (name === undefined) continue;
    const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    for (const s of statuses) {
      if (s.state?.waiting && s.restartCount === 0) continue; // never started: no logs to read
      targets.push({ pod: name, container: s.name, previous: false });
      if (s.restartCount > 0) targets.push({ pod: name, container: s.name, previous: true });
    }
  }
  return targets;
}
