// The testbed's stand-in for kube2iam (a credential broker): kube2iam and kiam cannot be installed
// here, so this host process follows kube2iam's published contract instead.
// - Pod-bridge traffic to 169.254.169.254:80 is DNATed to it (lib/broker.sh adds the rule).
// - It finds the calling pod by its source IP (a list of pods by status.podIP through the API
//   server, on every request), takes the role from the pod annotation `iam.amazonaws.com/role`,
//   and checks it against the namespace annotation `iam.amazonaws.com/permitted`.
// - It answers GET /{version}/meta-data/iam/security-credentials[/] with the role name and
//   .../security-credentials/<role> with fake credentials for that role, with kube2iam's status
//   codes: 404 when no pod or no role is found or the namespace does not permit the role, 403
//   when a pod asks for another role than its own. Everything else is proxied to the metadata
//   service (imds-front), token PUTs included, as kube2iam's reverse proxy does.
// The mode is read from a file on every request, so `testbed broker MODE` switches it at once:
//   on               namespace restrictions on, patterns anchored, no default role (SAFE)
//   no-restrictions  the namespace allow-list is ignored (kube2iam without --namespace-restrictions)
//   default-role     unannotated pods get DEFAULT_ROLE (kube2iam --default-role)
//   unanchored       patterns match anywhere in the role (kube2iam --namespace-restriction-format regexp)
//   off              no DNAT rule, so no pod reaches it; requests that arrive anyway are proxied
// Usage: node credential-broker.mjs --listen IP:PORT --upstream IP:PORT --mode-file FILE --kubeconfig FILE
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { hostPort, parseArgs } from './cli.mjs';

const ROLE_ANNOTATION = 'iam.amazonaws.com/role';
const PERMITTED_ANNOTATION = 'iam.amazonaws.com/permitted';
const DEFAULT_ROLE = 'kassay-default-role';
const CREDENTIALS_ROUTE = /^\/[^/]+\/meta-data\/iam\/security-credentials(\/(.*))?$/;

const MODES = {
  off: { restrictions: true, anchored: true, defaultRole: undefined },
  on: { restrictions: true, anchored: true, defaultRole: undefined },
  'no-restrictions': { restrictions: false, anchored: true, defaultRole: undefined },
  'default-role': { restrictions: true, anchored: true, defaultRole: DEFAULT_ROLE },
  unanchored: { restrictions: true, anchored: false, defaultRole: undefined },
};

/** The API server and client identity of a kubeadm-written kubeconfig (one cluster, one user). */
function readKubeconfig(file) {
  const text = readFileSync(file, 'utf8');
  const field = (name) => text.match(new RegExp(`^\\s*${name}:\\s*(\\S+)\\s*$`, 'm'))?.[1];
  const data = (name) => (field(name) === undefined ? undefined : Buffer.from(field(name), 'base64'));
  const server = field('server');
  if (server === undefined) throw new Error(`no server in ${file}`);
  return { server: new URL(server), ca: data('certificate-authority-data'), cert: data('client-certificate-data'), key: data('client-key-data') };
}

function currentMode(file) {
  try {
    const mode = readFileSync(file, 'utf8').trim();
    return MODES[mode] === undefined ? 'on' : mode;
  } catch {
    return 'on';
  }
}

const args = parseArgs(process.argv.slice(2), ['listen', 'upstream', 'mode-file', 'kubeconfig']);
const listen = hostPort(args.listen);
const upstream = hostPort(args.upstream);
const api = readKubeconfig(args.kubeconfig);

