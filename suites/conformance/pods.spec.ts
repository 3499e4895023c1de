// Conformance: pods run, exec and logs work (control plane -> kubelet :10250), and volumes
// behave: ConfigMap and Secret data mounted, emptyDir tied to the pod's lifetime.
import { check, suite } from '../../src/harness/index.js';
import conformance from './suite.js';
import { expectEqual, expectIncludes, expectThat } from '../../src/harness/expect.js';
import { containerOf, execIn, execOk, podStartLimits, probeManifest, startProbe } from '../../src/harness/probes.js';
import { readContainerLog } from '../../src/cluster/logs.js';
import { createPod, deletePodAndWait, restartCount, waitForContainerRestart, waitForPodReady, PROBE_CONTAINER } from '../../src/cluster/pods.js';
import { createConfigMap, createSecret } from '../../src/cluster/config-objects.js';

const STARTED = 'kube-assay probe started';

suite(conformance, () => {
  check(
    'conformance/pod-exec-logs',
    'A pod schedules and runs, and exec and logs work',
    async (t) => {
      const pod = await startProbe(t, 'probe', ['sh', '-c', `echo '${STARTED}'; exec /agnhost pause`], { namespace: t.namespace });
      expectThat(pod.spec?.nodeName !== undefined, 'the pod runs but has no node assigned');
      t.step('exec a command in the container');
      const target = containerOf(t.namespace, 'probe');
      const out = await execOk(t, target, ['sh', '-c', 'echo "exec-ok $(hostname)"'], 'exec into the probe pod');
      expectEqual('exec output', 'exec-ok probe', out.trim());
      t.step('read the container log');
      const log = await readContainerLog(t.clients, { namespace: t.namespace, pod: 'probe', container: PROBE_CONTAINER });
      expectIncludes('container log', log, STARTED);
    },
    {
      retryable: true,
      tags: ['pods', 'kubelet'],
      remediation: 'exec and logs travel from kube-apiserver to the kubelet on port 10250: check the kubelet runs and serves on 10250, that the control plane reaches nodes there, and the apiserver kubelet client credentials/RBAC.',
    },
  );

  check(
    'conformance/configmap-secret-volumes',
    'ConfigMap and Secret volumes are mounted with their data',
    async (t) => {
      const greeting = `hello from ${t.runId}`;
      const token = `token-${t.runId}`;
      t.step('create ConfigMap and Secret');
      await createConfigMap(t.clients, { name: 'settings', namespace: t.namespace, labels: t.labels(), data: { greeting } });
      await createSecret(t.clients, { name: 'credentials', namespace: t.namespace, labels: t.labels(), stringData: { token } });
      await startProbe(t, 'reader', ['/agnhost', 'pause'], {
        namespace: t.namespace,
        volumes: [
          { name: 'settings', configMap: { name: 'settings' } },
          { name: 'credentials', secret: { secretName: 'credentials' } },
        ],
        volumeMounts: [
          { name: 'settings', mountPath: '/etc/settings', readOnly: true },
          { name: 'credentials', mountPath: '/etc/credentials', readOnly: true },
        ],
      });
      const target = containerOf(t.namespace, 'reader');
      t.step('read the mounted files');
      expectEqual('ConfigMap key greeting mounted at /etc/settings/greeting', greeting, await execOk(t, target, ['cat', '/etc/settings/greeting'], 'read the ConfigMap volume'));
      expectEqual('Secret key token mounted at /etc/credentials/token', token, await execOk(t, target, ['cat', '/etc/credentials/token'], 'read the Secret volume'));
    },
    { retryable: true, tags: ['pods', 'volumes'], remediation: 'ConfigMap and Secret volumes are written by the kubelet: check its logs for volume mount errors and that it may read these objects (Node authorizer).' },
  );

  check(
    'conformance/emptydir-lifecycle',
    'emptyDir survives a container restart and is empty after the pod is replaced',
    async (t) => {
      // agnhost pause exits on SIGTERM, so `kill 1` from an exec makes the container exit and
      // the kubelet restart it, and deleting the pod does not wait out a grace period.
      const command = ['/agnhost', 'pause'];
      const options = { namespace: t.namespace, volumes: [{ name: 'scratch', emptyDir: {} }], volumeMounts: [{ name: 'scratch', mountPath: '/data' }] };
      const first = await startProbe(t, 'scratch', command, options);
      const target = containerOf(t.namespace, 'scratch');
      const marker = `written by ${t.runId}`;
      t.step('write a file to the emptyDir');
      await execOk(t, target, ['sh', '-c', `echo '${marker}' > /data/marker`], 'write to the emptyDir');
      t.step('make the container exit and wait for its restart');
      await execIn(t, target, ['sh', '-c', 'kill 1']).catch(() => undefined); // the exec may die with the container
      await waitForContainerRestart(t.clients, t.namespace, 'scratch', restartCount(first), t.deadline('containerRestart'), t.signal);
      expectEqual('file in the emptyDir after the container restarted', marker, (await execOk(t, target, ['cat', '/data/marker'], 'read the emptyDir after the restart')).trim());
      t.step('replace the pod');
      await deletePodAndWait(t.clients, t.namespace, 'scratch', t.deadline('podDelete'), t.signal);
      await createPod(t.clients, probeManifest(t, 'scratch', command, options));
      const second = await waitForPodReady(t.clients, t.namespace, 'scratch', t.deadline('podStart'), t.signal, podStartLimits(t));
      expectThat(second.metadata?.uid !== first.metadata?.uid, 'the replacement pod has the same UID as the deleted one');
      const listing = await execOk(t, target, ['ls', '-A', '/data'], 'list the emptyDir of the new pod');
      expectEqual('contents of the emptyDir of the replacement pod', '', listing.trim());
    },
    { retryable: true, tags: ['pods', 'volumes'], remediation: 'emptyDir lives in the kubelet pod directory: check the kubelet keeps it across container restarts (same pod UID) and removes it with the pod; see kubelet logs.' },
  );
});
