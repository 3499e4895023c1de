// Is the API server ready? A server that just restarted answers 401/403 for a few seconds
// (its authenticators and RBAC authorizer have not synced yet) and says so on /readyz, so a
// refusal is transient exactly while /readyz is not 200. Asked only after a 401/403.
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

const READYZ_TIMEOUT_MS = 2000;

export async function serverReady(kc: KubeConfig): Promise<boolean> {
  const server = kc.getCurrentCluster()?.server;
  if (server === undefined) return false;
  const url = new URL('/readyz', server);
  const options: RequestOptions = {};
  try {
    await kc.applyToHTTPSOptions(options);
  } catch {
    return false;
  }
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve) => {
    const req = send(url, { ...options, method: 'GET', timeout: READYZ_TIMEOUT_MS }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}
