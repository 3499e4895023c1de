// resources/memory-limit-enforced: limits are enforced by the kernel, not just recorded. A
// container that allocates past its memory limit is OOM-killed (reason OOMKilled) and restarted;
// a container spinning under a CPU limit of 100m is throttled, as its own cgroup counts.
import type { V1Pod } from '@kubernetes/client-node';
import { PROBE_CONTAINER, waitForPod } from '../cluster/pods.js';
import { pollUntil, type Deadline } from '../cluster/wait.js';
import type { SetupContext } from '../harness/context.js';
import { containerOf, execOk, podStartLimits } from '../harness/probes.js';
import { waitForPodReady } from '../cluster/pods.js';
import { CGROUP_SCRIPT, parseCgroupReading, type CgroupReading } from './cgroup.js';
import { observation, type Observation } from './observations.js';
import { createResourcePod } from './pods.js';

export const MEMORY_LIMIT = '32Mi';
/** dd's block buffer, allocated and filled at once: twice the limit. */
const ALLOCATION = '64M';
export const CPU_LIMIT = '100m';
const CPU_POD_MEMORY_LIMIT = '48Mi';
/** Throttled periods (100 ms each by default) that prove the quota bites: one second's worth. */
export const THROTTLED_PERIODS_WANTED = 10;

export interface OomKill {
  restarts: number;
  reason: string;
  exitCode?: number;
}

/** The OOM kill as the container status tells it, or undefined while it has not happened. */
export function oomKill(pod: V1Pod): OomKill | undefined {
  const status = pod.status?.containerStatuses?.find((s) => s.name === PROBE_CONTAINER);
  const last = status?.lastState?.terminated ?? status?.state?.terminated;
  if (status === undefined || last === undefined) return undefined;
  return { restarts: status.restartCount, reason: last.reason ?? 'unknown', exitCode: last.exitCode };
}

/** SIGKILL: what the kernel's OOM killer sends. */
const SIGKILL_EXIT = 137;
/** Kills looked at before a SIGKILL without reason OOMKilled is taken as the OOM kill it is. */
const KILLS_WITHOUT_REASON = 2;

/**
 * Whether the wait for the kill is over. A first kill reported as SIGKILL without reason
 * OOMKilled is waited past once more: under load containerd can process the task's exit before
 * its OOM event and record reason Error, and the next kill usually carries the reason.
 */
export function oomKillSettled(kill: OomKill | undefined): boolean {
  if (kill === undefined || kill.restarts < 1) return false;
  return kill.reason === 'OOMKilled' || kill.exitCode !== SIGKILL_EXIT || kill.restarts >= KILLS_WITHOUT_REASON;
}

/**
 * The verdict on the kill. Reason OOMKilled passes. SIGKILL (exit code 137) on every one of
 * two kills, without the reason, passes with a warning: the probe has no probes and is not
 * deleted, so only the OOM killer sends it SIGKILL, and the memory limit held; what is missing
 * is the runtime's report. Anything else (exit 0: the allocation fit, no kill, another signal)
 * is wrong.
 */
export function judgeOomKill(kill: OomKill | undefined): { row: Observation; warning?: string } {
  const what = `container allocating ${ALLOCATION} under a ${MEMORY_LIMIT} memory limit`;
  const expected = 'terminated with reason OOMKilled and restarted';
  if (kill === undefined) return { row: observation(what, expected, 'no termination recorded', false) };
  const seen = `terminated with reason ${kill.reason} (exit code ${String(kill.exitCode)}), restarted ${kill.restarts} time(s)`;
  if (kill.reason === 'OOMKilled' && kill.restarts >= 1) return { row: observation(what, expected, seen, true) };
  if (kill.exitCode === SIGKILL_EXIT && kill.restarts >= KILLS_WITHOUT_REASON) {
    return {
      row: observation(what, expected, `${seen}: killed by SIGKILL each time, the runtime did not record the reason`, true),
      warning: `the memory limit held (the container was killed by SIGKILL ${kill.restarts} times, exit code 137), but the container runtime recorded reason ${kill.reason} instead of OOMKilled, so \`kubectl describe\` will not tell users why their pods restart; containerd can lose the OOM event under load: check its version and the node's load`,
    };
  }
  return { row: observation(what, expected, seen, false) };
}

