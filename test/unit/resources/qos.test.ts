import { expect } from 'chai';
import { expectedQosClass, QOS_CASES } from '../../../src/resources/qos.js';

describe('resources: QoS class computed from the containers', () => {
  it('GIVEN the four cases of the check THEN they call for BestEffort, Guaranteed, Burstable, Burstable', () => {
    expect(QOS_CASES.map((c) => expectedQosClass(c.containers))).to.deep.equal(['BestEffort', 'Guaranteed', 'Burstable', 'Burstable']);
  });

  it('GIVEN requests equal to limits written in other units THEN the pod is Guaranteed', () => {
    expect(expectedQosClass([{ resources: { requests: { cpu: '0.1', memory: '32Mi' }, limits: { cpu: '100m', memory: '33554432' } } }])).to.equal('Guaranteed');
  });

  it('GIVEN a CPU limit but no memory limit THEN the pod is Burstable, not Guaranteed', () => {
    expect(expectedQosClass([{ resources: { limits: { cpu: '100m' } } }])).to.equal('Burstable');
  });

  it('GIVEN only resources other than cpu and memory THEN the pod is BestEffort', () => {
    expect(expectedQosClass([{ resources: { limits: { 'ephemeral-storage': '1Gi' } } }])).to.equal('BestEffort');
  });
});
