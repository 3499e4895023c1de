// The live Pod Security probe (CIS 5.2.1 "a mechanism is active", proven rather than assumed from
// labels): in a namespace labelled enforce=restricted, a privileged pod submitted with
// server-side dry-run must be refused with "violates PodSecurity", and a compliant one admitted.
// Dry-run changes nothing, so nothing is left to clean up besides the namespace.
import type { V1Pod } from '@kubernetes/client-node';
import { apiStatusCode, apiStatusMessage, errorSentence } from '../cluster/api-errors.js';
import type { ClusterClients } from '../cluster/client.js';
import type { Labels } from '../cluster/labels.js';
import { probeContainerSpec, probePodSpec } from '../cluster/probe-spec.js';

export type DryRunOutcome = { admitted: true } | { admitted: false; status?: number; message: string };

/** A pod no Pod Security level but privileged admits: privileged, host PID and network, host path. */
export function privilegedPod(name: string, image: string, labels: Labels): V1Pod {
  return {
    metadata: { name, labels },
    spec: probePodSpec([probeContainerSpec({ name: 'main', image, command: ['sleep', '3600'], securityContext: { privileged: true } })], {
      hostPID: true,
      hostNetwork: true,
      volumes: [{ name: 'host', hostPath: { path: '/' } }],
    }),
  };
}

/** A pod the restricted level admits. */
export function restrictedPod(name: string, image: string, labels: Labels): V1Pod {
  return {
    metadata: { name, labels },
    spec: probePodSpec(
      [
        probeContainerSpec({
          name: 'main',
          image,
          command: ['sleep', '3600'],
          securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 65534, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
        }),
      ],
      { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } },
    ),
  };
}

export async function dryRunCreatePod(clients: ClusterClients, namespace: string, pod: V1Pod): Promise<DryRunOutcome> {
  try {
    await clients.core.createNamespacedPod({ namespace, body: pod, dryRun: 'All' });
    return { admitted: true };
  } catch (err) {
    const status = apiStatusCode(err);
    if (status === undefined) throw err; // no answer: an infrastructure problem, not a verdict
    return { admitted: false, status, message: apiStatusMessage(err) ?? errorSentence(err) };
  }
}

/** Judges the two answers; undefined when Pod Security did what it must. */
export function judgeProbe(privileged: DryRunOutcome, compliant: DryRunOutcome, namespace: string): string | undefined {
  if (privileged.admitted) return `a privileged pod (hostPID, hostNetwork, a host path) submitted with dry-run to ${namespace}, labelled enforce=restricted, was admitted: Pod Security admission is not enforcing`;
  if (privileged.status !== 403 || !/violates PodSecurity/.test(privileged.message)) {
    return `the privileged pod was refused, but not by Pod Security (${privileged.status ?? '?'}: ${privileged.message}), so its enforcement is not shown`;
  }
  if (!compliant.admitted) return `a pod that meets the restricted level was refused in ${namespace} (${compliant.status ?? '?'}: ${compliant.message}), so the probe cannot tell enforcement from refusing everything`;
  return undefined;
}
