// Reading errors that come out of @kubernetes/client-node: ApiException (HTTP status + body)
// and network errors from node-fetch/ws (with an errno code). The client's own messages embed
// whole response bodies and headers; these helpers turn them into one readable line.
import { ApiException } from '@kubernetes/client-node';

/** HTTP status of an API error, or undefined when the request never got an answer. */
export function apiStatusCode(err: unknown): number | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && isRecord(current); depth++) {
    if (current instanceof ApiException) return current.code;
    if (typeof current.code === 'number') return current.code;
    if (typeof current.statusCode === 'number') return current.statusCode;
    current = current.cause;
  }
  return undefined;
}

/** The errno-style code of a network failure (ECONNREFUSED, ETIMEDOUT, ...), if any. */
export function networkErrorCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && isRecord(current); depth++) {
    if (typeof current.code === 'string' && /^E[A-Z_]+$/.test(current.code)) return current.code;
    if (typeof current.errno === 'string' && /^E[A-Z_]+$/.test(current.errno)) return current.errno;
    current = current.cause;
  }
  return undefined;
}

const TLS_CODES = /^(SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|CERT_SIGNATURE_FAILURE|ERR_TLS_CERT_ALTNAME_INVALID|ERR_SSL_.*)$/;

/** The OpenSSL/Node code of a TLS verification failure (untrusted or mismatched certificate). */
export function tlsErrorCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && isRecord(current); depth++) {
    if (typeof current.code === 'string' && TLS_CODES.test(current.code)) return current.code;
    current = current.cause;
  }
  return undefined;
}

/** The `message` of a Kubernetes Status body, e.g. `pods "x" is forbidden: User "u" cannot ...`. */
export function apiStatusMessage(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && isRecord(current) && !(current instanceof ApiException); depth++) {
    current = current.cause;
  }
  if (!(current instanceof ApiException)) return undefined;
  let body: unknown = current.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      const text = String(body).trim();
      return text === '' ? undefined : text.slice(0, 300);
    }
  }
  if (isRecord(body) && typeof body.message === 'string') return body.message;
  return undefined;
}

/** `Retry-After` seconds sent with a 429/503, if present. */
export function retryAfterSeconds(err: unknown): number | undefined {
  if (!(err instanceof ApiException) || !isRecord(err.headers)) return undefined;
  const headers = err.headers as Record<string, unknown>;
  const value = headers['retry-after'] ?? headers['Retry-After'];
  const seconds = typeof value === 'string' ? Number.parseInt(value, 10) : Number.NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

/** One line describing an API or network error, prefixed with what was being done:
 *  `create pod ns/x: 403 pods "x" is forbidden: ...`. */
export function describeApiError(what: string, err: unknown): string {
  const status = apiStatusCode(err);
  if (status !== undefined) {
    const message = apiStatusMessage(err) ?? (err instanceof ApiException ? httpReason(status) : firstLine(err));
    return `${what}: ${status} ${message}`;
  }
  const code = networkErrorCode(err);
  const text = firstLine(err);
  return code !== undefined && !text.includes(code) ? `${what}: ${code} ${text}` : `${what}: ${text}`;
}

/** Wraps an API error with context; keeps the original as `cause` so status codes stay readable. */
export function withContext(what: string, err: unknown): Error {
  const wrapped = new Error(describeApiError(what, err), { cause: err });
  return wrapped;
}

export function isNotFound(err: unknown): boolean {
  return apiStatusCode(err) === 404;
}

/** The HTTP reason phrase of a status, e.g. `Forbidden` for 403. */
export function httpReason(status: number): string {
  const reasons: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    409: 'Conflict',
    422: 'Unprocessable Entity',
    429: 'Too Many Requests',
    500: 'Internal Server Error',
    503: 'Service Unavailable',
  };
  return reasons[status] ?? 'error';
}

/** One line for any error that reaches a person: an API error as verb-less status and the
 *  server's message (never the client's raw "HTTP-Code: ... Body: ..." dump), else its first line. */
export function errorSentence(err: unknown): string {
  if (err instanceof ApiException) return describeApiError('API request', err);
  return firstLine(err);
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0] ?? text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
