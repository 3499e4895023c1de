// Services: manifests, endpoint readiness from EndpointSlices, and the request loop a client
// pod runs to see which backends answer (the verdict on it is in src/harness/service-expect.ts).
import type { V1EndpointSlice, V1Service } from '@kubernetes/client-node';
import { createWithContext } from './create.js';
import type { ClusterClients } from './client.js';
import type { Labels } from './labels.js';
import { watchUntil, type Deadline } from './wait.js';

export function clusterIpService(spec: { name: string; namespace: string; labels: Labels; selector: Labels; port: number; targetPort: number }): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: spec.name, namespace: spec.namespace, labels: spec.labels },
    spec: { type: 'ClusterIP', selector: spec.selector, ports: [{ name: 'http', port: spec.port, targetPort: spec.targetPort, protocol: 'TCP' }] },
  };
}

export function createService(clients: ClusterClients, svc: V1Service): Promise<V1Service> {
  const ns = svc.metadata?.namespace ?? '';
  return createWithContext('service', `${ns}/${svc.metadata?.name ?? '?'}`, () => clients.core.createNamespacedService({ namespace: ns, body: svc }));
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
