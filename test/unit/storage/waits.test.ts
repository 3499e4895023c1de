import { expect } from 'chai';
import type { V1PersistentVolumeClaim, V1Pod } from '@kubernetes/client-node';
import { suiteOfNamespace, unionMs, WaitTracker } from '../../../src/storage/waits.js';

const labels = { 'app.kubernetes.io/managed-by': 'kube-assay', 'kube-assay.io/run-id': 'r1' };
const pod = (name: string, ready: boolean, uid = name): V1Pod => ({
  metadata: { name, uid, namespace: 'ka-storage-x-1', labels },
  status: { phase: ready ? 'Running' : 'Pending', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});
const claim = (name: string, phase: string): V1PersistentVolumeClaim => ({ metadata: { name, uid: name, namespace: 'ka-statefulset-setup-1', labels }, status: { phase } });

describe('storage: unavoidable waits', () => {
  it('GIVEN a pod from creation to Ready THEN one pod-start interval with its run id', () => {
    const t = new WaitTracker();
    t.observePod('ADDED', pod('p', false), 1000);
    t.observePod('MODIFIED', pod('p', false), 1500);
    t.observePod('MODIFIED', pod('p', true), 4000);
    t.observePod('MODIFIED', pod('p', true), 5000);
    expect(t.intervals(9000)).to.deep.equal([{ kind: 'pod-start', runId: 'r1', namespace: 'ka-storage-x-1', name: 'p', start: 1000, end: 4000, unfinished: false }]);
  });

  it('GIVEN a container restart (Ready, unready, Ready) THEN the restart is a second interval', () => {
    const t = new WaitTracker();
    t.observePod('ADDED', pod('p', false), 0);
    t.observePod('MODIFIED', pod('p', true), 2000);
    t.observePod('MODIFIED', pod('p', false), 3000);
    t.observePod('MODIFIED', pod('p', true), 4000);
    expect(t.intervals(10_000).map((i) => [i.start, i.end])).to.deep.equal([[0, 2000], [3000, 4000]]);
  });

  it('GIVEN a pod deleted before Ready, or still pending at the end THEN its interval is marked unfinished', () => {
    const t = new WaitTracker();
    t.observePod('ADDED', pod('gone', false), 0);
    t.observePod('DELETED', pod('gone', false), 700);
    t.observePod('ADDED', pod('stuck', false), 1000);
    expect(t.intervals(5000).map((i) => [i.name, i.end, i.unfinished])).to.deep.equal([
      ['gone', 700, true],
      ['stuck', 5000, true],
    ]);
  });

  it('GIVEN a claim from Pending to Bound THEN one volume-bind interval; a Bound claim first seen adds nothing', () => {
    const t = new WaitTracker();
    t.observeClaim('ADDED', claim('data-web-0', 'Pending'), 100);
    t.observeClaim('MODIFIED', claim('data-web-0', 'Bound'), 3100);
    t.observeClaim('ADDED', claim('old', 'Bound'), 200);
    expect(t.intervals(9000).map((i) => [i.kind, i.name, i.end - i.start])).to.deep.equal([['volume-bind', 'data-web-0', 3000]]);
  });

  it('GIVEN overlapping and disjoint intervals THEN the union counts overlaps once', () => {
    expect(unionMs([])).to.equal(0);
    expect(unionMs([{ start: 0, end: 10 }, { start: 5, end: 15 }, { start: 20, end: 30 }, { start: 21, end: 22 }])).to.equal(25);
    expect(unionMs([{ start: 20, end: 30 }, { start: 0, end: 10 }, { start: 10, end: 12 }])).to.equal(22);
    expect(unionMs([{ start: 5, end: 5 }])).to.equal(0);
  });

  it('GIVEN test namespaces THEN the suite is read from the name', () => {
    expect(suiteOfNamespace('ka-storage-dynamic-provisioning-1a2b3c4d', ['storage', 'statefulset'])).to.equal('storage');
    expect(suiteOfNamespace('ka-statefulset-setup-sets-1a2b3c4d', ['storage', 'statefulset'])).to.equal('statefulset');
    expect(suiteOfNamespace('ka-conformance-x', ['storage', 'statefulset'])).to.equal(undefined);
  });
});
