// A tiny stand-in for kube-apiserver: enough of /version, SelfSubjectReview,
// SelfSubjectAccessReview and nodes for preflight tests without a cluster, and any other route
// (lists, real streaming watches) a test adds with `route`.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeApi {
  url: string;
  requests: string[];
  /** The same requests, parsed, with the time each arrived (Date.now()). */
  log: FakeRequest[];
  close(): Promise<void>;
}

export interface FakeRequest {
  method: string;
  url: URL;
  body: string;
  at: number;
}

export interface FakeApiOptions {
  /** Which "verb resource[/subresource]" reviews are allowed; default all. */
  allowed?: (verb: string, resource: string) => boolean;
  status?: number;
  providerID?: string;
  /** Answers a request before the built-in routes; returns false to leave it to them. */
  route?: (req: FakeRequest, res: ServerResponse) => boolean;
}

export async function startFakeApi(options: FakeApiOptions = {}): Promise<FakeApi> {
  const requests: string[] = [];
  const log: FakeRequest[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      requests.push(`${req.method ?? '?'} ${req.url ?? '?'}`);
      const parsed: FakeRequest = { method: req.method ?? '?', url: new URL(req.url ?? '/', 'http://fake'), body, at: Date.now() };
      log.push(parsed);
      if (options.route?.(parsed, res) === true) return;
      const send = (code: number, value: unknown): void => {
        res.writeHead(code, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (options.status !== undefined) return send(options.status, { kind: 'Status', message: 'Unauthorized' });
      const url = req.url ?? '';
      if (url.startsWith('/version')) return send(200, { major: '1', minor: '36', gitVersion: 'v1.36.3', gitCommit: '', gitTreeState: '', buildDate: '', goVersion: 'go1.25', compiler: 'gc', platform: 'linux/amd64' });
      if (url.startsWith('/apis/authentication.k8s.io/v1/selfsubjectreviews')) return send(201, { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', status: { userInfo: { username: 'tester' } } });
      if (url.startsWith('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews')) {
        const review = JSON.parse(body) as { spec: { resourceAttributes: { verb: string; resource: string; subresource?: string } } };
        const a = review.spec.resourceAttributes;
        const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
        const allowed = options.allowed?.(a.verb, resource) ?? true;
        return send(201, { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: review.spec, status: { allowed } });
      }
      if (url.startsWith('/api/v1/nodes')) {
        return send(200, { apiVersion: 'v1', kind: 'NodeList', metadata: {}, items: [{ metadata: { name: 'n1' }, spec: { providerID: options.providerID } }] });
      }
      return send(404, { kind: 'Status', message: 'not found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    log,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // watch streams a test left open
      }),
  };
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Answers with a JSON body, e.g. a List or a Kubernetes Status. */
export function sendJson(res: ServerResponse, code: number, value: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

/** A Status body as the API server sends it with an error code. */
export function statusBody(code: number, reason: string, message: string): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Status', status: 'Failure', code, reason, message };
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: unknown;
}

/** Starts a watch response the way the API server does: 200, then one JSON event per line as
 *  they happen. `end()` closes the stream (the server's timeout, or a dropped connection). */
export function openWatch(res: ServerResponse): { send(event: WatchEvent): void; end(): void } {
  res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
  res.flushHeaders();
  return {
    send: (event) => void res.write(`${JSON.stringify(event)}\n`),
    end: () => void res.end(),
  };
}
