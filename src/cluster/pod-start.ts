// Why a pod does not start, decided early and named: no scheduler acted on it (kube-scheduler
// down), or its image cannot be pulled (kubelet's own message). Pure: the caller observes the
// pod over time and asks again; the clock is passed in so tests set it.
import type { V1Pod } from '@kubernetes/client-node';
import { formatDuration } from './timeouts.js';

/** A component that a diagnosis found broken; later checks that need it stop at once. */
export type Component = 'kube-scheduler' | 'kube-controller-manager' | 'image-registry';

export interface PodStartProblem {
  component: Component;
  /** One sentence: what was seen and what it means. */
  sentence: string;
  remediation: string;
}

export interface PodStartLimits {
  /** How long an unscheduled pod may go without any scheduler decision. */
  schedulerSilence: { name: string; ms: number };
  /** How long a container may keep failing to pull its image. */
  imagePull: { name: string; ms: number };
}

const PULL_FAILURES = new Set(['ErrImagePull', 'ImagePullBackOff']);

export const SCHEDULER_REMEDIATION =
  'Check kube-scheduler: that it runs (a kube-system pod or a host process), holds its leader lease (kube-system/kube-scheduler) and reaches the API server; read its log. Pods stay Pending without a node until it is back.';
export const IMAGE_PULL_REMEDIATION =
  'Check that the image name and tag exist and that the nodes can reach its registry (DNS, proxy, credentials); on clusters that cannot pull from the default registry set images.probe to a mirror, and add imagePullSecrets for private registries.';

/** Tracks a pod across observations; `observe` returns a problem once one is certain. */
export class PodStartWatch {
  private pullFailingSince: number | undefined;
  /** When this watch first saw the pod unscheduled, by the local clock (the server's
   *  creationTimestamp is another clock: skew would blame a healthy scheduler). */
  private unscheduledSince: number | undefined;

  constructor(private readonly limits: PodStartLimits) {}

  observe(pod: V1Pod, now: number): PodStartProblem | undefined {
    const name = `${pod.metadata?.namespace ?? '?'}/${pod.metadata?.name ?? '?'}`;
    const scheduled = pod.spec?.nodeName !== undefined && pod.spec.nodeName !== '';
    // A scheduler that runs decides quickly: it binds the pod or marks it Unschedulable (a
    // PodScheduled condition). Neither after the silence timeout means no scheduler acted.
    const decided = (pod.status?.conditions ?? []).some((c) => c.type === 'PodScheduled');
    // Except for a pod with claims: with WaitForFirstConsumer the scheduler holds it, unbound and
    // without a condition, until the volume is provisioned (the claim watchdog judges that).
    const claims = (pod.spec?.volumes ?? []).some((v) => v.persistentVolumeClaim !== undefined || v.ephemeral !== undefined);
    const waiting = !scheduled && !decided && !claims;
    this.unscheduledSince = waiting ? (this.unscheduledSince ?? now) : undefined;
    if (this.unscheduledSince !== undefined && now - this.unscheduledSince >= this.limits.schedulerSilence.ms) {
      return {
        component: 'kube-scheduler',
        sentence: `no scheduler acted on pod ${name} within ${formatDuration(this.limits.schedulerSilence.ms)} (timeout ${this.limits.schedulerSilence.name}): it has no node and no PodScheduled condition, so kube-scheduler is not running or not working`,
        remediation: SCHEDULER_REMEDIATION,
      };
    }
    const failing = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].find((s) => PULL_FAILURES.has(s.state?.waiting?.reason ?? ''));
    if (failing === undefined) {
      this.pullFailingSince = undefined;
      return undefined;
    }
    this.pullFailingSince ??= now;
    if (now - this.pullFailingSince < this.limits.imagePull.ms) return undefined;
    const message = (failing.state?.waiting?.message ?? '').trim();
    return {
      component: 'image-registry',
      sentence: `container ${failing.name} of pod ${name} cannot pull image ${failing.image || '(unknown)'}: ${failing.state?.waiting?.reason ?? ''} for ${formatDuration(now - this.pullFailingSince)} (timeout ${this.limits.imagePull.name})${message ? `; the kubelet said: ${message}` : ''}`,
      remediation: IMAGE_PULL_REMEDIATION,
    };
  }
}
