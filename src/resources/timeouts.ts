// Named timeouts of the resources suite (declared with it in suites/resources/suite.ts). Like
// every timeout they scale with --timeout-scale and their names appear in every timeout message.
import { deadlinesOf } from '../cluster/timeouts.js';

export const RESOURCES_TIMEOUTS = {
  quotaStatus: { ms: 30_000, description: 'a new ResourceQuota reports its hard limits and used amounts (the quota controller computed it)' },
  quotaEvent: { ms: 60_000, description: 'a ReplicaSet refused by a quota records the refusal as an event' },
  oomKill: { ms: 90_000, description: 'a container allocating past its memory limit is OOM-killed and restarted' },
  throttle: { ms: 30_000, description: 'a container spinning under a CPU limit is counted as throttled by its cgroup' },
  metricsRecover: { ms: 60_000, description: 'a running metrics-server pod that is not Ready yet (starting, or starved on a busy node) becomes Ready, and a node it dropped after a failed scrape is back in NodeMetrics' },
  podMetrics: { ms: 90_000, description: 'metrics-server reports PodMetrics for a new pod (it scrapes every 15 s and needs two samples)' },
  hpaActive: { ms: 90_000, description: 'a new HorizontalPodAutoscaler reports ScalingActive=True (it has read CPU metrics of its target)' },
  hpaScaleUp: { ms: 120_000, description: 'an HPA raises the replica count of a Deployment under load' },
} as const;

export type ResourcesTimeout = keyof typeof RESOURCES_TIMEOUTS;

export const resourcesDeadline = deadlinesOf(RESOURCES_TIMEOUTS);
