// metricsApiProblem against stubbed clients: which objects it reads to name the cause.
import { expect } from 'chai';
import { ApiException, type V1APIService } from '@kubernetes/client-node';
import type { ClusterClients } from '../../../src/cluster/client.js';
import { metricsApiProblem } from '../../../src/resources/metrics.js';

function clients(api: V1APIService | 'missing', extra: { selector?: Record<string, string>; replicas?: number } = {}): ClusterClients {
  const selector = extra.selector ?? { 'k8s-app': 'metrics-server' };
  return {
    apiRegistration: { readAPIService: async () => (api === 'missing' ? Promise.reject(new ApiException(404, 'Not Found', '{"message":"not found"}', {})) : api) },
    core: {
      readNamespacedService: async () => ({ spec: { selector } }),
      listNamespacedPod: async () => ({ items: [] }),
    },
    apps: {
      listNamespacedDeployment: async () => ({
        items: [
          { metadata: { name: 'metrics-server', namespace: 'kube-system' }, spec: { replicas: extra.replicas ?? 0, selector: {}, template: { metadata: { labels: selector } } }, status: {} },
          { metadata: { name: 'coredns', namespace: 'kube-system' }, spec: { replicas: 1, selector: {}, template: { metadata: { labels: { 'k8s-app': 'kube-dns' } } } }, status: { readyReplicas: 1 } },
        ],
      }),
    },
  } as unknown as ClusterClients;
}

const unavailable: V1APIService = {
  spec: { groupPriorityMinimum: 100, versionPriority: 100, service: { namespace: 'kube-system', name: 'metrics-server' } },
  status: { conditions: [{ type: 'Available', status: 'False', reason: 'MissingEndpoints', message: 'no addresses' }] },
};

describe('resources: reading the cause of an unavailable metrics API', () => {
  it('GIVEN a 404 for the APIService THEN it is missing', async () => {
    expect((await metricsApiProblem(clients('missing'))).problem).to.match(/^APIService v1beta1\.metrics\.k8s\.io is missing/);
  });

  it('GIVEN an unavailable APIService THEN only the Deployment its Service selects is named', async () => {
    const { problem } = await metricsApiProblem(clients(unavailable));
    expect(problem).to.equal(
      'APIService v1beta1.metrics.k8s.io is not Available (Available=False, MissingEndpoints: no addresses); metrics-server is not Ready: no ready pod behind service kube-system/metrics-server: Deployment kube-system/metrics-server has 0 replica(s), 0 ready',
    );
  });

  it('GIVEN an Available APIService THEN nothing else is read and there is no problem', async () => {
    const available = { ...unavailable, status: { conditions: [{ type: 'Available', status: 'True' }] } };
    const stub = clients(available);
    (stub.apps as unknown as { listNamespacedDeployment: () => never }).listNamespacedDeployment = () => {
      throw new Error('read the backend of an Available APIService');
    };
    expect((await metricsApiProblem(stub)).problem).to.equal(undefined);
  });
});
