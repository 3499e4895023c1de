// ServiceAccount tokens a probe pod holds, judged without ever showing them: the claims are
// decoded (payload only goes into results) and the signature is verified against the cluster's
// JWKS (/openid/v1/jwks), so a token the webhook's audience claims but the cluster did not sign
// is caught. Pure, on node:crypto.
import { createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';

export interface TokenClaims {
  iss?: string;
  sub?: string;
  aud: string[];
  iat?: number;
  exp?: number;
  /** kubernetes.io.pod.name, when the token is bound to a pod. */
  pod?: string;
}

export interface Jwks {
  keys: Array<JsonWebKey & { kid?: string; alg?: string }>;
}

export type SignatureCheck = { valid: true; kid: string } | { valid: false; reason: string };

function decodeSegment(segment: string | undefined, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment ?? '', 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // falls through to the error below
  }
  throw new Error(`the token's ${what} is not a JSON object`);
}

/** The claims of a JWT (no verification). Throws a sentence, never quoting the token. */
export function tokenClaims(token: string): TokenClaims {
  const parts = token.trim().split('.');
  if (parts.length !== 3) throw new Error(`the token is not a JWT (${parts.length} parts, expected 3)`);
  const p = decodeSegment(parts[1], 'payload');
  const aud = typeof p.aud === 'string' ? [p.aud] : Array.isArray(p.aud) ? p.aud.filter((a): a is string => typeof a === 'string') : [];
  const k8s = p['kubernetes.io'] as { pod?: { name?: unknown } } | undefined;
  return {
    aud,
    ...(typeof p.iss === 'string' ? { iss: p.iss } : {}),
    ...(typeof p.sub === 'string' ? { sub: p.sub } : {}),
    ...(typeof p.iat === 'number' ? { iat: p.iat } : {}),
    ...(typeof p.exp === 'number' ? { exp: p.exp } : {}),
    ...(typeof k8s?.pod?.name === 'string' ? { pod: k8s.pod.name } : {}),
  };
}

/** Lifetime in seconds (exp - iat), undefined when either is missing. */
export function tokenLifetime(claims: TokenClaims): number | undefined {
  return claims.exp !== undefined && claims.iat !== undefined ? claims.exp - claims.iat : undefined;
}

const ALGORITHMS: Record<string, { hash: string; ec?: boolean }> = {
  RS256: { hash: 'sha256' }, RS384: { hash: 'sha384' }, RS512: { hash: 'sha512' },
  ES256: { hash: 'sha256', ec: true }, ES384: { hash: 'sha384', ec: true }, ES512: { hash: 'sha512', ec: true },
};

/** Verifies the token's signature with the key of its `kid` in `jwks`. */
export function verifyTokenSignature(token: string, jwks: Jwks): SignatureCheck {
  const parts = token.trim().split('.');
  if (parts.length !== 3) return { valid: false, reason: 'the token is not a JWT' };
  let header: Record<string, unknown>;
  try {
    header = decodeSegment(parts[0], 'header');
  } catch (err) {
    return { valid: false, reason: (err as Error).message };
  }
  const alg = typeof header.alg === 'string' ? header.alg : '';
  const algorithm = ALGORITHMS[alg];
  if (algorithm === undefined) return { valid: false, reason: `the token is signed with ${alg || 'no algorithm'}, which the cluster's keys cannot verify` };
  const kid = typeof header.kid === 'string' ? header.kid : undefined;
  const candidates = jwks.keys.filter((k) => kid === undefined || k.kid === kid);
  if (candidates.length === 0) return { valid: false, reason: `no key with kid ${kid ?? '(none)'} in the cluster's JWKS (${jwks.keys.length} keys)` };
  const data = Buffer.from(`${parts[0]}.${parts[1]}`);
  const signature = Buffer.from(parts[2] ?? '', 'base64url');
  for (const jwk of candidates) {
    let key: KeyObject;
    try {
      key = createPublicKey({ key: jwk, format: 'jwk' });
    } catch {
      continue;
    }
    const ok = verify(algorithm.hash, data, algorithm.ec === true ? { key, dsaEncoding: 'ieee-p1363' } : key, signature);
    if (ok) return { valid: true, kid: jwk.kid ?? '(no kid)' };
  }
  return { valid: false, reason: `the signature does not verify with the cluster's key${kid === undefined ? 's' : ` ${kid}`}` };
}

/** Parses a JWKS document; throws a sentence when it is not one. */
export function parseJwks(body: string): Jwks {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new Error('the JWKS document is not JSON');
  }
  const keys = (value as { keys?: unknown }).keys;
  if (!Array.isArray(keys)) throw new Error('the JWKS document has no keys array');
  return { keys: keys.filter((k): k is Jwks['keys'][number] => typeof k === 'object' && k !== null) };
}
