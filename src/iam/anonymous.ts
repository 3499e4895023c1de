// iam/anonymous-api: requests to the API server with no credentials at all. Discovery and the
// namespace list must be refused (401/403); the version and health endpoints may answer, and
// what they answer is reported. The verdict is pure; the requests use the cluster's CA only.
import { KubeConfig } from '@kubernetes/client-node';
import { rawRequest } from './raw-request.js';

export const MUST_REFUSE = ['/api', '/apis', '/api/v1/namespaces'] as const;
export const MAY_ANSWER = ['/version', '/healthz', '/livez', '/readyz'] as const;

export interface AnonymousAnswer {
  path: string;
  /** HTTP status, or the network error code when no answer came. */
  status: number | string;
}

/** The same cluster (server, CA, TLS settings) with a user that carries no credentials. */
export function anonymousConfig(kc: KubeConfig): KubeConfig {
  const cluster = kc.getCurrentCluster();
  if (cluster === null) throw new Error('the kubeconfig has no current cluster');
  const anon = new KubeConfig();
  anon.loadFromOptions({
    clusters: [cluster],
    users: [{ name: 'anonymous' }],
    contexts: [{ name: 'anonymous', cluster: cluster.name, user: 'anonymous' }],
    currentContext: 'anonymous',
  });
  return anon;
}

export async function anonymousRequest(kc: KubeConfig, path: string): Promise<AnonymousAnswer> {
  const answer = await rawRequest(anonymousConfig(kc), 'GET', path);
  return { path, status: answer.status };
}

export interface AnonymousVerdict {
  /** Paths that must be refused but answered. */
  answered: AnonymousAnswer[];
  /** Requests that got no HTTP answer: the probe failed, nothing is proven. */
  unanswered: AnonymousAnswer[];
  rows: string[][];
}

export function judgeAnonymous(answers: readonly AnonymousAnswer[]): AnonymousVerdict {
  const mustRefuse = new Set<string>(MUST_REFUSE);
  const unanswered = answers.filter((a) => typeof a.status !== 'number');
  const answered = answers.filter((a) => mustRefuse.has(a.path) && typeof a.status === 'number' && a.status !== 401 && a.status !== 403);
  const rows = answers.map((a) => {
    const expected = mustRefuse.has(a.path) ? '401 or 403' : 'may answer';
    const verdict = typeof a.status !== 'number' ? 'no answer' : answered.includes(a) ? 'ANSWERED' : mustRefuse.has(a.path) ? 'refused' : a.status === 200 ? 'answers (reported)' : 'refused';
    return [a.path, expected, String(a.status), verdict];
  });
  return { answered, unanswered, rows };
}
