// Reading a HorizontalPodAutoscaler (autoscaling/v2): its conditions, the CPU utilisation it
// last computed, its behaviour settings as the API server defaulted them, and a timeline of the
// replica counts it reported. Pure, so the timeline and the messages are unit-tested.
import type { V2HorizontalPodAutoscaler, V2HPAScalingRules } from '@kubernetes/client-node';

export type HpaConditionType = 'AbleToScale' | 'ScalingActive' | 'ScalingLimited';

export function hpaCondition(hpa: V2HorizontalPodAutoscaler, type: HpaConditionType): { status: string; reason?: string; message?: string } | undefined {
  const c = hpa.status?.conditions?.find((x) => x.type === type);
  return c === undefined ? undefined : { status: c.status, reason: c.reason, message: c.message };
}

/** `ScalingActive=False (FailedGetResourceMetric: ...)`, for messages. */
export function describeCondition(hpa: V2HorizontalPodAutoscaler, type: HpaConditionType): string {
  const c = hpaCondition(hpa, type);
  if (c === undefined) return `${type} not reported yet`;
  return `${type}=${c.status}${c.reason === undefined ? '' : ` (${c.reason}${c.message === undefined ? '' : `: ${c.message}`})`}`;
}

export function isScalingActive(hpa: V2HorizontalPodAutoscaler | undefined): boolean {
  return hpa !== undefined && hpaCondition(hpa, 'ScalingActive')?.status === 'True';
}

/** The average CPU utilisation (% of requests) the HPA last computed, if it reports one. */
export function cpuUtilisation(hpa: V2HorizontalPodAutoscaler): number | undefined {
  const metric = hpa.status?.currentMetrics?.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu');
  return metric?.resource?.current.averageUtilization;
}

export interface TimelineEntry {
  /** Milliseconds since the timeline's origin (the load start). */
  atMs: number;
  current: number;
  desired: number;
  cpuPercent?: number;
}

/** Replica counts over time: one entry each time what the HPA reports changes. */
export class ReplicaTimeline {
  readonly entries: TimelineEntry[] = [];
  constructor(private readonly originMs: number) {}

  record(hpa: V2HorizontalPodAutoscaler, nowMs: number): void {
    const entry: TimelineEntry = { atMs: nowMs - this.originMs, current: hpa.status?.currentReplicas ?? 0, desired: hpa.status?.desiredReplicas ?? 0, cpuPercent: cpuUtilisation(hpa) };
    const last = this.entries[this.entries.length - 1];
    if (last !== undefined && last.current === entry.current && last.desired === entry.desired && last.cpuPercent === entry.cpuPercent) return;
    this.entries.push(entry);
  }

  /** When the HPA first asked for more than `from` replicas, relative to the origin. */
  raisedAtMs(from: number): number | undefined {
    return this.entries.find((e) => e.desired > from)?.atMs;
  }

  rows(): string[][] {
    return this.entries.map((e) => [`${(e.atMs / 1000).toFixed(1)} s`, String(e.current), String(e.desired), e.cpuPercent === undefined ? 'unknown' : `${e.cpuPercent}%`]);
  }
}

/** What the HPA controller does when a direction's behaviour is not set (autoscaling/v2 docs). */
const CONTROLLER_DEFAULTS = {
  up: 'unset: controller default, no stabilization window; at most 100 % or 4 pod(s) per 15 s, whichever is more',
  down: 'unset: controller default, stabilization window 300 s; at most 100 % per 15 s',
};

function rulesText(rules: V2HPAScalingRules | undefined, direction: 'up' | 'down'): string {
  if (rules === undefined) return CONTROLLER_DEFAULTS[direction];
  const policies = (rules.policies ?? []).map((p) => `${p.value} ${p.type === 'Percent' ? '%' : 'pod(s)'} per ${p.periodSeconds} s`).join(', ');
  return `stabilization window ${rules.stabilizationWindowSeconds ?? 'default'} s; policies ${policies || 'none'}; select ${rules.selectPolicy ?? 'Max'}${rules.tolerance === undefined ? '' : `; tolerance ${rules.tolerance}`}`;
}

/** The behaviour rows the check reports (scale-down is not waited for: it stabilises for 5 min). */
export function behaviourRows(hpa: V2HorizontalPodAutoscaler): string[][] {
  return [
    ['scale up', rulesText(hpa.spec?.behavior?.scaleUp, 'up')],
    ['scale down', rulesText(hpa.spec?.behavior?.scaleDown, 'down')],
  ];
}
