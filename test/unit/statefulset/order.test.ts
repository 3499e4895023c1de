import { expect } from 'chai';
import type { V1Pod } from '@kubernetes/client-node';
import { allReadyRecorded, applyPodEvent, orderedStartViolations, type PodStates, type PodTransition } from '../../../src/statefulset/order.js';

function pod(name: string, uid: string, ready: boolean, deleting = false): V1Pod {
  return {
    metadata: { name, uid, deletionTimestamp: deleting ? new Date() : undefined },
    status: { phase: ready ? 'Running' : 'Pending', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

/** Feeds watch events through applyPodEvent like the recorder does. */
function record(events: Array<[string, V1Pod]>): PodTransition[] {
  const states: PodStates = new Map();
  let seq = 0;
  return events.flatMap(([type, p]) => applyPodEvent(states, type, p, () => seq++));
}

describe('statefulset: ordered start from watch events', () => {
  it('GIVEN ADDED and MODIFIED events THEN created/ready transitions come out once each, in stream order', () => {
    const t = record([
      ['ADDED', pod('web-0', 'a', false)],
      ['MODIFIED', pod('web-0', 'a', false)],
      ['MODIFIED', pod('web-0', 'a', true)],
      ['MODIFIED', pod('web-0', 'a', true)],
      ['ADDED', pod('web-1', 'b', false)],
      ['MODIFIED', pod('web-1', 'b', true)],
    ]);
    expect(t.map((x) => `${x.seq} ${x.pod} ${x.kind}`)).to.deep.equal(['0 web-0 created', '1 web-0 ready', '2 web-1 created', '3 web-1 ready']);
  });

  it('GIVEN a pod deleted and recreated under its name THEN the new UID starts over', () => {
    const t = record([
      ['ADDED', pod('web-1', 'old', true)],
      ['MODIFIED', pod('web-1', 'old', true, true)],
      ['DELETED', pod('web-1', 'old', false)],
      ['ADDED', pod('web-1', 'new', false)],
      ['MODIFIED', pod('web-1', 'new', true)],
      ['BOOKMARK', pod('', '', false)],
    ]);
    expect(t.map((x) => `${x.pod} ${x.uid} ${x.kind}`)).to.deep.equal(['web-1 old created', 'web-1 old ready', 'web-1 old unready', 'web-1 old deleted', 'web-1 new created', 'web-1 new ready']);
  });

  it('GIVEN OrderedReady behaviour THEN there is no violation', () => {
    const t = record([
      ['ADDED', pod('web-0', 'a', false)],
      ['MODIFIED', pod('web-0', 'a', true)],
      ['ADDED', pod('web-1', 'b', false)],
      ['MODIFIED', pod('web-1', 'b', true)],
      ['ADDED', pod('web-2', 'c', false)],
      ['MODIFIED', pod('web-2', 'c', true)],
    ]);
    expect(orderedStartViolations(t, ['web-0', 'web-1', 'web-2'])).to.deep.equal({
      violations: [],
      sequence: ['web-0 created', 'web-0 ready', 'web-1 created', 'web-1 ready', 'web-2 created', 'web-2 ready'],
    });
  });

  it('GIVEN Parallel behaviour (all created before any is Ready) THEN each later pod is a violation', () => {
    const t = record([
      ['ADDED', pod('web-0', 'a', false)],
      ['ADDED', pod('web-1', 'b', false)],
      ['ADDED', pod('web-2', 'c', false)],
      ['MODIFIED', pod('web-1', 'b', true)],
      ['MODIFIED', pod('web-0', 'a', true)],
      ['MODIFIED', pod('web-2', 'c', true)],
    ]);
    expect(orderedStartViolations(t, ['web-0', 'web-1', 'web-2']).violations).to.deep.equal(['web-1 was created before web-0 was Ready', 'web-2 was created before web-1 was Ready']);
  });

  it('GIVEN a pod that never appeared or never became Ready THEN it is named', () => {
    const t = record([
      ['ADDED', pod('web-0', 'a', false)],
      ['MODIFIED', pod('web-0', 'a', true)],
      ['ADDED', pod('web-1', 'b', false)],
    ]);
    expect(orderedStartViolations(t, ['web-0', 'web-1', 'web-2']).violations).to.deep.equal(['web-1 never became Ready', 'web-2 was never created']);
  });

  it('GIVEN other pods interleaved THEN they are ignored', () => {
    const t = record([
      ['ADDED', pod('web-0', 'a', false)],
      ['ADDED', pod('ephemeral-0', 'x', false)],
      ['MODIFIED', pod('web-0', 'a', true)],
      ['ADDED', pod('web-1', 'b', false)],
      ['MODIFIED', pod('web-1', 'b', true)],
    ]);
    const v = orderedStartViolations(t, ['web-0', 'web-1']);
    expect(v.violations).to.deep.equal([]);
    expect(v.sequence).to.not.include('ephemeral-0 created');
  });
});

describe('statefulset: has the recorder caught up?', () => {
  it('GIVEN ready transitions for some pods THEN allReadyRecorded holds only when every pod has one', () => {
    const t: PodTransition[] = [
      { pod: 'web-1', uid: 'b', kind: 'created', seq: 0 },
      { pod: 'web-1', uid: 'b', kind: 'ready', seq: 1 },
      { pod: 'web-2', uid: 'c', kind: 'created', seq: 2 },
    ];
    expect(allReadyRecorded(t, ['web-1'])).to.equal(true);
    expect(allReadyRecorded(t, ['web-1', 'web-2'])).to.equal(false);
    expect(allReadyRecorded([], [])).to.equal(true);
  });
});
