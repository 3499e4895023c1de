// The testbed's stand-in for eks-pod-identity-agent: it answers at 169.254.170.23:80 on
// GET /v1/credentials as the real agent does, with the EKS Auth API it calls replaced by a
// TokenReview against the API server and an association file (there is no EKS here):
//   Host header not 169.254.170.23 (or [fd00:ec2::23]) -> 403 (the agent's own check)
//   no Authorization header                          -> 400 "Service account token cannot be empty"
//   a token that is no JWT                           -> 400 (cannot be parsed)
//   a token the API server does not authenticate for the audience pods.eks.amazonaws.com
//                                                    -> 400 InvalidTokenException (EKS Auth's answer)
//   a valid token whose ServiceAccount has no association
//                                                    -> 404 ResourceNotFoundException (EKS Auth's answer)
//   otherwise 200 with fake credentials of the associated role (AccessKeyId, SecretAccessKey,
//   Token, AccountId, Expiration).
// Mode `no-token-check` (read from a file on every request) is the faulty agent: any request gets
// the credentials of the first association, with or without a token.
// Usage: node pod-identity-agent.mjs --listen IP:PORT --cert F --key F --ca F --api URL
//          --mode-file F --associations F
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { readAssociations } from './eks-identity-webhook.mjs';
import { hostPort, parseArgs } from './cli.mjs';

export const AGENT_HOSTS = ['169.254.170.23', 'fd00:ec2::23'];
export const AUDIENCE = 'pods.eks.amazonaws.com';
// Obviously fake, shaped like real ones (an ASIA key id), so masking is tested on the real shape.
export const FAKE_CREDENTIALS = {
  AccessKeyId: 'ASIAKASSAYPODIDENTQRS',
  SecretAccessKey: 'kassay/testbed/fake-pod-identity-secret',
  Token: 'kassay-testbed-fake-pod-identity-session-token',
};

function readFileOr(file, fallback) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

/** The host part of a Host header: `169.254.170.23:80` -> `169.254.170.23`, `[fd00:ec2::23]` -> `fd00:ec2::23`. */
export function hostOf(header) {
  const h = (header ?? '').trim();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  const i = h.lastIndexOf(':');
  return i > 0 && h.indexOf(':') === i ? h.slice(0, i) : h;
}

function looksLikeJwt(token) {
  const parts = token.split('.');
  if (parts.length !== 3) return false;
  try {
    return typeof JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) === 'object';
  } catch {
    return false;
  }
}

/**
 * The answer to one request, as { status, body }. `authenticate(token)` resolves to the
 * ServiceAccount ({namespace, name}) the API server authenticated for the audience, or undefined.
 */
export async function answer({ host, token, mode, associations, authenticate, now = new Date() }) {
  const creds = (association) => ({
    status: 200,
    body: JSON.stringify({
      ...FAKE_CREDENTIALS,
      AccountId: /^arn:aws:iam::(\d+):/.exec(association?.roleArn ?? '')?.[1] ?? '111122223333',
      Expiration: new Date(now.getTime() + 6 * 3600_000).toISOString(),
    }),
  });
  if (!AGENT_HOSTS.includes(hostOf(host))) {
    return { status: 403, body: `Access Denied. Called agent through invalid address, please use either [${AGENT_HOSTS.join(' ')}] address not ${hostOf(host)}` };
  }
  if (mode === 'no-token-check') return creds(associations[0]);
  if (token === undefined || token === '') return { status: 400, body: 'Service account token cannot be empty' };
  if (!looksLikeJwt(token)) return { status: 400, body: 'Service account token cannot be parsed' };
  const account = await authenticate(token);
  if (account === undefined) return { status: 400, body: '(InvalidTokenException): the service account token is not valid for pods.eks.amazonaws.com' };
  const association = associations.find((a) => a.namespace === account.namespace && a.serviceAccount === account.name);
  if (association === undefined) {
    return { status: 404, body: `(ResourceNotFoundException): no Pod Identity association for service account ${account.namespace}/${account.name}` };
  }
  return creds(association);
}

function main() {
  const args = parseArgs(process.argv.slice(2), ['listen', 'cert', 'key', 'ca', 'api', 'mode-file', 'associations']);
  const { host, port } = hostPort(args.listen);
  const tls = { cert: readFileSync(args.cert), key: readFileSync(args.key), ca: readFileSync(args.ca) };

  function authenticate(token) {
    return new Promise((resolve, reject) => {
      const body = JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token, audiences: [AUDIENCE] } });
      const req = https.request(new URL('/apis/authentication.k8s.io/v1/tokenreviews', args.api),
        { ...tls, method: 'POST', timeout: 3000, headers: { 'content-type': 'application/json' } }, (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => {
            if (res.statusCode !== 201 && res.statusCode !== 200) return reject(new Error(`TokenReview: ${res.statusCode}`));
            const status = JSON.parse(text).status ?? {};
            const m = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(status.user?.username ?? '');
            resolve(status.authenticated === true && (status.audiences ?? []).includes(AUDIENCE) && m ? { namespace: m[1], name: m[2] } : undefined);
          });
        });
      req.on('timeout', () => req.destroy(new Error('API server timeout')));
      req.on('error', reject);
      req.end(body);
    });
  }

  const server = http.createServer((req, res) => {
    req.resume();
    if (req.url === '/healthz') {
      res.end('ok');
      return;
    }
    if (req.method !== 'GET' || !req.url?.startsWith('/v1/credentials')) {
      res.writeHead(404).end('not found\n');
      return;
    }
    const mode = readFileOr(args['mode-file'], 'safe').trim();
    const associations = readAssociations(args.associations);
    answer({ host: req.headers.host, token: req.headers.authorization, mode, associations, authenticate }).then(
      (a) => res.writeHead(a.status, { 'content-type': a.status === 200 ? 'application/json' : 'text/plain' }).end(a.body),
      (err) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${err.message}\n`),
    );
  });
  server.keepAliveTimeout = 2_000;
  // busybox nc half-closes after sending the request; answer it all the same.
  server.httpAllowHalfOpen = true;
  server.listen(port, host, () => console.log(`pod-identity-agent listening on ${args.listen}`));
}

if (process.argv[1]?.endsWith('pod-identity-agent.mjs') && process.argv.length > 2) main();
