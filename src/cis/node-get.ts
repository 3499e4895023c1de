// One GET through the API server with a hard time limit, returning the HTTP status and body
// instead of throwing: a node that answers 403 or 503, or not at all, is a finding to report with
// its status, not an exception. Used for the kubelet's /configz behind nodes/NAME/proxy.
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { errorSentence } from '../cluster/api-errors.js';

export type GetOutcome =
  | { kind: 'answered'; status: number; body: string }
  | { kind: 'timeout'; ms: number }
  | { kind: 'no-answer'; error: string };

/** Reads `path` (e.g. /api/v1/nodes/n1/proxy/configz) of the kubeconfig's server. */
export type ApiGet = (path: string, timeoutMs: number, signal?: AbortSignal) => Promise<GetOutcome>;

const MAX_BODY = 4 * 1024 * 1024;

export function apiGet(kc: KubeConfig): ApiGet {
  return async (path, timeoutMs, signal) => {
    const server = kc.getCurrentCluster()?.server;
    if (server === undefined) return { kind: 'no-answer', error: 'the kubeconfig names no server' };
    // Keep a path prefix of the server URL (clusters behind a proxy path).
    const url = new URL(`${server.replace(/\/+$/, '')}${path}`);
    const options: RequestOptions = {};
    try {
      await kc.applyToHTTPSOptions(options);
    } catch (err) {
      return { kind: 'no-answer', error: `credentials could not be prepared: ${errorSentence(err)}` };
    }
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    return new Promise<GetOutcome>((resolve) => {
      let settled = false;
      const finish = (outcome: GetOutcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
      const req = send(url, { ...options, method: 'GET', headers: { ...options.headers, Accept: 'application/json' } }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_BODY) chunks.push(chunk);
        });
        res.on('end', () => finish({ kind: 'answered', status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (err) => finish({ kind: 'no-answer', error: errorSentence(err) }));
      });
      const timer = setTimeout(() => {
        req.destroy();
        finish({ kind: 'timeout', ms: timeoutMs });
      }, timeoutMs);
      const onAbort = (): void => {
        req.destroy();
        finish({ kind: 'no-answer', error: 'the check was stopped' });
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (err) => finish({ kind: 'no-answer', error: errorSentence(err) }));
      req.end();
    });
  };
}

/** The `message` of a Kubernetes Status body, or the body's first line. */
export function answerMessage(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { message?: unknown }).message === 'string') return (parsed as { message: string }).message;
  } catch {
    // not JSON: the proxy's own text
  }
  const line = body.trim().split('\n')[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

/** Runs `work` over `items`, at most `limit` at a time, keeping the order of `items`. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
