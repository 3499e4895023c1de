import { expect } from 'chai';
import type { V1APIService } from '@kubernetes/client-node';
import { apiServiceProblem, unscrapedNodes, unscrapedSentence } from '../../../src/resources/metrics-diagnosis.js';

const apiService = (status: string, reason?: string, message?: string): V1APIService => ({
  spec: { groupPriorityMinimum: 100, versionPriority: 100, service: { namespace: 'kube-system', name: 'metrics-server' } },
  status: { conditions: [{ type: 'Available', status, reason, message }] },
});

describe('resources: why the resource metrics API does not serve', () => {
  it('GIVEN no APIService THEN it is missing', () => {
    expect(apiServiceProblem(undefined, undefined)).to.equal('APIService v1beta1.metrics.k8s.io is missing: no metrics server is registered with the aggregation layer, so the resource metrics API does not exist');
  });

  it('GIVEN an Available APIService THEN there is no problem', () => {
    expect(apiServiceProblem(apiService('True', 'Passed'), undefined)).to.equal(undefined);
  });

  it('GIVEN metrics-server scaled to zero THEN the aggregator condition and the Deployment are named', () => {
    const problem = apiServiceProblem(apiService('False', 'MissingEndpoints', 'endpoints for service/metrics-server in "kube-system" have no addresses with port name "https"'), {
      service: 'kube-system/metrics-server',
      deployments: [{ metadata: { name: 'metrics-server', namespace: 'kube-system' }, spec: { replicas: 0, selector: {}, template: {} }, status: {} }],
      pods: [],
    });
    expect(problem).to.equal(
      'APIService v1beta1.metrics.k8s.io is not Available (Available=False, MissingEndpoints: endpoints for service/metrics-server in "kube-system" have no addresses with port name "https"); metrics-server is not Ready: no ready pod behind service kube-system/metrics-server: Deployment kube-system/metrics-server has 0 replica(s), 0 ready',
    );
  });

  it('GIVEN a crashing metrics-server pod THEN the pod and its waiting reason are named', () => {
    const problem = apiServiceProblem(apiService('False', 'FailedDiscoveryCheck'), {
      service: 'kube-system/metrics-server',
      deployments: [],
      pods: [{ metadata: { name: 'metrics-server-1' }, status: { phase: 'Running', containerStatuses: [{ name: 'm', image: 'i', imageID: '', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } } }] } }],
    });
    expect(problem).to.match(/FailedDiscoveryCheck\); metrics-server is not Ready: no ready pod behind service kube-system\/metrics-server: pod metrics-server-1 is Running \(CrashLoopBackOff\), not Ready$/);
  });

  it('GIVEN nodes without NodeMetrics THEN the kubelet is named as not scraped', () => {
    const missing = unscrapedNodes(['a', 'b', 'c'], ['b']);
    expect(missing).to.deep.equal(['a', 'c']);
    expect(unscrapedSentence(missing, 3)).to.match(/^kubelet not scraped: no NodeMetrics for 2 of 3 node\(s\) \(a, c\)/);
  });
});
