// The testbed's stand-in for amazon-eks-pod-identity-webhook (whose module the Go proxy does not
// serve): an HTTPS mutating admission webhook that follows the published contract, for two
// MutatingWebhookConfigurations the testbed applies (lib/eks-identity.sh):
// - /mutate-irsa (IRSA): a pod whose ServiceAccount carries eks.amazonaws.com/role-arn gets
//   AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE and AWS_STS_REGIONAL_ENDPOINTS, and a projected
//   ServiceAccount token (audience sts.amazonaws.com unless eks.amazonaws.com/audience says
//   otherwise, 86400 s unless eks.amazonaws.com/token-expiration on the ServiceAccount or the pod
//   says otherwise) at /var/run/secrets/eks.amazonaws.com/serviceaccount/token;
//   eks.amazonaws.com/skip-containers on the pod names containers left alone.
// - /mutate-pod-identity (EKS Pod Identity): a pod whose ServiceAccount has an association (read
//   from a file, since there is no EKS API here) gets AWS_CONTAINER_CREDENTIALS_FULL_URI and
//   AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE and a projected token of audience pods.eks.amazonaws.com.
// Faulty modes, read from files on every request so `testbed irsa MODE` acts at once:
//   irsa: wrong-audience (the API server's audience instead of STS), long-expiry (48 h tokens);
//   fail-open and off are settings of the webhook configuration, not of this process.
// Tokens are minted by the kubelet from the projected volume: real, signed by the cluster.
// Usage: node eks-identity-webhook.mjs --listen IP:PORT --cert F --key F --ca F --api URL
//          --irsa-mode-file F --associations F --api-audience AUD
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { hostPort, parseArgs } from './cli.mjs';

export const IRSA_TOKEN_DIR = '/var/run/secrets/eks.amazonaws.com/serviceaccount';
export const POD_IDENTITY_TOKEN_DIR = '/var/run/secrets/pods.eks.amazonaws.com/serviceaccount';
export const POD_IDENTITY_TOKEN_FILE = 'eks-pod-identity-token';
export const POD_IDENTITY_URI = 'http://169.254.170.23/v1/credentials';
const DEFAULT_EXPIRATION = 86400;
const LONG_EXPIRATION = 172800;
// Kubernetes refuses projected tokens shorter than ten minutes.
const MIN_EXPIRATION = 600;
const POD_IDENTITY_EXPIRATION = 86400;

function readMode(file, fallback) {
  try {
    return readFileSync(file, 'utf8').trim() || fallback;
  } catch {
    return fallback;
  }
}

