import { expect } from 'chai';
import type { V1PersistentVolumeClaim } from '@kubernetes/client-node';
import { claimFate, keptClaimProblems, ownerOf, retentionPolicy } from '../../../src/statefulset/retention.js';

const claim = (over: { phase?: string; volume?: string; owner?: string; deleting?: boolean } = {}): V1PersistentVolumeClaim => ({
  metadata: {
    name: 'data-web-1',
    deletionTimestamp: over.deleting ? new Date() : undefined,
    ownerReferences: over.owner === undefined ? undefined : [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: over.owner }],
  },
  spec: { volumeName: over.volume ?? 'pv-1' },
  status: { phase: over.phase ?? 'Bound' },
});

describe('statefulset: claim retention policy', () => {
  it('GIVEN no policy THEN both actions default to Retain and claims are kept', () => {
    const p = retentionPolicy({ spec: { selector: {}, serviceName: 'web', template: {} } });
    expect(p).to.deep.equal({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(claimFate(p, 'set-deleted')).to.equal('kept');
    expect(claimFate(p, 'scaled-down')).to.equal('kept');
  });

  it('GIVEN Delete for one event only THEN only that event deletes', () => {
    const p = retentionPolicy({ spec: { selector: {}, serviceName: 'web', template: {}, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete' } } });
    expect(claimFate(p, 'set-deleted')).to.equal('deleted');
    expect(claimFate(p, 'scaled-down')).to.equal('kept');
  });

  it('GIVEN a kept claim in order THEN no problem', () => {
    expect(keptClaimProblems(claim(), 'data-web-1', { volume: 'pv-1', setUid: 'set-uid' })).to.deep.equal([]);
  });

  it('GIVEN a claim that is gone, deleting, unbound, rebound elsewhere or owned by the set THEN each is named', () => {
    expect(keptClaimProblems(undefined, 'data-web-1', {})).to.deep.equal(['claim data-web-1 is gone']);
    expect(keptClaimProblems(claim({ deleting: true, phase: 'Lost', volume: 'pv-2', owner: 'set-uid' }), 'data-web-1', { volume: 'pv-1', setUid: 'set-uid' })).to.deep.equal([
      'claim data-web-1 is being deleted',
      'claim data-web-1 is Lost, not Bound',
      'claim data-web-1 is bound to pv-2, expected pv-1',
      'claim data-web-1 is owned by StatefulSet web, so it would be deleted with it',
    ]);
  });

  it('GIVEN owner references THEN ownerOf finds the owner by UID only', () => {
    expect(ownerOf(claim({ owner: 'u1' }), 'u1')?.kind).to.equal('StatefulSet');
    expect(ownerOf(claim({ owner: 'u1' }), 'u2')).to.equal(undefined);
    expect(ownerOf(claim(), undefined)).to.equal(undefined);
  });
});
