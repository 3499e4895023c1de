// Resources: the resource metrics API serves nodes and pods, and an HPA scales on it. These run
// after the limit checks (file-name order) and the HPA check is the suite's longest.
import { check, suite } from '../../src/harness/index.js';
import resources from './suite.js';
import { formatDuration } from '../../src/cluster/timeouts.js';
import { behaviourRows } from '../../src/resources/hpa-status.js';
import { HPA_REACTION_TABLE, hpaScales } from '../../src/resources/hpa.js';
import { metricsApiServes } from '../../src/resources/metrics.js';
import { METRICS_REMEDIATION } from '../../src/resources/metrics-diagnosis.js';

suite(resources, () => {
  check(
    'resources/metrics-api',
    'The resource metrics API is Available and serves NodeMetrics for every node and PodMetrics for a new pod',
    async (t) => {
      const result = await metricsApiServes(t, resources.deadline(t, 'podMetrics'));
      t.attachTable('NodeMetrics', ['node', 'cpu', 'memory', 'timestamp'], result.nodes.map((n) => [n.node, n.cpu, n.memory, n.timestamp]));
      t.attachTable('PodMetrics of a new pod', ['pod', 'appeared after', 'usage'], [[result.pod.name, formatDuration(result.pod.appearedAfterMs), result.pod.usage]]);
    },
    // Its namespace is created once the API serves (see metricsApiServes).
    { tags: ['resources', 'metrics'], remediation: METRICS_REMEDIATION, namespace: false },
  );

  check(
    'resources/hpa-scales',
    'An autoscaling/v2 HPA reports ScalingActive and raises the replicas of a Deployment under CPU load',
    async (t) => {
      const result = await hpaScales(t, { rollout: t.deadline('deploymentRollout'), hpaActive: resources.deadline(t, 'hpaActive'), hpaScaleUp: resources.deadline(t, 'hpaScaleUp') });
      t.attachTable('replica timeline (from load start)', ['at', 'current replicas', 'desired replicas', 'CPU utilisation'], result.timeline.rows());
      t.attachTable('HPA behaviour (scale-down is not waited for)', ['direction', 'settings'], behaviourRows(result.hpa));
      t.attachTable(HPA_REACTION_TABLE, ['measure', 'ms', 'duration'], [
        ['HPA created -> ScalingActive', String(result.activeAfterMs), formatDuration(result.activeAfterMs)],
        ['load start -> replicas raised', String(result.reactionMs), formatDuration(result.reactionMs)],
      ]);
    },
    { tags: ['resources', 'autoscaling'], namespace: false, remediation: `The HPA controller runs in kube-controller-manager and reads CPU from the resource metrics API. ${METRICS_REMEDIATION}` },
  );
});
