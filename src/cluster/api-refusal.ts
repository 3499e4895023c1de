// One sentence for a request the API server answered with a final status (401, 403, 404, ...):
// which verb on which resource in which namespace was refused, and what would fix it. Waits end
// with it at once instead of asking again until their deadline.
import { apiStatusCode, apiStatusMessage, httpReason } from './api-errors.js';

export interface Collection {
  /** API group, '' for the core group. */
  group: string;
  resource: string;
  /** Undefined for a cluster-wide collection. */
  namespace?: string;
}

/** Reads a collection path such as `/api/v1/namespaces/ns/pods` or
 *  `/apis/apps/v1/namespaces/ns/deployments` or `/api/v1/persistentvolumes`. */
export function collectionOfPath(path: string): Collection {
  const parts = path.split('?')[0]?.split('/').filter((p) => p !== '') ?? [];
  const rest = parts[0] === 'api' ? parts.slice(2) : parts.slice(3);
  const group = parts[0] === 'apis' ? (parts[1] ?? '') : '';
  if (rest[0] === 'namespaces' && rest.length >= 3) return { group, resource: rest[2] ?? '?', namespace: rest[1] };
  return { group, resource: rest[0] ?? '?' };
}

/** `watch pods`, `list deployments.apps`: the way RBAC rules and preflight name a right. */
export function rightOf(verb: string, c: Collection): string {
  return `${verb} ${c.group === '' ? c.resource : `${c.resource}.${c.group}`}`;
}

function where(c: Collection): string {
  return c.namespace === undefined ? 'cluster-wide' : `in namespace ${c.namespace}`;
}

/** `403 Forbidden: pods is forbidden: ...`, or just `403 Forbidden` when the answer had no
 *  Status message (a refused watch: the client does not read its body). */
function statusText(status: number, message: string | undefined): string {
  const reason = httpReason(status);
  return message === undefined || message === reason ? `${status} ${reason}` : `${status} ${reason}: ${message}`;
}

/** The sentence for `verb` on the collection at `path` refused with `status`. */
export function refusalSentence(verb: string, path: string, status: number, message?: string): string {
  const c = collectionOfPath(path);
  const right = rightOf(verb, c);
  const head = `cannot ${verb} ${c.group === '' ? c.resource : `${c.resource}.${c.group}`} ${where(c)} (${statusText(status, message)})`;
  if (status === 401) return `${head}: the API server rejected the credentials; refresh them or pick another --context.`;
  if (status === 403) {
    const binding = c.namespace === undefined ? 'a ClusterRole and ClusterRoleBinding' : `a Role and RoleBinding in ${c.namespace}, or a ClusterRole`;
    return `${head}: the identity lacks "${right}"; grant it (${binding}) or use another --context.`;
  }
  if (status === 404) return `${head}: the API server does not serve ${path}; check that the cluster's version and add-ons provide ${c.resource}.`;
  return `${head}: the API server refuses this request as sent, so asking again cannot help.`;
}

/** The sentence for an error thrown by a list or watch call, when it carries an HTTP status. */
export function refusalOf(verb: string, path: string, err: unknown): { status: number; sentence: string } | undefined {
  const status = apiStatusCode(err);
  if (status === undefined) return undefined;
  return { status, sentence: refusalSentence(verb, path, status, apiStatusMessage(err)) };
}
