// Conformance: controllers do their job: a Deployment rolls out and rolls to a new version, a
// Job runs to completion.
import { check, suite } from '../../src/harness/index.js';
import conformance from './suite.js';
import { expectEqual, expectIncludes, expectThat } from '../../src/harness/expect.js';
import { probeContainer } from '../../src/cluster/pods.js';
import { probePodSpec } from '../../src/cluster/probe-spec.js';
import { readContainerLog } from '../../src/cluster/logs.js';
import { createDeployment, createJob, deploymentManifest, jobManifest, patchDeploymentTemplate, waitForJobComplete, waitForRollout } from '../../src/cluster/workloads.js';
import { podsOfVersion } from '../../src/cluster/rollout.js';

suite(conformance, () => {
  check(
    'conformance/deployment-rollout',
    'A Deployment rolls out and rolls to a new version',
    async (t) => {
      const selector = { app: 'web' };
      const pod = probePodSpec([{ ...probeContainer({ image: t.probeImage, pullPolicy: t.config.images.pullPolicy, command: ['/agnhost', 'pause'] }), env: [{ name: 'VERSION', value: '1' }] }]);
      t.step('create Deployment web (2 replicas, VERSION=1)');
      await createDeployment(t.clients, deploymentManifest({ name: 'web', namespace: t.namespace, labels: t.labels(), selector, replicas: 2, pod }));
      await waitForRollout(t.clients, t.namespace, 'web', t.deadline('deploymentRollout'), t.signal);
      t.step('roll to VERSION=2');
      await patchDeploymentTemplate(t.clients, t.namespace, 'web', { spec: { containers: [{ name: 'probe', env: [{ name: 'VERSION', value: '2' }] }] } });
      const done = await waitForRollout(t.clients, t.namespace, 'web', t.deadline('deploymentRollout'), t.signal);
      expectEqual('deployment revision after the update', '2', done.metadata?.annotations?.['deployment.kubernetes.io/revision']);
      const byVersion = await podsOfVersion(t.clients, t.namespace, 'app=web');
      t.attachTable('pods by VERSION after the rollout', ['VERSION', 'pods'], [...byVersion].map(([v, pods]) => [v, pods.join(', ')]));
      expectThat(!byVersion.has('1'), `pods of the old version remain after the rollout: ${byVersion.get('1')?.join(', ') ?? ''}`);
      expectEqual('running pods with VERSION=2', 2, byVersion.get('2')?.length ?? 0);
    },
    { retryable: true, tags: ['workloads'], remediation: 'Rollouts are driven by kube-controller-manager (deployment and replicaset controllers) and need the scheduler and kubelets: check their logs and `kubectl rollout status`.' },
  );

  check(
    'conformance/job-completes',
    'A Job runs to completion',
    async (t) => {
      const marker = `job done ${t.runId}`;
      t.step('create Job once');
      await createJob(t.clients, jobManifest({
        name: 'once',
        namespace: t.namespace,
        labels: t.labels(),
        pod: probePodSpec([probeContainer({ image: t.probeImage, pullPolicy: t.config.images.pullPolicy, command: ['sh', '-c', `echo '${marker}'`] })], { restartPolicy: 'Never' }),
      }));
      await waitForJobComplete(t.clients, t.namespace, 'once', t.deadline('jobComplete'), t.signal);
      const pods = (await t.clients.core.listNamespacedPod({ namespace: t.namespace, labelSelector: 'job-name=once' })).items;
      expectEqual('pods of the completed Job', 1, pods.length);
      const log = await readContainerLog(t.clients, { namespace: t.namespace, pod: pods[0]?.metadata?.name ?? '?', container: 'probe' });
      expectIncludes('log of the Job pod', log, marker);
    },
    { retryable: true, tags: ['workloads'], remediation: 'Jobs are run by the job controller in kube-controller-manager: check its logs, and the Job pod\'s events for scheduling or image problems.' },
  );
});
