// The one place probe pod specs and containers get their defaults, whoever builds them (plain
// probe pods, Deployments, Jobs, StatefulSets, the netpol lab and expectation pods). Pure data.
//
// - Grace period 1 s: probes run sh or agnhost, which ignore SIGTERM as PID 1, so a longer grace
//   period would only slow every pod replacement and namespace deletion. Callers whose pods are
//   never replaced under the same name (the netpol lab) pass 0 explicitly.
// - No service account token and no service links: probes talk to the network, not to the API.
// - No privilege escalation; image pull policy from the config, IfNotPresent when not given
//   (offline clusters such as the testbed import the image locally).
// - Resources only where a caller asks for them: most probes are short-lived and tiny, and a
//   memory limit would count in-memory emptyDir writes against them.
import type { V1Container, V1PodSpec, V1SecurityContext } from '@kubernetes/client-node';
import type { PullPolicy } from '../config/types.js';

/** Grace period of probe pods unless a caller says otherwise (see above). */
export const PROBE_GRACE_SECONDS = 1;

export const PROBE_SECURITY_CONTEXT: Readonly<V1SecurityContext> = { allowPrivilegeEscalation: false };

export type ProbeContainerInit = Omit<V1Container, 'imagePullPolicy' | 'image'> & {
  name: string;
  image: string;
  pullPolicy?: PullPolicy;
};

/** A probe container: the caller's fields over the shared defaults. */
export function probeContainerSpec(init: ProbeContainerInit): V1Container {
  const { pullPolicy, ...container } = init;
  return { securityContext: { ...PROBE_SECURITY_CONTEXT }, ...container, imagePullPolicy: pullPolicy ?? 'IfNotPresent' };
}

/** A probe pod spec: the shared defaults, then `overrides` (e.g. an explicit grace period). */
export function probePodSpec(containers: V1Container[], overrides: Omit<V1PodSpec, 'containers'> = {}): V1PodSpec {
  return {
    terminationGracePeriodSeconds: PROBE_GRACE_SECONDS,
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    ...overrides,
    containers,
  };
}
