import { expect } from 'chai';
import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { behaviourRows, describeCondition, isScalingActive, ReplicaTimeline } from '../../../src/resources/hpa-status.js';
import { burnUrl, loadScript } from '../../../src/resources/hpa.js';

function hpa(current: number, desired: number, cpu?: number, active = 'True'): V2HorizontalPodAutoscaler {
  return {
    spec: { maxReplicas: 4, scaleTargetRef: { kind: 'Deployment', name: 'x' } },
    status: {
      currentReplicas: current,
      desiredReplicas: desired,
      conditions: [{ type: 'ScalingActive', status: active, reason: active === 'True' ? 'ValidMetricFound' : 'FailedGetResourceMetric', message: 'm', lastTransitionTime: new Date(0) }],
      currentMetrics: cpu === undefined ? [] : [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: cpu } } }],
    },
  };
}

describe('resources: HPA status and replica timeline', () => {
  it('GIVEN repeated and changed statuses THEN the timeline keeps one entry per change and knows when replicas were raised', () => {
    const timeline = new ReplicaTimeline(1000);
    timeline.record(hpa(1, 1, 2), 1000);
    timeline.record(hpa(1, 1, 2), 5000);
    timeline.record(hpa(1, 1, 240), 21_000);
    timeline.record(hpa(1, 4, 240), 36_500);
    timeline.record(hpa(4, 4, 61), 52_000);
    expect(timeline.rows()).to.deep.equal([
      ['0.0 s', '1', '1', '2%'],
      ['20.0 s', '1', '1', '240%'],
      ['35.5 s', '1', '4', '240%'],
      ['51.0 s', '4', '4', '61%'],
    ]);
    expect(timeline.raisedAtMs(1)).to.equal(35_500);
    expect(new ReplicaTimeline(0).raisedAtMs(1)).to.equal(undefined);
  });

  it('GIVEN an HPA that cannot read metrics THEN it is not active and the condition is quoted with its reason', () => {
    expect(isScalingActive(hpa(1, 1, undefined, 'False'))).to.equal(false);
    expect(describeCondition(hpa(1, 1, undefined, 'False'), 'ScalingActive')).to.equal('ScalingActive=False (FailedGetResourceMetric: m)');
    expect(describeCondition(hpa(1, 1), 'AbleToScale')).to.equal('AbleToScale not reported yet');
    expect(isScalingActive(hpa(1, 1))).to.equal(true);
  });

  it('GIVEN the API server defaults for behaviour THEN both directions are described', () => {
    const h = hpa(1, 1);
    h.spec = {
      ...h.spec,
      maxReplicas: 4,
      scaleTargetRef: { kind: 'Deployment', name: 'x' },
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
        scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
      },
    };
    expect(behaviourRows(h)).to.deep.equal([
      ['scale up', 'stabilization window 0 s; policies 4 pod(s) per 15 s, 100 % per 15 s; select Max'],
      ['scale down', 'stabilization window 300 s; policies 100 % per 15 s; select Max'],
    ]);
    expect(behaviourRows(hpa(1, 1))[1]).to.deep.equal(['scale down', 'unset: controller default, stabilization window 300 s; at most 100 % per 15 s']);
  });

  it('GIVEN the service address THEN the load loops request a URL-encoded burn from netexec /shell', () => {
    const url = burnUrl('10.96.0.42');
    expect(url).to.match(/^http:\/\/10\.96\.0\.42:8080\/shell\?shellCommand=i%3D0%3B%20while%20/);
    expect(decodeURIComponent(url.split('=').slice(1).join('='))).to.equal('i=0; while [ $i -lt 50000 ]; do i=$((i+1)); done; echo $i');
    expect(loadScript(url)).to.equal(`for w in $(seq 2); do (while :; do wget -q -O /dev/null '${url}' || sleep 1; done) & done; wait`);
  });
});
