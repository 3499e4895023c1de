// Pod manifests for the probe topology. Kept next to the topology so the names policies refer
// to (pod labels, container port names such as serve-80-tcp) and the names the cluster gets can
// never drift apart. Pure data: creating, waiting and cleanup belong to the cluster layer.
import type { V1Container, V1Pod, V1Probe } from '@kubernetes/client-node';
import { probeContainerSpec, probePodSpec } from '../cluster/probe-spec.js';
import type { PullPolicy } from '../config/types.js';
import type { Labels } from './labels.js';
import { containerName, realNamespace, type ServedPort, type Topology, type TopologyPod } from './topology.js';

export interface ProbePodOptions {
  /** Image holding agnhost (the probe image of the testbed, or registry.k8s.io/e2e-test-images/agnhost). */
  image: string;
  /** Path of agnhost in the image; default `/agnhost`. */
  agnhostPath?: string;
  /** Labels added to every pod (ownership and run-id labels). */
  labels?: Labels;
  /** Default IfNotPresent: offline clusters (like the testbed) have the image imported locally. */
  imagePullPolicy?: PullPolicy;
  /** Adds the in-pod probe agent (see agentContainer) listening on this port; none when unset. */
  agentPort?: number;
}

/** Name of the in-pod probe agent container. */
export const AGENT_CONTAINER = 'agent';
/** Default agent port: clear of the ports probe topologies serve (80-82, DNS 53). */
export const DEFAULT_AGENT_PORT = 8079;

/**
 * The in-pod probe agent: agnhost netexec, whose /dial endpoint sends a UDP datagram to a
 * target and returns the reply (or the error) as JSON. Asked over loopback by the batched probe
 * script, it dials from a goroutine instead of starting a 60 MB agnhost process per UDP probe.
 * No containerPort is declared, so it never appears among the ports policies can name.
 */
export function agentContainer(port: number, options: ProbePodOptions): V1Container {
  const agnhost = options.agnhostPath ?? '/agnhost';
  return probeContainerSpec({
    name: AGENT_CONTAINER,
    image: options.image,
    pullPolicy: options.imagePullPolicy,
    command: [agnhost, 'netexec', `--http-port=${port}`, '--udp-port=-1'],
    startupProbe: { tcpSocket: { port }, periodSeconds: 1, timeoutSeconds: 3, failureThreshold: 120 },
  });
}

/**
 * Proof that the server listens, so that "nothing listening" (which reads REFUSED, like an
 * enforcer's reject) can never pass for a block. A startup probe rather than a readiness probe:
 * it gates Ready exactly once and then stops, so 45 exec probes do not keep running all suite
 * long, and a policy that isolates the pod later cannot flip it to NotReady. TCP: the kubelet
 * connects. UDP/SCTP: the kubelet cannot probe them, so agnhost connects from inside the pod
 * over loopback (no policy applies there) and waits for the server's reply.
 */
export function listeningProbe(port: ServedPort, agnhost = '/agnhost'): V1Probe {
  const timing = { periodSeconds: 1, timeoutSeconds: 3, failureThreshold: 120 };
  if (port.protocol === 'TCP') return { tcpSocket: { port: port.port }, ...timing };
  return { exec: { command: [agnhost, 'connect', `127.0.0.1:${port.port}`, `--protocol=${port.protocol.toLowerCase()}`, '--timeout=1s'] }, ...timing };
}

/** One server container per served port, as upstream netpol e2e runs them. */
export function serverContainer(port: ServedPort, options: ProbePodOptions): V1Container {
  const agnhost = options.agnhostPath ?? '/agnhost';
  const base: V1Container = probeContainerSpec({
    name: containerName(port.port, port.protocol),
    image: options.image,
    pullPolicy: options.imagePullPolicy,
    ports: [{ containerPort: port.port, name: port.name, protocol: port.protocol }],
    startupProbe: listeningProbe(port, agnhost),
  });
  if (port.protocol === 'SCTP') {
    // agnhost porter serves SCTP on every port named by a SERVE_SCTP_PORT_<n> variable.
    return { ...base, command: [agnhost, 'porter'], env: [{ name: `SERVE_SCTP_PORT_${port.port}`, value: 'foo' }] };
  }
  // serve-hostname answers with the pod name, so a UDP probe gets a reply it can wait for.
  const flag = port.protocol === 'UDP' ? '--udp' : '--tcp';
  return { ...base, command: [agnhost, 'serve-hostname', flag, '--http=false', '--port', String(port.port)] };
}

export function probePodManifest(pod: TopologyPod, topology: Topology, options: ProbePodOptions): V1Pod {
  if (options.agentPort !== undefined && pod.ports.some((p) => p.port === options.agentPort && p.protocol === 'TCP')) {
    throw new Error(`probePodManifest: pod ${pod.id} serves ${options.agentPort}/TCP, the probe agent's port; pick another agentPort`);
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: pod.name, namespace: realNamespace(topology, pod.namespace), labels: { ...options.labels, ...pod.labels } },
    // Grace 0, not the probe default: lab pods are never replaced under their name, only removed
    // with their namespaces, so nothing waits on an orderly stop.
    spec: probePodSpec([
      ...pod.ports.map((port) => serverContainer(port, options)),
      ...(options.agentPort === undefined ? [] : [agentContainer(options.agentPort, options)]),
    ], { terminationGracePeriodSeconds: 0 }),
  };
}