async function memoryLimitEnforced(t: SetupContext, namespace: string, deadline: Deadline): Promise<{ row: Observation; warning?: string }> {
  t.step(`start pod oom (memory limit ${MEMORY_LIMIT}) that allocates ${ALLOCATION}`);
  await createResourcePod(t, namespace, 'oom', [
    {
      name: PROBE_CONTAINER,
      resources: { requests: { cpu: '10m', memory: MEMORY_LIMIT }, limits: { memory: MEMORY_LIMIT } },
      command: ['sh', '-c', `exec dd if=/dev/zero of=/dev/null bs=${ALLOCATION} count=1`],
    },
  ]);
  const pod = await waitForPod(
    t.clients,
    namespace,
    'oom',
    (p) => oomKillSettled(oomKill(p)),
    `container ${PROBE_CONTAINER} to be killed for exceeding its memory limit and restarted`,
    deadline,
    t.signal,
    () => undefined, // CrashLoopBackOff between the kills is expected
  );
  return judgeOomKill(oomKill(pod));
}

export interface ThrottleResult {
  row: Observation;
  limitRow: Observation;
  reading: CgroupReading;
}

async function cpuLimitEnforced(t: SetupContext, namespace: string, deadline: Deadline): Promise<ThrottleResult> {
  t.step(`start pod spinner (CPU limit ${CPU_LIMIT}) that spins without pause`);
  await createResourcePod(t, namespace, 'spinner', [
    { name: PROBE_CONTAINER, resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: CPU_LIMIT, memory: CPU_POD_MEMORY_LIMIT } }, command: ['sh', '-c', 'while :; do :; done'] },
  ]);
  await waitForPodReady(t.clients, namespace, 'spinner', t.deadline('podStart'), t.signal, podStartLimits(t));
  const target = containerOf(namespace, 'spinner');
  t.step(`read the container's cgroup until it was throttled for ${THROTTLED_PERIODS_WANTED} periods`);
  const reading = await pollUntil(
    async () => parseCgroupReading(await execOk(t, target, ['sh', '-c', CGROUP_SCRIPT], 'read the cgroup of spinner')),
    (r) => r.throttledPeriods >= THROTTLED_PERIODS_WANTED,
    {
      expectation: `the cgroup of ${namespace}/spinner to count ${THROTTLED_PERIODS_WANTED} throttled periods`,
      deadline,
      signal: t.signal,
      describe: (r) => (r === undefined ? 'cgroup never read' : describeReading(r)),
    },
  );
  const expectedCores = 0.1;
  return {
    reading,
    limitRow: observation(
      `cgroup v${reading.version} limits of a container with limits cpu ${CPU_LIMIT}, memory ${CPU_POD_MEMORY_LIMIT}`,
      `CPU quota ${expectedCores} cores, memory ${48 * 2 ** 20} bytes`,
      `CPU quota ${reading.cpuLimitCores ?? 'unlimited'} cores, memory ${reading.memoryLimitBytes ?? 'unlimited'} bytes`,
      reading.cpuLimitCores !== undefined && Math.abs(reading.cpuLimitCores - expectedCores) < 1e-9 && reading.memoryLimitBytes === 48 * 2 ** 20,
    ),
    row: observation(`container spinning under a CPU limit of ${CPU_LIMIT}`, `throttled in at least ${THROTTLED_PERIODS_WANTED} periods`, describeReading(reading), reading.throttledPeriods >= THROTTLED_PERIODS_WANTED),
  };
}

export function describeReading(r: CgroupReading): string {
  const share = r.periods > 0 ? ` (${Math.round((100 * r.throttledPeriods) / r.periods)}%)` : '';
  return `throttled in ${r.throttledPeriods} of ${r.periods} periods${share}, ${r.throttledSeconds.toFixed(2)} s in all`;
}

/** Both halves run at once: the OOM restart waits out a back-off while the spinner is read. */
export async function limitsEnforced(t: SetupContext, namespace: string, deadlines: { oomKill: Deadline; throttle: Deadline }): Promise<{ rows: Observation[]; reading: CgroupReading; warnings: string[] }> {
  const [memory, cpu] = await Promise.all([memoryLimitEnforced(t, namespace, deadlines.oomKill), cpuLimitEnforced(t, namespace, deadlines.throttle)]);
  return { rows: [memory.row, cpu.limitRow, cpu.row], reading: cpu.reading, warnings: memory.warning === undefined ? [] : [memory.warning] };
}
