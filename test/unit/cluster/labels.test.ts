import { expect } from 'chai';
import { isOwnedByKubeAssay, ownershipLabels, ownershipSelector } from '../../../src/cluster/labels.js';

describe('ownership labels', () => {
  it('labels objects with managed-by and the run id, and selects by them', () => {
    expect(ownershipLabels('r1')).to.deep.equal({ 'app.kubernetes.io/managed-by': 'kube-assay', 'kube-assay.io/run-id': 'r1' });
    expect(ownershipSelector()).to.equal('app.kubernetes.io/managed-by=kube-assay');
    expect(ownershipSelector('r1')).to.equal('app.kubernetes.io/managed-by=kube-assay,kube-assay.io/run-id=r1');
  });

  it('GIVEN an object without both labels THEN it is never ours', () => {
    expect(isOwnedByKubeAssay(undefined)).to.equal(false);
    expect(isOwnedByKubeAssay({ 'app.kubernetes.io/managed-by': 'helm', 'kube-assay.io/run-id': 'r1' })).to.equal(false);
    expect(isOwnedByKubeAssay({ 'app.kubernetes.io/managed-by': 'kube-assay' })).to.equal(false);
    expect(isOwnedByKubeAssay({ 'app.kubernetes.io/managed-by': 'kube-assay', 'kube-assay.io/run-id': 'r1' })).to.equal(true);
  });

  it('GIVEN a run id THEN objects of other runs are not ours to touch', () => {
    const labels = ownershipLabels('r1');
    expect(isOwnedByKubeAssay(labels, 'r1')).to.equal(true);
    expect(isOwnedByKubeAssay(labels, 'r2')).to.equal(false);
  });
});
