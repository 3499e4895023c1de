// Conformance: Services route to their endpoints and cluster DNS resolves Service names.
import { check, suite } from '../../src/harness/index.js';
import conformance from './suite.js';
import { containerOf, execIn, startProbe } from '../../src/harness/probes.js';
import { createService, clusterIpService, waitForReadyEndpoints } from '../../src/cluster/services.js';
import { expectAllBackendsAnswer } from '../../src/harness/service-expect.js';
import { expectServiceNameResolves } from '../../src/harness/dns-expect.js';

// netexec reports ready (/readyz) once its UDP server runs too, so the UDP port stays enabled.
const NETEXEC = (port: number): string[] => ['/agnhost', 'netexec', `--http-port=${port}`, `--udp-port=${port + 1}`];

suite(conformance, () => {
  check(
    'conformance/service-endpoints',
    'A ClusterIP Service routes to all its endpoints',
    async (t) => {
      const selector = { app: 'backend' };
      const backends = ['backend-0', 'backend-1'];
      await Promise.all([
        ...backends.map((name) =>
          startProbe(t, name, NETEXEC(8080), {
            namespace: t.namespace,
            labels: selector,
            ports: [{ name: 'http', containerPort: 8080 }],
            readinessProbe: { httpGet: { path: '/readyz', port: 8080 }, periodSeconds: 1 },
          }),
        ),
        startProbe(t, 'client', ['/agnhost', 'pause'], { namespace: t.namespace }),
      ]);
      t.step('create Service backend');
      const svc = await createService(t.clients, clusterIpService({ name: 'backend', namespace: t.namespace, labels: t.labels(), selector, port: 80, targetPort: 8080 }));
      t.step('wait for 2 ready endpoints');
      await waitForReadyEndpoints(t.clients, t.namespace, 'backend', backends.length, t.deadline('serviceEndpoints'), t.signal);
      const url = `http://${svc.spec?.clusterIP ?? '?'}:80/hostname`;
      t.step(`request ${url} from the client pod until both backends answered`);
      const seen = await expectAllBackendsAnswer(t.clients, containerOf(t.namespace, 'client'), url, backends, t.deadline('serviceRouting'), t.deadline('exec'), t.signal);
      t.attachTable('answers through the Service', ['backend', 'answers'], [...seen].map(([b, n]) => [b, String(n)]));
    },
    {
      retryable: true,
      tags: ['networking', 'services'],
      remediation: 'Service traffic is implemented by kube-proxy (or the CNI replacing it): check kube-proxy runs on every node and its logs, and that the EndpointSlices of the Service list the backend pods.',
    },
  );

  check(
    'conformance/dns-service',
    'Cluster DNS resolves a Service name',
    async (t) => {
      await startProbe(t, 'client', ['/agnhost', 'pause'], { namespace: t.namespace });
      t.step('create Service dns-target');
      // A ClusterIP Service gets its DNS record whether or not it has endpoints.
      const svc = await createService(t.clients, clusterIpService({ name: 'dns-target', namespace: t.namespace, labels: t.labels(), selector: { app: 'nothing' }, port: 80, targetPort: 8080 }));
      const client = containerOf(t.namespace, 'client');
      const resolvConf = await execIn(t, client, ['cat', '/etc/resolv.conf']).then((r) => r.stdout.trim()).catch((err: unknown) => `unreadable: ${String(err)}`);
      t.attachText('/etc/resolv.conf of the client pod', resolvConf);
      t.step('resolve the Service name from the client pod');
      await expectServiceNameResolves(t, client, svc, resolvConf);
    },
    {
      retryable: true,
      tags: ['networking', 'dns'],
      remediation:
        'Check CoreDNS: its pods in kube-system (label k8s-app=kube-dns) are Running and Ready, the kube-dns Service has endpoints, and the kubelet clusterDNS address equals the kube-dns Service IP (the nameserver in the pod\'s /etc/resolv.conf).',
    },
  );
});
