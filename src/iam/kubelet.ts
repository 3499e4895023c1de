// iam/kubelet-api: what a tenant gets from each node's kubelet. Without credentials
// `https://<node>:10250/pods` must answer 401; with a plain ServiceAccount token 403; the
// read-only port 10255 must be closed. The read-only port is probed from a tenant pod on the
// node; the TLS requests are made by kube-assay itself, because the probe image has no TLS client
// (busybox wget cannot do HTTPS), with a token of the tenant's ServiceAccount.
import { request as httpsRequest } from 'node:https';

export const KUBELET_PORT = 10250;
export const READ_ONLY_PORT = 10255;
const WAIT_SECONDS = 5;

/** Run in a tenant pod on the node: is the read-only port open? (busybox nc: exit 0 = connected.) */
export function readOnlyPortScript(nodeAddress: string): string {
  return `if nc -w 2 ${nodeAddress} ${READ_ONLY_PORT} </dev/null >/dev/null 2>&1; then echo "readonly open"; else echo "readonly closed"; fi`;
}

export function parseReadOnlyProbe(output: string): KubeletObservation['readOnlyPort'] {
  const m = /^readonly (open|closed)$/m.exec(output);
  return m?.[1] === 'open' || m?.[1] === 'closed' ? m[1] : 'unknown';
}

/** GET https://ADDRESS:10250/pods, optionally with a bearer token; the status, or the error code.
 *  Kubelet serving certificates are often self-signed, so the server is not verified: the only
 *  token ever sent is a 10-minute token of the check's own ServiceAccount, which holds no rights. */
export function kubeletRequest(address: string, token: string | undefined): Promise<string> {
  return new Promise((resolve) => {
    const req = httpsRequest({ host: address, port: KUBELET_PORT, path: '/pods', method: 'GET', rejectUnauthorized: false, timeout: WAIT_SECONDS * 1000,
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      resolve(String(res.statusCode ?? 0));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED' ? 'refused' : `failed:${err.code ?? err.message}`));
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: `no answer in ${WAIT_SECONDS}s` })));
    req.end();
  });
}

export interface KubeletObservation {
  /** Status code, `refused`, or `failed:<what wget said>`. */
  anonymous: string;
  token: string;
  readOnlyPort: 'open' | 'closed' | 'unknown';
}

export interface KubeletFinding {
  node: string;
  problem: string;
}

/** Findings per node; a probe that got no HTTP answer is returned as `probeFailed`, never a pass. */
export function judgeKubelet(node: string, o: KubeletObservation): { findings: KubeletFinding[]; probeFailed?: string; warnings: string[] } {
  const findings: KubeletFinding[] = [];
  const warnings: string[] = [];
  for (const [who, status] of [['anonymous', o.anonymous], ['token', o.token]] as const) {
    if (status.startsWith('failed:') || status === 'refused') {
      return { findings, warnings, probeFailed: `node ${node}: the ${who} request to :${KUBELET_PORT} got no HTTP answer (${status.replace(/^failed:/, '').replace(/_/g, ' ')})` };
    }
  }
  if (o.anonymous === '200') findings.push({ node, problem: `an anonymous request to :${KUBELET_PORT}/pods was answered (200): anonymous authentication is on and authorized` });
  else if (o.anonymous === '403') warnings.push(`node ${node}: anonymous requests are authenticated (403, not 401): set authentication.anonymous.enabled=false on the kubelet`);
  else if (o.anonymous !== '401') findings.push({ node, problem: `an anonymous request to :${KUBELET_PORT}/pods answered ${o.anonymous}, expected 401` });
  if (o.token === '200') findings.push({ node, problem: `a plain ServiceAccount token may read :${KUBELET_PORT}/pods (200): the kubelet does not ask the API server (authorization.mode Webhook) or the account holds nodes/proxy` });
  else if (o.token !== '403' && o.token !== '401') findings.push({ node, problem: `a request with a plain ServiceAccount token answered ${o.token}, expected 403` });
  if (o.readOnlyPort === 'open') findings.push({ node, problem: `the read-only port ${READ_ONLY_PORT} is open: it serves pods and metrics without any authentication` });
  if (o.readOnlyPort === 'unknown') return { findings, warnings, probeFailed: `node ${node}: the probe of port ${READ_ONLY_PORT} printed nothing` };
  return { findings, warnings };
}
