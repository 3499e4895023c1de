// The workloads the audit cluster test creates: a namespace declared well and one declared
// badly on every count the catalogue judges, and a cluster-autoscaler stand-in in kube-system.
// The stand-in runs the probe image (the real autoscaler is not built for the testbed) with the
// upstream autoscaler's flags on its command line, which is all the audit reads.
import type { CoreV1Event, V1Container, V1Deployment, V1Pod, V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import type { ClusterClients } from '../../../src/cluster/client.js';
import type { Labels } from '../../../src/cluster/labels.js';
import { SLEEP_FOREVER } from '../../../src/cluster/pods.js';

export const PROBE = 'kube-assay.local/probe:1.0';
export const ECR_SAME = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.0';
export const ECR_OTHER = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.0';

const container = (name: string, image: string, extra: Partial<V1Container> = {}): V1Container => ({ name, image, imagePullPolicy: 'IfNotPresent', command: SLEEP_FOREVER, ...extra });
const declared = { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '32Mi' } };

export function deployment(namespace: string, name: string, labels: Labels, replicas: number, containers: V1Container[]): V1Deployment {
  const selector = { app: name };
  return {
    metadata: { name, namespace, labels: { ...labels, ...selector } },
    spec: { replicas, selector: { matchLabels: selector }, template: { metadata: { labels: { ...labels, ...selector } }, spec: { terminationGracePeriodSeconds: 1, automountServiceAccountToken: false, containers } } },
  };
}

export function hpa(namespace: string, name: string, target: string, labels: Labels, annotations: Record<string, string> = {}): V2HorizontalPodAutoscaler {
  return {
    metadata: { name, namespace, labels, annotations },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target },
      minReplicas: 1,
      maxReplicas: 2,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
    },
  };
}

export function goodWorkloads(ns: string, labels: Labels): V1Deployment[] {
  return [deployment(ns, 'declared', labels, 1, [container('app', PROBE, { resources: declared })]), deployment(ns, 'from-ecr', labels, 0, [container('app', ECR_SAME, { resources: declared })])];
}

export function badWorkloads(ns: string, labels: Labels): V1Deployment[] {
  return [
    // No requests, no limits: BestEffort, and the HPA on it cannot compute utilisation.
    deployment(ns, 'undeclared', labels, 1, [container('app', PROBE)]),
    // Never started (0 replicas): only their specs are audited.
    deployment(ns, 'moving-tags', labels, 0, [container('latest', 'kube-assay.local/probe:latest', { imagePullPolicy: 'Always', resources: declared }), container('untagged', 'kube-assay.local/probe', { resources: declared })]),
    deployment(ns, 'other-region', labels, 0, [container('app', ECR_OTHER, { resources: declared })]),
  ];
}

/** A pod no node can take, and the NotTriggerScaleUp event the real autoscaler would record. */
export function unhelpedPod(ns: string, labels: Labels): { pod: V1Pod; event: CoreV1Event } {
  const pod: V1Pod = { metadata: { name: 'unplaceable', namespace: ns, labels }, spec: { nodeSelector: { 'kube-assay.io/no-such-node': 'true' }, automountServiceAccountToken: false, containers: [container('app', PROBE, { resources: declared })] } };
  const event: CoreV1Event = {
    metadata: { name: 'unplaceable.not-triggered', namespace: ns, labels },
    involvedObject: { kind: 'Pod', name: 'unplaceable', namespace: ns, apiVersion: 'v1' },
    reason: 'NotTriggerScaleUp',
    message: "pod didn't trigger scale-up: 1 node(s) didn't match Pod's node affinity/selector",
    type: 'Normal',
    source: { component: 'cluster-autoscaler' },
    firstTimestamp: new Date(),
    lastTimestamp: new Date(),
    count: 1,
  };
  return { pod, event };
}

export const AUTOSCALER_FLAGS = [
  '--cloud-provider=aws',
  '--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/kube-assay-testbed',
  '--expander=least-waste',
  '--balance-similar-node-groups',
  '--skip-nodes-with-local-storage=false',
  '--skip-nodes-with-system-pods=false',
];

export function autoscalerStandIn(labels: Labels): V1Deployment {
  return deployment('kube-system', 'cluster-autoscaler', { ...labels, 'app.kubernetes.io/name': 'cluster-autoscaler' }, 1, [
    // sh runs the probe's pause; the autoscaler's argv follows as the script's own arguments.
    container('cluster-autoscaler', PROBE, { command: ['sh', '-c', 'exec /agnhost pause', './cluster-autoscaler', ...AUTOSCALER_FLAGS], resources: declared }),
  ]);
}

/** Creates each object, in order. */
export async function createAll(clients: ClusterClients, deployments: V1Deployment[]): Promise<void> {
  for (const d of deployments) await clients.apps.createNamespacedDeployment({ namespace: d.metadata?.namespace ?? '', body: d });
}
