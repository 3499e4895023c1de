// Token claims and signatures: claims decoded from the payload only, the signature verified with
// the JWKS key of the token's kid (RS256 and ES256), and every way a token can be wrong named.
import { expect } from 'chai';
import { keyPair, signToken } from './token-keys.js';
import { parseJwks, tokenClaims, tokenLifetime, verifyTokenSignature } from '../../../src/iam/jwt.js';

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('iam: ServiceAccount token claims and signatures', () => {
  const { privateKey, jwks } = keyPair('k1');
  const payload = { iss: 'https://kubernetes.default.svc.cluster.local', sub: 'system:serviceaccount:ns:irsa', aud: ['sts.amazonaws.com'], iat: 1000, exp: 87400, 'kubernetes.io': { pod: { name: 'irsa-0' } } };

  it('GIVEN a token THEN its claims and lifetime come from the payload; a string aud becomes a list', () => {
    expect(tokenClaims(signToken(payload, privateKey, 'k1'))).to.deep.equal({ iss: payload.iss, sub: payload.sub, aud: ['sts.amazonaws.com'], iat: 1000, exp: 87400, pod: 'irsa-0' });
    expect(tokenClaims(signToken({ ...payload, aud: 'x' }, privateKey, 'k1')).aud).to.deep.equal(['x']);
    expect(tokenLifetime(tokenClaims(signToken(payload, privateKey, 'k1')))).to.equal(86400);
    expect(tokenLifetime({ aud: [] })).to.equal(undefined);
  });

  it('GIVEN something that is no JWT THEN a sentence that does not quote it', () => {
    expect(() => tokenClaims('secret-ish-value')).to.throw(/not a JWT \(1 parts, expected 3\)/);
    expect(() => tokenClaims('secret-ish-value')).not.to.throw(/secret-ish/);
    expect(() => tokenClaims('a.bm90IGpzb24.c')).to.throw(/payload is not a JSON object/);
  });

  it('GIVEN the cluster key THEN valid, for RS256 and ES256', () => {
    expect(verifyTokenSignature(signToken(payload, privateKey, 'k1'), jwks)).to.deep.equal({ valid: true, kid: 'k1' });
    const ec = keyPair('e1', 'ec');
    expect(verifyTokenSignature(signToken(payload, ec.privateKey, 'e1', 'ES256'), ec.jwks)).to.deep.equal({ valid: true, kid: 'e1' });
  });

  it('GIVEN another key, an unknown kid, a changed payload or alg none THEN invalid with the reason', () => {
    const other = keyPair('k1');
    expect(verifyTokenSignature(signToken(payload, other.privateKey, 'k1'), jwks)).to.deep.equal({ valid: false, reason: 'the signature does not verify with the cluster\'s key k1' });
    expect(verifyTokenSignature(signToken(payload, privateKey, 'k9'), jwks)).to.deep.include({ valid: false, reason: 'no key with kid k9 in the cluster\'s JWKS (1 keys)' });
    const [h, , s] = signToken(payload, privateKey, 'k1').split('.');
    expect(verifyTokenSignature(`${h}.${b64({ ...payload, sub: 'system:serviceaccount:ns:admin' })}.${s}`, jwks).valid).to.equal(false);
    expect(verifyTokenSignature(`${b64({ alg: 'none' })}.${b64(payload)}.`, jwks)).to.deep.equal({ valid: false, reason: 'the token is signed with none, which the cluster\'s keys cannot verify' });
  });

  it('GIVEN a JWKS document THEN its keys; GIVEN anything else THEN a sentence', () => {
    expect(parseJwks(JSON.stringify(jwks)).keys).to.have.length(1);
    expect(() => parseJwks('<html>')).to.throw(/not JSON/);
    expect(() => parseJwks('{}')).to.throw(/no keys array/);
  });
});
