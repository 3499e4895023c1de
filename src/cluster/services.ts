// Services: manifests, endpoint readiness from EndpointSlices, and routing observed from a
// client pod (which backends answer through the Service's ClusterIP).
import type { V1EndpointSlice, V1Service } from '@kubernetes/client-node';
import { CheckFailure } from '../harness/errors.js';
import { describeApiError } from './api-errors.js';
import type { ClusterClients } from './client.js';
import { execInContainer, kubectlExec, type ContainerRef } from './exec.js';
import type { Labels } from './labels.js';
import { pollUntil, watchUntil, type Deadline } from './wait.js';

export function clusterIpService(spec: { name: string; namespace: string; labels: Labels; selector: Labels; port: number; targetPort: number }): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: spec.name, namespace: spec.namespace, labels: spec.labels },
    spec: { type: 'ClusterIP', selector: spec.selector, ports: [{ name: 'http', port: spec.port, targetPort: spec.targetPort, protocol: 'TCP' }] },
  };
}

export async function createService(clients: ClusterClients, svc: V1Service): Promise<V1Service> {
  const ns = svc.metadata?.namespace ?? '';
  try {
    return await clients.core.createNamespacedService({ namespace: ns, body: svc });
  } catch (err) {
    throw new Error(describeApiError(`create service ${ns}/${svc.metadata?.name ?? '?'}`, err), { cause: err });
  }
}

/** Ready endpoint addresses (with their pod names) across a Service's EndpointSlices. */
export function readyEndpoints(slices: readonly V1EndpointSlice[]): Array<{ address: string; pod?: string }> {
  const out: Array<{ address: string; pod?: string }> = [];
  for (const slice of slices) {
    for (const ep of slice.endpoints) {
      if (ep.conditions?.ready === false) continue;
      for (const address of ep.addresses) out.push({ address, pod: ep.targetRef?.name });
    }
  }
  return out;
}

export async function waitForReadyEndpoints(clients: ClusterClients, namespace: string, service: string, count: number, deadline: Deadline, signal?: AbortSignal): Promise<Array<{ address: string; pod?: string }>> {
  const labelSelector = `kubernetes.io/service-name=${service}`;
  const slices = await watchUntil<V1EndpointSlice>(
    {
      kc: clients.kc,
      path: `/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices`,
      labelSelector,
      list: () => clients.discovery.listNamespacedEndpointSlice({ namespace, labelSelector }),
    },
    (items) => readyEndpoints(items).length >= count,
    {
      expectation: `service ${namespace}/${service} to have ${count} ready endpoints`,
      deadline,
      signal,
      describe: (items) => {
        if (items === undefined) return 'EndpointSlices never listed';
        const ready = readyEndpoints(items);
        return `${items.length} EndpointSlice(s), ${ready.length} ready endpoint(s): ${ready.map((e) => `${e.address} (${e.pod ?? '?'})`).join(', ') || 'none'}`;
      },
    },
  );
  return readyEndpoints(slices);
}

/** Builds a shell loop doing `requests` HTTP GETs with busybox/alpine wget, one answer per line.
 *  The timeout comes from `timeout`, not `wget -T`: Debian's static busybox wget crashes with -T. */
export function httpGetLoopCommand(url: string, requests: number): string[] {
  return ['sh', '-c', `i=0; while [ $i -lt ${requests} ]; do timeout 3 wget -q -O - '${url}' || echo "request-failed"; echo; i=$((i+1)); done`];
}

/** Sends batches of requests through `url` from a client pod until every expected backend has
 *  answered. Fails with what was expected, what answered and a command to reproduce. */
export async function expectAllBackendsAnswer(
  clients: ClusterClients,
  from: ContainerRef,
  url: string,
  expectedBackends: readonly string[],
  deadline: Deadline,
  execDeadline: Deadline,
  signal?: AbortSignal,
): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  let failures = 0;
  const command = httpGetLoopCommand(url, 10);
  try {
    await pollUntil(
      async () => {
        const result = await execInContainer(clients.kc, from, command, execDeadline, signal);
        for (const line of result.stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '')) {
          if (line === 'request-failed') failures += 1;
          else seen.set(line, (seen.get(line) ?? 0) + 1);
        }
        return seen;
      },
      (s) => expectedBackends.every((b) => s.has(b)),
      {
        expectation: `every backend (${expectedBackends.join(', ')}) to answer through ${url}`,
        deadline,
        signal,
        describe: () => `answers by backend: ${[...seen].map(([b, n]) => `${b}=${n}`).join(', ') || 'none'}; failed requests: ${failures}`,
      },
    );
  } catch (err) {
    if (!(err instanceof CheckFailure)) throw err;
    const missing = expectedBackends.filter((b) => !seen.has(b));
    throw new CheckFailure(
      `requests to ${url} from ${from.namespace}/${from.pod} did not reach ${missing.join(', ')}: expected answers from ${expectedBackends.join(', ')}, seen ${[...seen.keys()].join(', ') || 'no answer'} (${failures} failed requests)`,
      { details: `${err.details ?? err.message}\nreproduce: ${kubectlExec(from, command)}`, cause: err },
    );
  }
  return seen;
}
