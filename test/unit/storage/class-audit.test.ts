import { expect } from 'chai';
import { auditDefaultClass, auditStorageClass, classTableRow, findingsOf } from '../../../src/storage/class-audit.js';
import { classFixture, storageClass } from './fixture.js';

describe('storage: default StorageClass', () => {
  it('GIVEN no StorageClass at all THEN it fails saying dynamic provisioning is impossible', () => {
    const v = auditDefaultClass([]);
    expect(v.ok).to.equal(false);
    expect(v.message).to.equal('the cluster has no StorageClass: claims can only bind to PersistentVolumes created by hand, so dynamic provisioning is impossible');
  });

  it('GIVEN classes but none marked default THEN it fails naming them all', () => {
    const v = auditDefaultClass([storageClass('gp2'), storageClass('fast')]);
    expect(v.ok).to.equal(false);
    expect(v.defaults).to.deep.equal([]);
    expect(v.message).to.equal('none of the 2 StorageClass(es) (gp2, fast) is the default (annotation storageclass.kubernetes.io/is-default-class: "true"): claims that name no class stay Pending');
  });

  it('GIVEN two defaults THEN it fails naming both, oldest first, and which one admission picks', () => {
    const v = auditDefaultClass([
      storageClass('newer', { isDefault: true, created: '2026-02-01T00:00:00Z' }),
      storageClass('plain'),
      storageClass('older', { isDefault: true, created: '2025-01-01T00:00:00Z' }),
    ]);
    expect(v.ok).to.equal(false);
    expect(v.defaults).to.deep.equal(['older', 'newer']);
    expect(v.message).to.equal('2 StorageClasses are marked default (older, newer), expected exactly one: claims that name no class silently get the newest (newer)');
  });

  it('GIVEN exactly one default THEN it passes naming it', () => {
    const v = auditDefaultClass([storageClass('local-path', { isDefault: true }), storageClass('other')]);
    expect(v).to.deep.equal({ ok: true, defaults: ['local-path'], message: 'local-path is the only default class' });
  });

  it('GIVEN the default marked only by the beta annotation THEN it passes but says so', () => {
    const v = auditDefaultClass([storageClass('legacy', { isDefault: true, beta: true })]);
    expect(v.ok).to.equal(true);
    expect(v.message).to.equal('legacy is the only default class (marked only by the deprecated storageclass.beta.kubernetes.io/is-default-class)');
  });

  it('GIVEN the annotation with a value other than exactly "true" THEN the class is not a default', () => {
    const sc = storageClass('x');
    sc.metadata = { ...sc.metadata, annotations: { 'storageclass.kubernetes.io/is-default-class': 'True' } };
    expect(auditDefaultClass([sc]).ok).to.equal(false);
  });
});

describe('storage: StorageClass audit', () => {
  it('GIVEN a well-formed gp3 default class THEN there is no failure or warning and the table shows reclaim and expansion', () => {
    const a = auditStorageClass(classFixture('ebs-gp3-default.yaml'));
    expect(findingsOf([a], 'fail')).to.deep.equal([]);
    expect(findingsOf([a], 'warn')).to.deep.equal([]);
    expect(classTableRow(a)).to.deep.equal(['gp3', 'yes', 'ebs.csi.aws.com', 'Delete', 'WaitForFirstConsumer', 'allowed', 'ok']);
  });

  it('GIVEN iopsPerGB as an unquoted number (manifest) THEN the audit fails on it', () => {
    expect(findingsOf([auditStorageClass(classFixture('ebs-io1-unquoted.yaml'))], 'fail')).to.deep.equal([
      'io1-unquoted: iopsPerGB must be a quoted string (e.g. iopsPerGB: "10"), got the number 10',
    ]);
  });

  it('GIVEN io1 above 50 IOPS per GiB THEN the audit fails on the ratio', () => {
    expect(findingsOf([auditStorageClass(classFixture('ebs-io1-over-ratio.yaml'))], 'fail')).to.deep.equal([
      'io1-fast: iopsPerGB "60" exceeds the io1 maximum of 50 IOPS per GiB: volumes of this class cannot get the IOPS it asks for',
    ]);
  });

  it('GIVEN io2 without iopsPerGB and Immediate binding THEN it fails on iopsPerGB and warns on the binding mode', () => {
    const a = auditStorageClass(classFixture('ebs-io2-missing-iops.yaml'));
    expect(a.bindingMode).to.equal('Immediate');
    expect(findingsOf([a], 'fail')).to.deep.equal(['io2-immediate: type io2 needs iopsPerGB (provisioned IOPS per GiB, a quoted string such as "10", at most 1000)']);
    expect(findingsOf([a], 'warn')).to.deep.equal([
      'io2-immediate: volumeBindingMode is Immediate although EBS volumes live in one availability zone: the volume is created before the pod is scheduled and may land where the pod cannot run; use WaitForFirstConsumer',
    ]);
  });

  it('GIVEN type standard and reclaim Retain THEN the type fails and Retain is reported', () => {
    const a = auditStorageClass(classFixture('ebs-bad-type.yaml'));
    expect(findingsOf([a], 'fail')).to.deep.equal(['magnetic: type "standard" is not an EBS volume type: use one of gp2, gp3, io1, io2, st1, sc1']);
    expect(a.reclaimPolicy).to.equal('Retain');
    expect(findingsOf([a], 'info')).to.include('magnetic: reclaim policy Retain: volumes outlive their claims and must be deleted by hand');
  });

  it('GIVEN a non-EBS class THEN EBS rules do not apply; zonal warnings still do for node-local provisioners', () => {
    const local = auditStorageClass(storageClass('lp', { provisioner: 'rancher.io/local-path', parameters: { type: 'whatever' } }));
    expect(findingsOf([local], 'fail')).to.deep.equal([]);
    expect(findingsOf([local], 'warn')[0]).to.match(/^lp: volumeBindingMode is Immediate although volumes are directories on one node/);
    const nfs = auditStorageClass(storageClass('nfs', { provisioner: 'nfs.csi.k8s.io' }));
    expect(nfs.findings).to.deep.equal([]);
  });

  it('GIVEN an unknown provisioner restricted by allowedTopologies with Immediate binding THEN it warns', () => {
    const sc = storageClass('zonal', { provisioner: 'example.com/zonal' });
    sc.allowedTopologies = [{ matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values: ['a'] }] }];
    expect(findingsOf([auditStorageClass(sc)], 'warn')[0]).to.match(/although the class restricts allowedTopologies/);
  });

  it('GIVEN defaults left out THEN reclaim policy is Delete, binding Immediate and expansion not allowed', () => {
    const a = auditStorageClass(storageClass('bare', { provisioner: 'example.com/x' }));
    expect([a.reclaimPolicy, a.bindingMode, a.allowsExpansion]).to.deep.equal(['Delete', 'Immediate', false]);
  });
});
