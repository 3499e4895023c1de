// One request to the API server with a hard time limit, returning the HTTP status, body and
// warnings instead of throwing: a node that answers 403 or 503, or not at all, is a finding to
// report with its status, not an exception. Used for the kubelet's /configz behind
// nodes/NAME/proxy (GET), and for dry-run namespace relabels, whose answer that matters is in
// their Warning headers, which the generated client does not return (PATCH).
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { errorSentence } from '../cluster/api-errors.js';

export type GetOutcome =
  | { kind: 'answered'; status: number; body: string; warnings?: string[] }
  | { kind: 'timeout'; ms: number }
  | { kind: 'no-answer'; error: string };

/** Reads `path` (e.g. /api/v1/nodes/n1/proxy/configz) of the kubeconfig's server. */
export type ApiGet = (path: string, timeoutMs: number, signal?: AbortSignal) => Promise<GetOutcome>;

const MAX_BODY = 4 * 1024 * 1024;

export interface ApiRequest {
  method: 'GET' | 'PATCH';
  path: string;
  /** JSON body and its content type (a PATCH's patch type). */
  body?: { contentType: string; data: unknown };
}

/** Sends requests to the kubeconfig's server; see ApiGet for the outcome. */
export type ApiSend = (request: ApiRequest, timeoutMs: number, signal?: AbortSignal) => Promise<GetOutcome>;

/** The texts of HTTP Warning headers (RFC 7234: `299 - "text"`), one per header. */
export function warningTexts(rawHeaders: readonly string[]): string[] {
  const texts: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if ((rawHeaders[i] as string).toLowerCase() !== 'warning') continue;
    const m = /^\d{3} \S+ "((?:[^"\\]|\\.)*)"/.exec(rawHeaders[i + 1] as string);
    texts.push(m?.[1] === undefined ? (rawHeaders[i + 1] as string) : m[1].replace(/\\(.)/g, '$1'));
  }
  return texts;
}

export function apiGet(kc: KubeConfig): ApiGet {
  const send = apiSend(kc);
  return (path, timeoutMs, signal) => send({ method: 'GET', path }, timeoutMs, signal);
}

export function apiSend(kc: KubeConfig): ApiSend {
  return async ({ method, path, body }, timeoutMs, signal) => {
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
    const payload = body === undefined ? undefined : JSON.stringify(body.data);
    const headers = { ...options.headers, Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': body.contentType }) };
    return new Promise<GetOutcome>((resolve) => {
      let settled = false;
      const finish = (outcome: GetOutcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
      const req = send(url, { ...options, method, headers }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_BODY) chunks.push(chunk);
        });
        res.on('end', () => {
          const warnings = warningTexts(res.rawHeaders);
          finish({ kind: 'answered', status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ...(warnings.length === 0 ? {} : { warnings }) });
        });
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
      req.end(payload);
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
