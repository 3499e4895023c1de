// Is the API server ready? A server that just restarted answers 401/403 for a few seconds
// (its authenticators and RBAC authorizer have not synced yet) and its /readyz says so: not
// 200, often a 403 to our own identity for the same reason. A hardened server may refuse
// /readyz to us for good, though; so a 401/403 there means "starting" only when the same
// server already answered /readyz with 200 in this process (primed when clients are made).
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

const READYZ_TIMEOUT_MS = 2000;
const seenReady = new WeakMap<KubeConfig, boolean>();

async function readyzStatus(kc: KubeConfig): Promise<number | undefined> {
  const server = kc.getCurrentCluster()?.server;
  if (server === undefined) return undefined;
  const url = new URL('/readyz', server);
  const options: RequestOptions = {};
  try {
    await kc.applyToHTTPSOptions(options);
  } catch {
    return undefined;
  }
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve) => {
    const req = send(url, { ...options, method: 'GET', timeout: READYZ_TIMEOUT_MS }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(undefined));
    req.on('timeout', () => {
      req.destroy();
      resolve(undefined);
    });
    req.end();
  });
}

/** Asked after a 401/403: true when that refusal is the server's real answer, false while the
 *  server is still starting (5xx or no answer on /readyz, or a 401/403 there from a server that
 *  was ready before). */
export async function serverReady(kc: KubeConfig): Promise<boolean> {
  const status = await readyzStatus(kc);
  if (status === 200) {
    seenReady.set(kc, true);
    return true;
  }
  if (status === 401 || status === 403) return seenReady.get(kc) !== true;
  return false;
}

/** Remembers whether this server answers /readyz with 200 while healthy (at connect time). */
export async function primeReadiness(kc: KubeConfig): Promise<void> {
  if ((await readyzStatus(kc)) === 200) seenReady.set(kc, true);
}
