import { expect } from 'chai';
import type { V1Deployment, V1Pod, V1PodSpec, V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { autoscalerFacts, hpaFacts, namespaceFacts, quotaFacts, usedPercent, workloadFacts } from '../../../src/resources/audit-facts.js';
import { auditedNamespaces, clusterRegion, RESOURCE_COLLECTOR_NAMES } from '../../../src/resources/audit-collectors.js';
import { DEFAULT_EXCLUDED_NAMESPACES } from '../../../src/resources/config.js';

const deployment = (name: string, namespace: string, pod: V1PodSpec): V1Deployment => ({ metadata: { name, namespace }, spec: { selector: {}, template: { spec: pod } } });

describe('resources: audit facts built from API objects', () => {
  it('GIVEN a Deployment, a ReplicaSet-owned pod and a bare pod THEN two workload facts with containers keyed by name', () => {
    const owned: V1Pod = { metadata: { name: 'web-1', namespace: 'shop', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-x', uid: 'u', controller: true }] }, spec: { containers: [] } };
    const bare: V1Pod = { metadata: { name: 'debug', namespace: 'shop' }, spec: { containers: [{ name: 'sh', image: 'busybox', imagePullPolicy: 'Always' }] } };
    const facts = workloadFacts(
      {
        deployments: [deployment('web', 'shop', { initContainers: [{ name: 'migrate', image: 'shop/migrate:1' }], containers: [{ name: 'web', image: 'shop/web@sha256:ab', resources: { requests: { cpu: '1' } } }] })],
        statefulsets: [],
        daemonsets: [],
        cronjobs: [],
        jobs: [],
        pods: [owned, bare],
      },
      { requireDigestNamespaces: ['shop'], region: 'eu-west-1' },
    );
    expect(facts.map((f) => `${f.kind} ${(f.data as { kind: string }).kind} ${f.namespace}/${f.name}`)).to.deep.equal(['Workload Deployment shop/web', 'Workload Pod shop/debug']);
    expect(facts[0]?.data).to.deep.include({ requireDigest: true, region: 'eu-west-1', ecrImages: 0 });
    const containers = (facts[0]?.data as { containers: Record<string, unknown> }).containers;
    expect(containers.migrate).to.deep.include({ init: true, pinning: 'tag', tag: '1', pullPolicy: 'IfNotPresent', requests: {}, limits: {} });
    expect(containers.web).to.deep.include({ init: false, pinning: 'digest', digest: 'sha256:ab', requests: { cpu: '1' } });
    expect((facts[1]?.data as { containers: Record<string, unknown> }).containers.sh).to.deep.include({ pinning: 'none', pullPolicy: 'Always', movingTagPullPolicy: 'Always' });
  });

  it('GIVEN quota usage THEN percent is rounded down to a tenth so 89.99% stays below 90', () => {
    expect([usedPercent('1799m', '2'), usedPercent('2', '2'), usedPercent('9', '10'), usedPercent('0', '0'), usedPercent('1', '0'), usedPercent('x', '1')]).to.deep.equal([89.9, 100, 90, 0, 100, undefined]);
    const [fact] = quotaFacts([{ metadata: { name: 'q', namespace: 'shop' }, status: { hard: { 'limits.cpu': '2', pods: '10' }, used: { 'limits.cpu': '1500m' } } }]);
    expect((fact?.data as { usage: unknown }).usage).to.deep.equal({ 'limits.cpu': { used: '1500m', hard: '2', percent: 75 }, pods: { used: '0', hard: '10', percent: 0 } });
  });

  it('GIVEN namespaces, pods, quotas and LimitRanges THEN each namespace counts its active pods and names its guard rails', () => {
    const pod = (ns: string, phase: string): V1Pod => ({ metadata: { name: 'p', namespace: ns }, status: { phase } });
    const facts = namespaceFacts([{ metadata: { name: 'shop' } }, { metadata: { name: 'empty' } }], [pod('shop', 'Running'), pod('shop', 'Succeeded'), pod('shop', 'Pending')], [{ metadata: { name: 'compute', namespace: 'shop' } }], []);
    expect(facts.map((f) => f.data)).to.deep.equal([
      { metadata: { name: 'shop', labels: {} }, pods: 2, resourceQuotas: ['compute'], limitRanges: [] },
      { metadata: { name: 'empty', labels: {} }, pods: 0, resourceQuotas: [], limitRanges: [] },
    ]);
  });

  it('GIVEN an HPA on a Deployment, written once as v2beta2 THEN target requests, conditions and API versions are facts', () => {
    const hpa: V2HorizontalPodAutoscaler = {
      metadata: { name: 'web', namespace: 'shop', managedFields: [{ apiVersion: 'autoscaling/v2', manager: 'kube-controller-manager' }], annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"apiVersion":"autoscaling/v2beta2","kind":"HorizontalPodAutoscaler"}' } },
      spec: { maxReplicas: 4, scaleTargetRef: { kind: 'Deployment', name: 'web' }, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }] },
      status: { desiredReplicas: 1, conditions: [{ type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric', message: 'missing request for cpu' }] },
    };
    const target = deployment('web', 'shop', { containers: [{ name: 'web', resources: { requests: { cpu: '100m' } } }, { name: 'sidecar' }] });
    const [fact] = hpaFacts([hpa, { ...hpa, metadata: { name: 'orphan', namespace: 'shop' }, spec: { ...hpa.spec, maxReplicas: 2, scaleTargetRef: { kind: 'Deployment', name: 'gone' } } }], { deployments: [target], statefulsets: [], replicasets: [] });
    expect(fact?.data).to.deep.include({
      usesCpuUtilisation: true,
      target: { ref: 'Deployment/web', found: true, containers: { web: { cpuRequest: '100m' }, sidecar: {} } },
      conditions: { ScalingActive: 'False (FailedGetResourceMetric: missing request for cpu)' },
      writtenWith: ['autoscaling/v2', 'autoscaling/v2beta2'],
    });
    const orphan = hpaFacts([{ ...hpa, spec: { ...hpa.spec, maxReplicas: 2, scaleTargetRef: { kind: 'Deployment', name: 'gone' } } }], { deployments: [target], statefulsets: [], replicasets: [] })[0];
    expect((orphan?.data as { target: unknown }).target).to.deep.equal({ ref: 'Deployment/gone', found: false, containers: {} });
  });

  it('GIVEN kube-system Deployments THEN only the autoscaler becomes a fact, with its version skew and flags', () => {
    const ca = deployment('cluster-autoscaler', 'kube-system', {
      containers: [{ name: 'cluster-autoscaler', image: 'registry.k8s.io/autoscaling/cluster-autoscaler:v1.34.1', command: ['./cluster-autoscaler', '--cloud-provider=aws', '--expander=least-waste', '--balance-similar-node-groups', '--node-group-auto-discovery=asg:tag=a', '--node-group-auto-discovery=asg:tag=b'] }],
    });
    const dns = deployment('coredns', 'kube-system', { containers: [{ name: 'coredns', image: 'coredns:1.11' }] });
    const facts = autoscalerFacts([dns, ca], { clusterMinor: 36, pendingUnhelped: ['shop/big'], scaleDownDisabledNodes: [] });
    expect(facts.map((f) => f.name)).to.deep.equal(['cluster-autoscaler']);
    expect(facts[0]?.data).to.deep.include({ version: 'v1.34.1', clusterVersion: '1.36', minorSkew: 2, pendingUnhelpedCount: 1 });
    expect((facts[0]?.data as { flags: unknown }).flags).to.deep.equal({ 'cloud-provider': 'aws', expander: 'least-waste', 'balance-similar-node-groups': 'true', 'node-group-auto-discovery': 'asg:tag=a asg:tag=b' });
  });
});

describe('resources: which namespaces the audits judge', () => {
  const ns = (name: string, labels?: Record<string, string>) => ({ metadata: { name, labels } });
  const all = [ns('default'), ns('kube-system'), ns('local-path-storage'), ns('shop'), ns('ka-netpol-x-1', { 'app.kubernetes.io/managed-by': 'kube-assay', 'kube-assay.io/run-id': 'r1' })];

  it('GIVEN the defaults THEN system namespaces and kube-assay\'s own are left out', () => {
    expect(auditedNamespaces(all, { namespaces: [], excludeNamespaces: DEFAULT_EXCLUDED_NAMESPACES }).map((n) => n.metadata?.name)).to.deep.equal(['default', 'shop']);
  });

  it('GIVEN listed namespaces THEN exactly those, even kube-assay\'s own or an excluded one', () => {
    expect(auditedNamespaces(all, { namespaces: ['ka-netpol-x-1', 'kube-system'], excludeNamespaces: DEFAULT_EXCLUDED_NAMESPACES }).map((n) => n.metadata?.name)).to.deep.equal(['kube-system', 'ka-netpol-x-1']);
  });

  it('GIVEN nodes with a region label THEN that is the region unless the config names one', () => {
    const nodes = [{ metadata: { name: 'n', labels: { 'topology.kubernetes.io/region': 'eu-west-1' } } }];
    expect(clusterRegion(nodes, undefined)).to.equal('eu-west-1');
    expect(clusterRegion(nodes, 'us-east-2')).to.equal('us-east-2');
    expect(clusterRegion([{ metadata: { name: 'n' } }], undefined)).to.equal(undefined);
  });

  it('GIVEN the collectors THEN the catalogue can name each of them', () => {
    expect(RESOURCE_COLLECTOR_NAMES).to.deep.equal(['workloads', 'pods', 'namespaces', 'resourcequotas', 'hpas', 'cluster-autoscaler']);
  });
});
