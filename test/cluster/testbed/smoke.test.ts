// Smoke test of the local testbed: proves on the live cluster that it has what every suite relies
// on, and that NetworkPolicy enforcement really depends on the enforcer (stopping it must let the
// blocked traffic through, or the enforcement checks could never fail).
import { expect } from 'chai';
import { eventually, kubectl, kubectlOk, skipWithoutCluster, testbed, uniqueName } from '../../support/kubectl.js';

const PROBE_IMAGE = process.env.KUBE_ASSAY_PROBE_IMAGE ?? 'kube-assay.local/probe:1.0';
const LABELS = { 'app.kubernetes.io/managed-by': 'kube-assay', 'kube-assay.io/run-id': 'testbed-smoke' };

function probePod(name: string, ns: string, labels: Record<string, string>, command: string[], extra = ''): string {
  return `
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${ns}
  labels: ${JSON.stringify({ ...LABELS, ...labels })}
spec:
  terminationGracePeriodSeconds: 0
  containers:
    - name: main
      image: ${PROBE_IMAGE}
      imagePullPolicy: Never
      command: ${JSON.stringify(command)}
${extra}`;
}

const SERVE = ['/agnhost', 'netexec', '--http-port=8080', '--udp-port=8081'];
const IDLE = ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'];

async function execIn(ns: string, pod: string, cmd: string[]): Promise<{ code: number; out: string }> {
  const r = await kubectl(['-n', ns, 'exec', pod, '--', ...cmd], { timeoutMs: 30_000 });
  return { code: r.code, out: (r.stdout + r.stderr).trim() };
}

async function waitReady(ns: string, pod: string): Promise<void> {
  const r = await kubectl(['-n', ns, 'wait', '--for=condition=Ready', `pod/${pod}`, '--timeout=90s'], { timeoutMs: 100_000 });
  if (r.code !== 0) {
    const describe = await kubectl(['-n', ns, 'describe', 'pod', pod]);
    throw new Error(`pod ${ns}/${pod} did not become Ready: ${r.stderr.trim()}\n${describe.stdout.slice(-2000)}`);
  }
}

async function podIP(ns: string, pod: string): Promise<string> {
  return (await kubectlOk(['-n', ns, 'get', 'pod', pod, '-o', 'jsonpath={.status.podIP}'])).trim();
}

/** One TCP connection attempt from `client` to host:port with a short timeout (agnhost connect). */
async function reaches(ns: string, client: string, target: string): Promise<boolean> {
  const r = await execIn(ns, client, ['/agnhost', 'connect', target, '--timeout=3s']);
  return r.code === 0;
}

/** A plain HTTP/1.0 GET through busybox nc; returns the response body. */
async function httpGet(ns: string, client: string, host: string, port: number, urlPath: string): Promise<{ code: number; body: string }> {
  const r = await execIn(ns, client, ['sh', '-c', `printf 'GET ${urlPath} HTTP/1.0\\r\\nHost: ${host}\\r\\n\\r\\n' | nc -w 3 ${host} ${port}`]);
  const body = r.out.split(/\r?\n\r?\n/).slice(1).join('\n\n').trim();
  return { code: r.code === 0 && /^HTTP\/1\.[01] 200/.test(r.out) ? 0 : 1, body };
}

