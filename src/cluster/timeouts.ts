// Every wait in kube-assay has a name and a base duration; --timeout-scale multiplies them all.
// A timeout error always names the timeout, so a user knows which knob a slow cluster needs.
import { formatDuration } from '../report/format.js';

/** Re-exported so that the cluster layer's callers keep one import for waits and their words. */
export { formatDuration };

export const BASE_TIMEOUTS_MS = {
  /** One API request that should answer quickly (preflight /version, a single GET). */
  apiRequest: 15_000,
  /** A new namespace has its default ServiceAccount (pods cannot be created before). */
  namespaceReady: 30_000,
  /** A pod is scheduled, its image present and its containers running (and Ready if probed). */
  podStart: 120_000,
  /** A pod that has no node yet gets a scheduler decision (bound, or marked Unschedulable);
   *  a running kube-scheduler decides in well under a second. */
  schedulerSilence: 15_000,
  /** A container keeps failing to pull its image (ErrImagePull, ImagePullBackOff) this long,
   *  counted from the first failure seen: the pull will not succeed by waiting. */
  imagePull: 30_000,
  /** A pod is gone after deletion. */
  podDelete: 60_000,
  /** One exec into a container returns. */
  exec: 30_000,
  /** A container that exited is running again (kubelet restart). */
  containerRestart: 90_000,
  /** A Service's EndpointSlices list all ready backends. */
  serviceEndpoints: 60_000,
  /** Requests through a Service reach every backend. */
  serviceRouting: 30_000,
  /** Cluster DNS resolves a name to the expected address. */
  dnsResolve: 30_000,
  /** A Deployment rollout completes. */
  deploymentRollout: 120_000,
  /** A Job reaches the Complete condition. */
  jobComplete: 120_000,
  /** Namespaces of a run are gone after deletion (end-of-run and cleanup command). */
  namespaceDelete: 180_000,
  /** Whole budget of one check, including its setup. */
  check: 300_000,
  /** A suite-level setup hook (shared fixtures). */
  suiteSetup: 300_000,
} as const;

export type TimeoutName = keyof typeof BASE_TIMEOUTS_MS;

/** One named timeout of a suite's own table (declared with the suite). */
export interface TimeoutSpec {
  ms: number;
  /** What the deadline bounds. */
  description: string;
}

export type TimeoutTable<T extends string> = Readonly<Record<T, TimeoutSpec>>;

/** A named deadline from a suite's table, scaled like every timeout. */
export function tableDeadline<T extends string>(timeouts: Timeouts, table: TimeoutTable<T>, name: T): { name: T; ms: number } {
  return { name, ms: timeouts.custom(table[name].ms) };
}

/** The deadline function of one suite's table, e.g. `storageDeadline(t.timeouts, 'volumeBind')`. */
export function deadlinesOf<T extends string>(table: TimeoutTable<T>): (timeouts: Timeouts, name: T) => { name: T; ms: number } {
  return (timeouts, name) => tableDeadline(timeouts, table, name);
}

export class Timeouts {
  readonly scale: number;
  constructor(scale = 1) {
    if (!(scale > 0)) throw new Error(`timeout scale must be positive, got ${scale}`);
    this.scale = scale;
  }

  /** Scaled milliseconds of a named timeout. */
  ms(name: TimeoutName): number {
    return Math.round(BASE_TIMEOUTS_MS[name] * this.scale);
  }

  /** Scaled milliseconds of a suite's own timeout that is not in the shared table. */
  custom(baseMs: number): number {
    return Math.round(baseMs * this.scale);
  }

  /** `dnsResolve (30s)`, for messages. */
  label(name: TimeoutName): string {
    return `${name} (${formatDuration(this.ms(name))})`;
  }
}
