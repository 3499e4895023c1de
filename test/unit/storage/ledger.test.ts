import { expect } from 'chai';
import type { V1PersistentVolume, V1PersistentVolumeClaim } from '@kubernetes/client-node';
import { cleanupClean, cleanupVerdict, VolumeLedger } from '../../../src/storage/ledger.js';

const pv = (name: string, policy = 'Delete', phase = 'Released'): V1PersistentVolume => ({ metadata: { name }, spec: { persistentVolumeReclaimPolicy: policy }, status: { phase } });
const pvc = (ns: string, name: string): V1PersistentVolumeClaim => ({ metadata: { namespace: ns, name } });

function ledger(): VolumeLedger {
  const l = new VolumeLedger();
  l.recordClaim({ checkId: 'storage/a', namespace: 'ns1', claim: 'c1', claimUid: 'u1', storageClass: 'local-path' });
  l.recordVolume('u1', 'pv-1', 'Delete');
  l.recordClaim({ checkId: 'storage/a', namespace: 'ns1', claim: 'c2', claimUid: 'u2', storageClass: 'keep' });
  l.recordVolume('u2', 'pv-2', 'Retain');
  l.recordClaim({ checkId: 'storage/b', namespace: 'ns2', claim: 'never-bound', claimUid: 'u3', storageClass: 'local-path' });
  return l;
}

describe('storage: cleanup ledger', () => {
  it('GIVEN claims recorded at creation and volumes at binding THEN entries carry both, unbound ones without a volume', () => {
    const entries = ledger().all();
    expect(entries.map((e) => [e.claim, e.volume, e.reclaimPolicy])).to.deep.equal([
      ['c1', 'pv-1', 'Delete'],
      ['c2', 'pv-2', 'Retain'],
      ['never-bound', undefined, undefined],
    ]);
  });

  it('GIVEN a volume recorded for an unknown claim THEN it is ignored', () => {
    const l = new VolumeLedger();
    l.recordVolume('nope', 'pv-x', 'Delete');
    expect(l.all()).to.deep.equal([]);
  });

  it('GIVEN everything gone except the Retain volume THEN cleanup is clean and the retained volume is reported', () => {
    const v = cleanupVerdict(ledger().all(), [], [pv('pv-2', 'Retain'), pv('someone-elses')]);
    expect(v).to.deep.equal({ claims: [], undeleted: [], retained: ['pv-2 (Retain)'] });
    expect(cleanupClean(v)).to.equal(true);
  });

  it('GIVEN a claim left and a Delete volume left THEN cleanup is not clean and both are named', () => {
    const v = cleanupVerdict(ledger().all(), [pvc('ns2', 'never-bound')], [pv('pv-1')]);
    expect(v).to.deep.equal({ claims: ['ns2/never-bound'], undeleted: ['pv-1'], retained: [] });
    expect(cleanupClean(v)).to.equal(false);
  });

  it('GIVEN a volume whose policy was changed to Retain after binding THEN the volume\'s own policy decides', () => {
    expect(cleanupVerdict(ledger().all(), [], [pv('pv-1', 'Retain')]).retained).to.deep.equal(['pv-1 (Retain)']);
  });
});
