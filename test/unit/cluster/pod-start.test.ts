import { expect } from 'chai';
import type { V1Pod } from '@kubernetes/client-node';
import { PodStartWatch } from '../../../src/cluster/pod-start.js';

const limits = { schedulerSilence: { name: 'schedulerSilence', ms: 15_000 }, imagePull: { name: 'imagePull', ms: 20_000 } };
const t0 = Date.parse('2026-12-01T10:00:00Z');

function pod(status: V1Pod['status'], nodeName?: string): V1Pod {
  return { metadata: { namespace: 'ka-x', name: 'probe', creationTimestamp: new Date(t0) }, spec: { containers: [], nodeName }, status };
}

const pulling = (reason: string, message = 'failed to pull and unpack image "nope.example/probe:9": not found'): V1Pod =>
  pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }], containerStatuses: [{ name: 'probe', image: 'nope.example/probe:9', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason, message } } }] }, 'node-1');

describe('pod start diagnosis', () => {
  it('GIVEN a pod without node or PodScheduled condition THEN nothing is said before schedulerSilence, and kube-scheduler is named after it', () => {
    const watch = new PodStartWatch(limits);
    const pending = pod({ phase: 'Pending' });
    // Counted from the first look, by the local clock: a server clock behind ours blames no one.
    expect(watch.observe(pending, t0 + 600_000)).to.equal(undefined);
    expect(watch.observe(pending, t0 + 614_999)).to.equal(undefined);
    const problem = watch.observe(pending, t0 + 615_000);
    expect(problem?.component).to.equal('kube-scheduler');
    expect(problem?.sentence).to.equal('no scheduler acted on pod ka-x/probe within 15s (timeout schedulerSilence): it has no node and no PodScheduled condition, so kube-scheduler is not running or not working');
    expect(problem?.remediation).to.include('kube-scheduler');
  });

  it('GIVEN the scheduler marked the pod Unschedulable THEN it is a scheduling decision, not a silent scheduler', () => {
    const watch = new PodStartWatch(limits);
    const unschedulable = pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/1 nodes are available' }] });
    expect(watch.observe(unschedulable, t0)).to.equal(undefined);
    expect(watch.observe(unschedulable, t0 + 60_000)).to.equal(undefined);
  });

  it('GIVEN an unscheduled pod with a claim THEN the scheduler is not blamed (it holds such pods while the volume is provisioned)', () => {
    const watch = new PodStartWatch(limits);
    const withClaim: V1Pod = { ...pod({ phase: 'Pending' }), spec: { containers: [], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] } };
    expect(watch.observe(withClaim, t0)).to.equal(undefined);
    expect(watch.observe(withClaim, t0 + 60_000)).to.equal(undefined);
  });

  it('GIVEN a scheduled pod THEN the scheduler is never blamed however long it takes', () => {
    const watch = new PodStartWatch(limits);
    expect(watch.observe(pod({ phase: 'Pending' }, 'node-1'), t0)).to.equal(undefined);
    expect(watch.observe(pod({ phase: 'Pending' }, 'node-1'), t0 + 600_000)).to.equal(undefined);
  });

  it('GIVEN image pull failures THEN the image and the kubelet message are named once they lasted imagePull, counted from the first failure seen', () => {
    const watch = new PodStartWatch(limits);
    expect(watch.observe(pulling('ErrImagePull'), t0 + 5_000)).to.equal(undefined);
    expect(watch.observe(pulling('ImagePullBackOff', 'Back-off pulling image "nope.example/probe:9"'), t0 + 24_999)).to.equal(undefined);
    const problem = watch.observe(pulling('ErrImagePull'), t0 + 25_000);
    expect(problem?.component).to.equal('image-registry');
    expect(problem?.sentence).to.equal(
      'container probe of pod ka-x/probe cannot pull image nope.example/probe:9: ErrImagePull for 20s (timeout imagePull); the kubelet said: failed to pull and unpack image "nope.example/probe:9": not found',
    );
  });

  it('GIVEN a pull that recovers THEN the failure clock starts again', () => {
    const watch = new PodStartWatch(limits);
    expect(watch.observe(pulling('ErrImagePull'), t0)).to.equal(undefined);
    expect(watch.observe(pod({ phase: 'Running' }, 'node-1'), t0 + 10_000)).to.equal(undefined);
    expect(watch.observe(pulling('ErrImagePull'), t0 + 21_000)).to.equal(undefined);
    expect(watch.observe(pulling('ErrImagePull'), t0 + 41_000)?.component).to.equal('image-registry');
  });
});
