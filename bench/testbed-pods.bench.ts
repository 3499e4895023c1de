// Pod start latency on a live cluster: creates 10 pods at once and reports, for each, the time
// from its create call until a watch sees it Ready. A benchmark: it prints figures, asserts none.
import * as k8s from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { median, runBench } from './stats.js';

const PODS = 10;
const LABELS = { 'app.kubernetes.io/managed-by': 'kube-assay', 'kube-assay.io/run-id': 'bench-testbed' };

async function main(): Promise<number> {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(process.argv[2] ?? '.testbed/kubeconfig');
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const image = process.env.KUBE_ASSAY_PROBE_IMAGE ?? 'kube-assay.local/probe:1.0';
  const ns = `kube-assay-bench-${randomBytes(3).toString('hex')}`;
  await core.createNamespace({ body: { metadata: { name: ns, labels: LABELS } } });
  try {
    const created = new Map<string, number>();
    const ready = new Map<string, number>();
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${ready.size} of ${PODS} pods became Ready within 120s`)), 120_000);
      void new k8s.Watch(kc).watch(`/api/v1/namespaces/${ns}/pods`, {}, (_type, pod: k8s.V1Pod) => {
        const name = pod.metadata?.name ?? '';
        const isReady = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
        if (isReady && !ready.has(name)) {
          ready.set(name, Date.now());
          if (ready.size === PODS) { clearTimeout(timer); resolve(); }
        }
      }, (err) => { if (err && ready.size < PODS) reject(err); });
    });
    await Promise.all(Array.from({ length: PODS }, async (_, i) => {
      const name = `start-${i}`;
      created.set(name, Date.now());
      await core.createNamespacedPod({ namespace: ns, body: {
        metadata: { name, labels: LABELS },
        spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'main', image, imagePullPolicy: 'Never', command: ['sleep', '3600'] }] },
      } });
    }));
    await done;
    const latencies = [...ready].map(([name, t]) => t - (created.get(name) ?? t));
    console.log(`pod start latency (${PODS} pods at once): median ${(median(latencies) / 1000).toFixed(2)} s, max ${(Math.max(...latencies) / 1000).toFixed(2)} s`);
  } finally {
    await core.deleteNamespace({ name: ns }).catch(() => undefined);
  }
  return 0;
}

runBench(main);
