// A stand-in for the parts of kube-apiserver the claim watchdog reads: one claim, its events,
// StorageClasses, pods and Deployments. Tests change `state` while the watchdog polls.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CoreV1Event, V1Deployment, V1PersistentVolumeClaim, V1Pod, V1StorageClass } from '@kubernetes/client-node';

export interface StorageState {
  claim: V1PersistentVolumeClaim;
  events: CoreV1Event[];
  classes: V1StorageClass[];
  pods: V1Pod[];
  deployments: V1Deployment[];
}

export interface FakeStorageApi {
  url: string;
  state: StorageState;
  requests: string[];
  close(): Promise<void>;
}

const list = (kind: string, items: unknown[]): unknown => ({ apiVersion: 'v1', kind, metadata: { resourceVersion: '1' }, items });

export async function startFakeStorageApi(state: StorageState): Promise<FakeStorageApi> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(url.pathname);
    const send = (code: number, body: unknown): void => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const path = url.pathname;
    if (path === `/api/v1/namespaces/ns/persistentvolumeclaims/${state.claim.metadata?.name ?? ''}`) return send(200, { apiVersion: 'v1', kind: 'PersistentVolumeClaim', ...state.claim });
    if (path === '/api/v1/namespaces/ns/events') return send(200, list('EventList', state.events));
    if (path === '/apis/storage.k8s.io/v1/storageclasses') return send(200, list('StorageClassList', state.classes));
    if (path === '/api/v1/namespaces/ns/pods' || path === '/api/v1/pods') {
      const selector = url.searchParams.get('labelSelector');
      const [key, value] = (selector ?? '').split('=');
      const pods = selector === null ? state.pods : state.pods.filter((p) => key !== undefined && p.metadata?.labels?.[key] === value);
      return send(200, list('PodList', pods));
    }
    const pod = /^\/api\/v1\/namespaces\/ns\/pods\/([^/]+)$/.exec(path);
    if (pod !== null) {
      const found = state.pods.find((p) => p.metadata?.name === pod[1]);
      return found === undefined ? send(404, { kind: 'Status', code: 404, message: 'not found' }) : send(200, { apiVersion: 'v1', kind: 'Pod', ...found });
    }
    if (path === '/apis/apps/v1/deployments') return send(200, list('DeploymentList', state.deployments));
    return send(404, { kind: 'Status', code: 404, message: `no route ${path}` });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