describe('testbed smoke (live cluster)', function () {
  this.timeout(300_000);
  const ns = uniqueName('kube-assay-smoke');
  let serverIP = '';

  before(async function () {
    skipWithoutCluster(this);
    await kubectlOk(['apply', '-f', '-'], {
      input: `apiVersion: v1
kind: Namespace
metadata:
  name: ${ns}
  labels: ${JSON.stringify({ ...LABELS, 'pod-security.kubernetes.io/enforce': 'baseline' })}
`,
    });
    await kubectlOk(['apply', '-f', '-'], {
      input: [
        probePod('server', ns, { role: 'server' }, SERVE),
        probePod('client', ns, { role: 'client' }, IDLE),
        `apiVersion: v1
kind: Service
metadata: {name: server, namespace: ${ns}, labels: ${JSON.stringify(LABELS)}}
spec:
  selector: {role: server}
  ports: [{name: http, port: 80, targetPort: 8080}]`,
      ].join('\n---\n'),
    });
    await waitReady(ns, 'server');
    await waitReady(ns, 'client');
    serverIP = await podIP(ns, 'server');
  });

  after(async function () {
    if (!process.env.KUBE_ASSAY_TEST_KUBECONFIG) return;
    await kubectl(['delete', 'namespace', ns, '--wait=true', '--timeout=120s'], { timeoutMs: 130_000 });
  });

  it('has a Ready node', async () => {
    const out = await kubectlOk(['get', 'nodes', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}']);
    expect(out).to.match(/=True/);
  });

  it('runs a pod and kubectl exec works', async () => {
    const r = await execIn(ns, 'client', ['sh', '-c', 'echo exec-ok']);
    expect(r).to.deep.equal({ code: 0, out: 'exec-ok' });
  });

  it('carries pod-to-pod and pod-to-Service traffic', async () => {
    expect(await reaches(ns, 'client', `${serverIP}:8080`), 'pod to pod').to.equal(true);
    expect(await reaches(ns, 'client', `server.${ns}.svc:80`), 'pod to Service by name').to.equal(true);
    const answer = await httpGet(ns, 'client', `server.${ns}.svc.cluster.local`, 80, '/hostname');
    expect(answer.body, 'the Service answered from the server pod').to.equal('server');
  });

  it('resolves a Service and a StatefulSet pod in DNS', async () => {
    await kubectlOk(['apply', '-f', '-'], {
      input: `apiVersion: v1
kind: Service
metadata: {name: web, namespace: ${ns}, labels: ${JSON.stringify(LABELS)}}
spec:
  clusterIP: None
  selector: {role: web}
  ports: [{port: 8080}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web, namespace: ${ns}, labels: ${JSON.stringify(LABELS)}}
spec:
  serviceName: web
  replicas: 1
  selector: {matchLabels: {role: web}}
  template:
    metadata: {labels: ${JSON.stringify({ ...LABELS, role: 'web' })}}
    spec:
      terminationGracePeriodSeconds: 0
      containers: [{name: main, image: ${PROBE_IMAGE}, imagePullPolicy: Never, command: ${JSON.stringify(SERVE)}}]
`,
    });
    await eventually('pod web-0 to exist', 60_000, async () => ((await kubectl(['-n', ns, 'get', 'pod', 'web-0'])).code === 0 ? true : undefined));
    await waitReady(ns, 'web-0');
    const svc = await execIn(ns, 'client', ['nslookup', `server.${ns}.svc.cluster.local`]);
    expect(svc.code, svc.out).to.equal(0);
    const webIP = await podIP(ns, 'web-0');
    let last = '';
    await eventually('web-0 DNS record', 30_000, async () => {
      const r = await execIn(ns, 'client', ['nslookup', `web-0.web.${ns}.svc.cluster.local`]);
      last = r.out;
      return r.code === 0 && r.out.includes(webIP) ? true : undefined;
    }, () => last);
  });

  it('binds a PVC and keeps its data across pod recreation', async () => {
    const writer = (name: string, cmd: string) => `${probePod(name, ns, {}, ['sh', '-c', cmd], `      volumeMounts: [{name: data, mountPath: /data}]
  volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]`)}`;
    await kubectlOk(['apply', '-f', '-'], {
      input: `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: ${ns}, labels: ${JSON.stringify(LABELS)}}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 16Mi}}
---
${writer('writer', 'echo kept-$(hostname) > /data/proof && sleep 3600')}`,
    });
    await waitReady(ns, 'writer');
    const phase = await kubectlOk(['-n', ns, 'get', 'pvc', 'data', '-o', 'jsonpath={.status.phase}']);
    expect(phase).to.equal('Bound');
    await kubectlOk(['-n', ns, 'delete', 'pod', 'writer', '--wait=true']);
    await kubectlOk(['apply', '-f', '-'], { input: writer('reader', 'sleep 3600') });
    await waitReady(ns, 'reader');
    const r = await execIn(ns, 'reader', ['cat', '/data/proof']);
    expect(r.out).to.equal('kept-writer');
  });

  it('serves node metrics through the metrics API', async () => {
    let last = '';
    await eventually('node metrics', 90_000, async () => {
      const r = await kubectl(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/nodes']);
      last = r.stdout + r.stderr;
      return r.code === 0 && /"cpu":/.test(r.stdout) ? true : undefined;
    }, () => last.slice(0, 300));
  });

  it('answers instance metadata requests from a pod, demanding an IMDSv2 token in its default (safe) mode', async () => {
    // `testbed imds open` would answer 200 with the instance id; see testbed/README.md.
    const r = await execIn(ns, 'client', ['sh', '-c', "printf 'GET /latest/meta-data/instance-id HTTP/1.0\\r\\nHost: 169.254.169.254\\r\\n\\r\\n' | nc -w 3 169.254.169.254 80"]);
    expect(r.out).to.match(/^HTTP\/1\.[01] 401 /);
  });

  describe('NetworkPolicy enforcement', () => {
    const policy = () => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny-ingress, namespace: ${ns}, labels: ${JSON.stringify(LABELS)}}
spec:
  podSelector: {}
  policyTypes: [Ingress]`;

    afterEach(async () => {
      await kubectl(['-n', ns, 'delete', 'networkpolicy', 'default-deny-ingress', '--ignore-not-found']);
    });

    it('blocks traffic that flowed before a default-deny policy', async () => {
      const url = `${serverIP}:8080`;
      expect(await reaches(ns, 'client', url), 'before the policy').to.equal(true);
      await kubectlOk(['apply', '-f', '-'], { input: policy() });
      await eventually('the policy to block traffic', 30_000, async () => ((await reaches(ns, 'client', url)) ? undefined : true));
    });

    it('no longer blocks when the policy enforcer is stopped', async () => {
      const url = `${serverIP}:8080`;
      await testbed('stop', 'netpol');
      try {
        await kubectlOk(['apply', '-f', '-'], { input: policy() });
        // Observe for longer than a running enforcer needs to act (the test above shows it acts
        // within seconds): every request in that window must get through.
        const windowEnds = Date.now() + 15_000;
        let attempts = 0;
        let allowed = 0;
        while (Date.now() < windowEnds) {
          attempts += 1;
          if (await reaches(ns, 'client', url)) allowed += 1;
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
        expect(allowed, `requests that got through with the enforcer stopped, of ${attempts}`).to.equal(attempts);
      } finally {
        await testbed('start', 'netpol');
      }
      await eventually('enforcement to resume', 60_000, async () => ((await reaches(ns, 'client', url)) ? undefined : true));
    });
  });
});
