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
      // 200 is ready. A server that refuses /readyz itself (anonymous auth off, as CIS asks) is
      // up and judging requests, so its 401/403 are real; only 5xx or no answer is "starting".
      resolve(res.statusCode === 200 || res.statusCode === 401 || res.statusCode === 403);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}
