// Test keys and tokens signed with them, shaped like the API server's (a JWKS with kid and alg).
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { Jwks } from '../../../src/iam/jwt.js';

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

export function signToken(payload: Record<string, unknown>, key: KeyObject, kid: string, alg: 'RS256' | 'ES256' = 'RS256'): string {
  const input = `${b64({ alg, kid })}.${b64(payload)}`;
  const signature = sign('sha256', Buffer.from(input), alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key);
  return `${input}.${signature.toString('base64url')}`;
}

export function keyPair(kid: string, type: 'rsa' | 'ec' = 'rsa'): { privateKey: KeyObject; jwks: Jwks } {
  const { privateKey, publicKey } = type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, jwks: { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: type === 'rsa' ? 'RS256' : 'ES256', use: 'sig' }] } };
}

