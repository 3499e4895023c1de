// One HTTP request to the API server with whatever identity a KubeConfig carries (none, or a
// tenant's token), answering with the status code: the suite probes refusals, so a 401/403 is
// the result, not an error to retry. Network failures come back as their error code.
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

const RAW_TIMEOUT_MS = 5000;

export interface RawAnswer {
  method: string;
  path: string;
  /** HTTP status, or the network error code when no answer came. */
  status: number | string;
  /** The reply body, only when the caller asks for it (never for replies that may carry secrets). */
  body?: string;
}

export async function rawRequest(kc: KubeConfig, method: string, path: string, options: { body?: unknown; keepBody?: boolean } = {}): Promise<RawAnswer> {
  const url = new URL(path, kc.getCurrentCluster()?.server);
  const request: RequestOptions = {};
  await kc.applyToHTTPSOptions(request);
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers = { ...(request.headers ?? {}), ...(payload === undefined ? {} : { 'content-type': 'application/json' }) };
  return new Promise((resolve) => {
    const req = send(url, { ...request, headers, method, timeout: RAW_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => { if (options.keepBody === true) chunks.push(c); });
      res.on('end', () => resolve({ method, path, status: res.statusCode ?? 0, ...(options.keepBody === true ? { body: Buffer.concat(chunks).toString('utf8') } : {}) }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ method, path, status: err.code ?? err.message }));
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.end(payload);
  });
}