/** Associations: [{namespace, serviceAccount, roleArn}] from a JSON file; none when unreadable. */
export function readAssociations(file) {
  try {
    const list = JSON.parse(readFileSync(file, 'utf8'));
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}

function expirationOf(text, fallback) {
  const n = Number(text);
  if (text === undefined || !Number.isInteger(n) || n <= 0) return fallback;
  return Math.max(n, MIN_EXPIRATION);
}

/** JSON patch operations that add `env` to each container (skipping `skip`) and a projected token
 *  volume mounted at `dir` read-only. Existing env names are left as the pod set them. */
export function injectionPatch(pod, { env, volume, dir, skip = [] }) {
  const ops = [];
  const spec = pod.spec ?? {};
  if ((spec.volumes ?? []).some((v) => v.name === volume.name)) return ops;
  if (spec.volumes === undefined) ops.push({ op: 'add', path: '/spec/volumes', value: [] });
  ops.push({ op: 'add', path: '/spec/volumes/-', value: volume });
  for (const kind of ['initContainers', 'containers']) {
    (spec[kind] ?? []).forEach((c, i) => {
      if (skip.includes(c.name)) return;
      const base = `/spec/${kind}/${i}`;
      const have = new Set((c.env ?? []).map((e) => e.name));
      const add = env.filter((e) => !have.has(e.name));
      if (c.env === undefined && add.length > 0) ops.push({ op: 'add', path: `${base}/env`, value: [] });
      for (const e of add) ops.push({ op: 'add', path: `${base}/env/-`, value: e });
      if (c.volumeMounts === undefined) ops.push({ op: 'add', path: `${base}/volumeMounts`, value: [] });
      ops.push({ op: 'add', path: `${base}/volumeMounts/-`, value: { name: volume.name, mountPath: dir, readOnly: true } });
    });
  }
  return ops;
}

/** The IRSA patch for a pod of `account` (a ServiceAccount object), in `mode`. */
export function irsaPatch(pod, account, mode, apiAudience) {
  const sa = account?.metadata?.annotations ?? {};
  const podNotes = pod.metadata?.annotations ?? {};
  const role = sa['eks.amazonaws.com/role-arn'];
  if (role === undefined || role === '') return [];
  const audience = mode === 'wrong-audience' ? apiAudience : (sa['eks.amazonaws.com/audience'] || 'sts.amazonaws.com');
  const fromNotes = expirationOf(podNotes['eks.amazonaws.com/token-expiration'], expirationOf(sa['eks.amazonaws.com/token-expiration'], DEFAULT_EXPIRATION));
  const expirationSeconds = mode === 'long-expiry' ? LONG_EXPIRATION : fromNotes;
  const regional = sa['eks.amazonaws.com/sts-regional-endpoints'] === 'false' ? 'legacy' : 'regional';
  const env = [
    { name: 'AWS_ROLE_ARN', value: role },
    { name: 'AWS_WEB_IDENTITY_TOKEN_FILE', value: `${IRSA_TOKEN_DIR}/token` },
    { name: 'AWS_STS_REGIONAL_ENDPOINTS', value: regional },
  ];
  const volume = { name: 'aws-iam-token', projected: { sources: [{ serviceAccountToken: { audience, expirationSeconds, path: 'token' } }] } };
  const skip = (podNotes['eks.amazonaws.com/skip-containers'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return injectionPatch(pod, { env, volume, dir: IRSA_TOKEN_DIR, skip });
}

/** The Pod Identity patch for a pod of `namespace`/`serviceAccount` when it has an association. */
export function podIdentityPatch(pod, namespace, serviceAccount, associations) {
  if (!associations.some((a) => a.namespace === namespace && a.serviceAccount === serviceAccount)) return [];
  const env = [
    { name: 'AWS_CONTAINER_CREDENTIALS_FULL_URI', value: POD_IDENTITY_URI },
    { name: 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', value: `${POD_IDENTITY_TOKEN_DIR}/${POD_IDENTITY_TOKEN_FILE}` },
  ];
  const volume = {
    name: 'eks-pod-identity-token',
    projected: { sources: [{ serviceAccountToken: { audience: 'pods.eks.amazonaws.com', expirationSeconds: POD_IDENTITY_EXPIRATION, path: POD_IDENTITY_TOKEN_FILE } }] },
  };
  return injectionPatch(pod, { env, volume, dir: POD_IDENTITY_TOKEN_DIR });
}

function main() {
  const args = parseArgs(process.argv.slice(2), ['listen', 'cert', 'key', 'ca', 'api', 'irsa-mode-file', 'associations', 'api-audience']);
  const { host, port } = hostPort(args.listen);
  const tls = { cert: readFileSync(args.cert), key: readFileSync(args.key), ca: readFileSync(args.ca) };

  function getServiceAccount(namespace, name) {
    return new Promise((resolve, reject) => {
      const url = new URL(`/api/v1/namespaces/${encodeURIComponent(namespace)}/serviceaccounts/${encodeURIComponent(name)}`, args.api);
      const req = https.request(url, { ...tls, method: 'GET', timeout: 3000 }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => {
          if (res.statusCode === 404) resolve(undefined);
          else if (res.statusCode === 200) resolve(JSON.parse(body));
          else reject(new Error(`GET serviceaccount ${namespace}/${name}: ${res.statusCode}`));
        });
      });
      req.on('timeout', () => req.destroy(new Error('API server timeout')));
      req.on('error', reject);
      req.end();
    });
  }

  async function review(kind, body) {
    const request = body.request ?? {};
    const pod = request.object ?? {};
    const namespace = request.namespace ?? pod.metadata?.namespace ?? 'default';
    const serviceAccount = pod.spec?.serviceAccountName || 'default';
    const patch = kind === 'irsa'
      ? irsaPatch(pod, await getServiceAccount(namespace, serviceAccount), readMode(args['irsa-mode-file'], 'safe'), args['api-audience'])
      : podIdentityPatch(pod, namespace, serviceAccount, readAssociations(args.associations));
    const response = { uid: request.uid, allowed: true };
    if (patch.length > 0) Object.assign(response, { patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(patch)).toString('base64') });
    return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response };
  }

  const server = https.createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    if (req.url === '/healthz') {
      res.end('ok');
      return;
    }
    const kind = req.url?.startsWith('/mutate-irsa') ? 'irsa' : req.url?.startsWith('/mutate-pod-identity') ? 'pod-identity' : undefined;
    if (req.method !== 'POST' || kind === undefined) {
      res.writeHead(404).end();
      return;
    }
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      review(kind, JSON.parse(text)).then(
        (answer) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer)),
        (err) => {
          // An error answer: the API server then applies the configuration's failurePolicy.
          console.log(`${kind}: ${err.message}`);
          res.writeHead(500).end(err.message);
        },
      );
    });
  });
  server.listen(port, host, () => console.log(`eks-identity-webhook listening on ${args.listen}`));
}

if (process.argv[1]?.endsWith('eks-identity-webhook.mjs') && process.argv.length > 2) main();
