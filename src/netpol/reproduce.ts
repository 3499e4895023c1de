// A command a person can paste to re-run one probe by hand.
//
// Default tool: agnhost `connect` (the command upstream netpol e2e runs). It reports WHY a
// connection failed (TIMEOUT, REFUSED, DNS, OTHER), so a broken probe is not mistaken for a
// block, and for UDP it waits for the server's reply (the probe pods run agnhost serve-hostname,
// which answers), so silence really means dropped. busybox `nc` is offered as a fallback for
// images without agnhost; for UDP it can only prove reachability (a reply is printed), never a
// block, and it has no SCTP.
import type { Probe } from './probe.js';
import { execContainer, findExternal, findPod, realNamespace, type Topology } from './topology.js';

export type ProbeTool = 'agnhost' | 'nc';

export interface ReproduceOptions {
  tool?: ProbeTool;
  /** Connect timeout in seconds; default 1, as upstream e2e. */
  timeoutSeconds?: number;
  /** Path of the agnhost binary in the probe image; default `/agnhost`. */
  agnhostPath?: string;
}

function hostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/** The destination address, or a shell substitution that looks it up when it is not known. */
function targetAddress(probe: Probe, topology: Topology): string {
  const pod = findPod(topology, probe.to);
  if (pod !== undefined) {
    return pod.ip ?? `$(kubectl get pod -n ${realNamespace(topology, pod.namespace)} ${pod.name} -o jsonpath='{.status.podIP}')`;
  }
  const external = findExternal(topology, probe.to);
  if (external === undefined) throw new Error(`reproduceCommand: "${probe.to}" is not in the topology`);
  if (external.ip !== undefined) return external.ip;
  if (external.pod !== undefined) {
    const selector = Object.entries(external.pod.labels).map(([k, v]) => `${k}=${v}`).join(',');
    return `$(kubectl get pods -n ${external.pod.namespace} -l ${selector} -o jsonpath='{.items[0].status.podIP}')`;
  }
  throw new Error(`reproduceCommand: external target "${probe.to}" has no IP to probe`);
}

/** e.g. `kubectl exec -n ka-r1-x a -c cont-80-tcp -- /agnhost connect 10.0.0.7:80 --timeout=1s --protocol=tcp` */
export function reproduceCommand(probe: Probe, topology: Topology, options: ReproduceOptions = {}): string {
  const source = findPod(topology, probe.from);
  if (source === undefined) throw new Error(`reproduceCommand: source "${probe.from}" is not a topology pod`);
  const timeout = options.timeoutSeconds ?? 1;
  const address = targetAddress(probe, topology);
  const exec = `kubectl exec -n ${realNamespace(topology, source.namespace)} ${source.name} -c ${execContainer(source)} --`;
  const external = findExternal(topology, probe.to);
  if (external?.dnsServer === true && probe.protocol === 'UDP') {
    // A UDP probe of a DNS server needs a real query; connect's payload gets no answer.
    return `${exec} nslookup -timeout=${timeout} kubernetes.default.svc.cluster.local ${address}`;
  }
  const tool = probe.protocol === 'SCTP' ? 'agnhost' : options.tool ?? 'agnhost';
  if (tool === 'nc') {
    return probe.protocol === 'UDP'
      // The payload is piped in locally (exec -i) so an address substitution also runs locally.
      ? `echo hostname | ${exec.replace('kubectl exec ', 'kubectl exec -i ')} nc -u -w ${timeout} ${address} ${probe.port}`
      : `${exec} nc -z -w ${timeout} ${address} ${probe.port}`;
  }
  const agnhost = options.agnhostPath ?? '/agnhost';
  return `${exec} ${agnhost} connect ${hostPort(address, probe.port)} --timeout=${timeout}s --protocol=${probe.protocol.toLowerCase()}`;
}