function apiGet(path) {
  const client = api.server.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request({
      host: api.server.hostname, port: api.server.port, path, method: 'GET', timeout: 5_000,
      ca: api.ca, cert: api.cert, key: api.key, headers: { accept: 'application/json' },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        if (res.statusCode === 404) resolve(undefined);
        else if (res.statusCode !== 200) reject(new Error(`GET ${path}: ${res.statusCode}`));
        else resolve(JSON.parse(body));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path}: timeout`)));
    req.on('error', reject);
    req.end();
  });
}

/** The running pod-network pod with this IP (host-network pods share the node's IP: never them). */
async function podByIP(ip) {
  // An API server that cannot select pods by IP answers 400: then all pods are listed.
  const list = await apiGet(`/api/v1/pods?fieldSelector=${encodeURIComponent(`status.podIP=${ip}`)}`).catch(() => apiGet('/api/v1/pods'));
  return (list?.items ?? []).find((p) => p.status?.podIP === ip && p.spec?.hostNetwork !== true && !['Succeeded', 'Failed'].includes(p.status?.phase));
}

/** A namespace's allow-list: a JSON list of patterns, or one pattern. */
function allowedPatterns(value) {
  if (value === undefined || value.trim() === '') return [];
  try {
    const parsed = JSON.parse(value);
    if (Array.isArray(parsed)) return parsed.filter((p) => typeof p === 'string');
  } catch {
    // not JSON: the whole value is one regular expression
  }
  return [value.trim()];
}

function patternMatches(pattern, role, anchored) {
  try {
    return new RegExp(anchored ? `^(?:${pattern})$` : pattern).test(role);
  } catch {
    return false;
  }
}

class Refusal extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** kube2iam's role mapping: the pod's role (or the default), if its namespace permits it. */
async function roleMapping(ip, settings) {
  const pod = await podByIP(ip);
  if (pod === undefined) throw new Refusal(404, `unable to find pod with IP ${ip}`);
  const annotated = pod.metadata?.annotations?.[ROLE_ANNOTATION];
  const role = annotated ?? settings.defaultRole;
  if (role === undefined || role === '') throw new Refusal(404, `unable to find role for IP ${ip}`);
  const namespace = pod.metadata?.namespace ?? '';
  // As in kube2iam, the default role needs no namespace permission.
  if (!settings.restrictions || role === settings.defaultRole) return { role, namespace };
  const ns = await apiGet(`/api/v1/namespaces/${encodeURIComponent(namespace)}`);
  const patterns = allowedPatterns(ns?.metadata?.annotations?.[PERMITTED_ANNOTATION]);
  if (patterns.some((p) => patternMatches(p, role, settings.anchored))) return { role, namespace };
  throw new Refusal(404, `role requested ${role} not valid for namespace of pod at ${ip} with namespace ${namespace}`);
}

/** Obviously fake credentials shaped like STS's (an ASIA key id), distinct per role. */
function fakeCredentials(role) {
  const tail = createHash('sha256').update(role).digest('hex').slice(0, 3).toUpperCase();
  const now = new Date();
  return {
    AccessKeyId: `ASIAKASSAYBROKER0${tail}`,
    Code: 'Success',
    Expiration: new Date(now.getTime() + 15 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z'),
    LastUpdated: now.toISOString().replace(/\.\d+Z$/, 'Z'),
    SecretAccessKey: `kassay/broker/fake-secret-for-${role}`,
    Token: 'kassay-broker-fake-session-token',
    Type: 'AWS-HMAC',
  };
}

/** Go's http.Error: the message and a newline, as plain text. */
function goError(res, status, message) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', server: 'EC2ws' });
  res.end(`${message}\n`);
}

async function credentials(req, res, wanted) {
  const settings = MODES[currentMode(args['mode-file'])];
  const ip = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  try {
    const { role } = await roleMapping(ip, settings);
    if (wanted === undefined || wanted === '') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', server: 'EC2ws' });
      res.end(role);
      return;
    }
    if (wanted !== role) throw new Refusal(403, `Invalid role ${wanted}`);
    res.writeHead(200, { 'content-type': 'application/json', server: 'EC2ws' });
    res.end(`${JSON.stringify(fakeCredentials(role))}\n`);
    console.log(`${ip}: credentials of role ${role}`);
  } catch (err) {
    if (err instanceof Refusal) {
      console.log(`${ip}: ${err.status} ${err.message}`);
      goError(res, err.status, err.message);
    } else {
      console.log(`${ip}: ${err.message}`);
      goError(res, 500, `could not map IP ${ip} to a role: ${err.message}`);
    }
  }
}

function proxy(req, res, body) {
  const out = http.request({ host: upstream.host, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
  });
  out.on('error', (err) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`metadata service unavailable: ${err.code ?? err.message}\n`);
  });
  out.end(body);
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`${JSON.stringify({ hostIP: listen.host, mode: currentMode(args['mode-file']) })}\n`);
      return;
    }
    const route = CREDENTIALS_ROUTE.exec(path);
    if (route !== null && req.method === 'GET' && currentMode(args['mode-file']) !== 'off') {
      void credentials(req, res, route[2]);
      return;
    }
    proxy(req, res, Buffer.concat(chunks));
  });
});
server.keepAliveTimeout = 2_000;
// busybox nc half-closes after sending its request; answer it all the same.
server.httpAllowHalfOpen = true;
server.listen(listen.port, listen.host, () => console.log(`credential-broker listening on ${args.listen}, upstream ${args.upstream}, API ${api.server.host}`));
