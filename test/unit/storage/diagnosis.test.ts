import { expect } from 'chai';
import type { V1Pod } from '@kubernetes/client-node';
import { awaitsProvisioner, claimProgress, diagnoseUnboundClaim, hopelessClaim, waitedForProvisioner, type ClaimFacts, type ProvisionerPresence } from '../../../src/storage/diagnosis.js';
import { knownProvisioner } from '../../../src/storage/provisioners.js';
import { claim, event, externalProvisioning, storageClass } from './fixture.js';

const localPath = storageClass('local-path', { isDefault: true, provisioner: 'rancher.io/local-path', bindingMode: 'WaitForFirstConsumer' });
const presence = (over: Partial<ProvisionerPresence> = {}): ProvisionerPresence => ({
  provisioner: 'rancher.io/local-path',
  known: knownProvisioner('rancher.io/local-path'),
  pods: [],
  workloads: [],
  csiDriverRegistered: false,
  ...over,
});
const facts = (over: Partial<ClaimFacts>): ClaimFacts => ({ claim: claim('data', { storageClass: 'local-path', selectedNode: 'n1' }), events: [], classes: [localPath], ...over });

describe('storage: why a claim is not bound', () => {
  describe('causes visible without waiting', () => {
    it('GIVEN a claim naming no class and no default class THEN: no default StorageClass, naming the classes', () => {
      const d = diagnoseUnboundClaim({ claim: claim('data'), events: [], classes: [storageClass('gp2'), storageClass('fast')] });
      expect(d.kind).to.equal('no-default-class');
      expect(d.text).to.equal('no default StorageClass: claim ns/data names no class and none of the 2 class(es) (gp2, fast) is marked default');
      expect(d.remediation).to.include('storageclass.kubernetes.io/is-default-class: "true"');
    });

    it('GIVEN a claim naming no class and a default class exists THEN nothing is hopeless', () => {
      expect(hopelessClaim(claim('data'), [localPath])).to.equal(undefined);
    });

    it('GIVEN a claim naming a class that does not exist THEN: StorageClass not found', () => {
      const d = diagnoseUnboundClaim({ claim: claim('data', { storageClass: 'gp3' }), events: [], classes: [localPath] });
      expect(d.kind).to.equal('class-not-found');
      expect(d.text).to.equal('StorageClass not found: claim ns/data asks for class gp3, which does not exist (classes: local-path)');
    });

    it('GIVEN storageClassName "" THEN only a hand-made volume can bind it', () => {
      expect(diagnoseUnboundClaim({ claim: claim('data', { storageClass: '' }), events: [], classes: [localPath] }).kind).to.equal('static-only');
    });

    it('GIVEN a kubernetes.io/no-provisioner class THEN: no provisioner running, without waiting', () => {
      const local = storageClass('local', { provisioner: 'kubernetes.io/no-provisioner' });
      const d = hopelessClaim(claim('data', { storageClass: 'local' }), [local]);
      expect(d?.kind).to.equal('no-provisioner');
      expect(d?.text).to.match(/^no provisioner running: class local uses kubernetes.io\/no-provisioner/);
    });
  });

  describe('the provisioner the PV controller waits for', () => {
    it('GIVEN the ExternalProvisioning event THEN its provisioner is read from the message', () => {
      expect(waitedForProvisioner([event('WaitForFirstConsumer', 'waiting for first consumer'), externalProvisioning('ebs.csi.aws.com')])).to.equal('ebs.csi.aws.com');
      expect(waitedForProvisioner([event('WaitForFirstConsumer', 'waiting for first consumer')])).to.equal(undefined);
    });

    it('GIVEN an in-tree class migrated to CSI THEN the diagnosis names the CSI driver from the event', () => {
      const inTree = storageClass('gp2', { provisioner: 'kubernetes.io/aws-ebs' });
      const d = diagnoseUnboundClaim({
        claim: claim('data', { storageClass: 'gp2', selectedNode: 'n1' }),
        events: [externalProvisioning('ebs.csi.aws.com')],
        classes: [inTree],
        presence: { provisioner: 'ebs.csi.aws.com', known: knownProvisioner('ebs.csi.aws.com'), pods: [], workloads: [], csiDriverRegistered: true },
        waitedMs: 30_000,
      });
      expect(d.text).to.equal('no provisioner running: claim ns/data has waited 30s for ebs.csi.aws.com, but no pod of it exists (looked for app=ebs-csi-controller in all namespaces)');
    });
  });

  describe('provisioner silent: no provisioner running vs provisioner down', () => {
    const waiting = [event('WaitForFirstConsumer', 'waiting for first consumer to be created before binding'), externalProvisioning('rancher.io/local-path')];

    it('GIVEN a known provisioner with no pod and its Deployment scaled to 0 THEN: no provisioner running, naming the Deployment', () => {
      const d = diagnoseUnboundClaim(facts({ events: waiting, waitedMs: 30_600, presence: presence({ workloads: [{ kind: 'Deployment', namespace: 'local-path-storage', name: 'local-path-provisioner', replicas: 0, ready: 0 }] }) }));
      expect(d.kind).to.equal('no-provisioner');
      expect(d.text).to.equal(
        'no provisioner running: claim ns/data has waited 30.6s for rancher.io/local-path, but no pod of it exists (looked for app=local-path-provisioner in all namespaces); Deployment local-path-storage/local-path-provisioner has 0 replica(s), 0 ready',
      );
      expect(d.remediation).to.equal('Deploy or scale up the local-path-provisioner Deployment (pods labelled app=local-path-provisioner) and check why it is not running.');
    });

    it('GIVEN its pods exist but none is ready THEN: provisioner down, listing the pods', () => {
      const d = diagnoseUnboundClaim(facts({ events: waiting, presence: presence({ pods: [{ namespace: 'lp', name: 'lpp-1', ready: false, state: 'Pending (ImagePullBackOff)' }] }) }));
      expect(d.kind).to.equal('provisioner-down');
      expect(d.text).to.equal('provisioner down: claim ns/data waits for rancher.io/local-path, whose pods are not ready: lp/lpp-1 (Pending (ImagePullBackOff))');
    });

    it('GIVEN its pods are ready but it never reported on the claim THEN: provisioner down (no event from it)', () => {
      const d = diagnoseUnboundClaim(facts({ events: waiting, presence: presence({ pods: [{ namespace: 'lp', name: 'lpp-1', ready: true, state: 'Running' }] }) }));
      expect(d.kind).to.equal('provisioner-down');
      expect(d.text).to.equal('provisioner down: claim ns/data waits for rancher.io/local-path; its pods run (lp/lpp-1 (Running)) but it reported nothing about the claim (no event from it)');
    });

    it('GIVEN an unknown provisioner with a registered CSIDriver THEN: provisioner down', () => {
      const sc = storageClass('x', { provisioner: 'x.csi.example.com' });
      const d = diagnoseUnboundClaim({ claim: claim('data', { storageClass: 'x' }), events: [externalProvisioning('x.csi.example.com')], classes: [sc], presence: { provisioner: 'x.csi.example.com', pods: [], workloads: [], csiDriverRegistered: true } });
      expect(d.kind).to.equal('provisioner-down');
      expect(d.text).to.match(/^provisioner down: claim ns\/data waits for x.csi.example.com; CSIDriver x.csi.example.com is registered but its controller reported nothing/);
    });

    it('GIVEN an unknown provisioner, no CSIDriver and no event from it THEN: no provisioner running', () => {
      const sc = storageClass('x', { provisioner: 'x.example.com/nfs' });
      const d = diagnoseUnboundClaim({ claim: claim('data', { storageClass: 'x' }), events: [externalProvisioning('x.example.com/nfs')], classes: [sc], presence: { provisioner: 'x.example.com/nfs', pods: [], workloads: [], csiDriverRegistered: false } });
      expect(d.kind).to.equal('no-provisioner');
      expect(d.text).to.equal('no provisioner running: claim ns/data waits for x.example.com/nfs, but nothing acted on it (no event from x.example.com/nfs) and no CSIDriver of that name is registered');
    });
  });

  describe('the provisioner acted', () => {
    const component = 'rancher.io/local-path_local-path-provisioner-788d56b9d4-nj48b_a4aaba61';

    it('GIVEN ProvisioningFailed as its latest event THEN: provisioning failed, with its message', () => {
      const events = [externalProvisioning('rancher.io/local-path'), event('Provisioning', 'External provisioner is provisioning volume', component), event('ProvisioningFailed', 'failed to provision volume: helper pod failed', component, 'Warning')];
      const d = diagnoseUnboundClaim(facts({ events }));
      expect(d.kind).to.equal('provisioning-failed');
      expect(d.text).to.equal('provisioning failed: rancher.io/local-path reports for claim ns/data: failed to provision volume: helper pod failed');
    });

    it('GIVEN a failure followed by a new attempt THEN it is provisioning, not failed', () => {
      const events = [externalProvisioning('rancher.io/local-path'), event('ProvisioningFailed', 'transient', component, 'Warning'), event('Provisioning', 'External provisioner is provisioning volume', component)];
      const progress = claimProgress(claim('data', { storageClass: 'local-path' }), events);
      expect(progress.stage).to.equal('provisioning');
      expect(awaitsProvisioner(progress)).to.equal(false);
      expect(diagnoseUnboundClaim(facts({ events })).kind).to.equal('provisioning-slow');
    });

    it('GIVEN an event recognised only by its component prefix THEN it counts as a sign of life', () => {
      const events = [externalProvisioning('rancher.io/local-path'), event('SomethingElse', 'working on it', component)];
      expect(claimProgress(claim('data', { storageClass: 'local-path' }), events).stage).to.equal('provisioning');
    });
  });

  describe('waiting for the first consumer', () => {
    const wffc = [event('WaitForFirstConsumer', 'waiting for first consumer to be created before binding')];

    it('GIVEN no selected node and a pod that failed to schedule THEN: consumer not scheduled, with the scheduler message', () => {
      const pod: V1Pod = { metadata: { name: 'writer' }, status: { phase: 'Pending' } };
      const d = diagnoseUnboundClaim({
        claim: claim('data', { storageClass: 'local-path' }),
        events: wffc,
        classes: [localPath],
        consumer: { pod, events: [event('FailedScheduling', '0/1 nodes are available: 1 node(s) had untolerated taint.', 'default-scheduler', 'Warning')] },
      });
      expect(d.kind).to.equal('consumer-not-scheduled');
      expect(d.text).to.equal('consumer not scheduled: claim ns/data binds WaitForFirstConsumer and its pod writer has not been placed on a node: 0/1 nodes are available: 1 node(s) had untolerated taint.');
    });

    it('GIVEN no pod uses the claim THEN: no consumer', () => {
      expect(diagnoseUnboundClaim({ claim: claim('data', { storageClass: 'local-path' }), events: wffc, classes: [localPath] }).kind).to.equal('no-consumer');
    });
  });

  describe('claim stages', () => {
    it('GIVEN phase Bound THEN the stage is bound whatever the events', () => {
      expect(claimProgress(claim('data', { phase: 'Bound' }), [externalProvisioning('x')]).stage).to.equal('bound');
    });

    it('GIVEN only the ExternalProvisioning event THEN the claim awaits the provisioner', () => {
      const progress = claimProgress(claim('data'), [externalProvisioning('rancher.io/local-path')]);
      expect(progress).to.deep.equal({ stage: 'waiting-for-provisioner', provisioner: 'rancher.io/local-path' });
      expect(awaitsProvisioner(progress)).to.equal(true);
    });

    it('GIVEN no event at all THEN the stage is pending and the diagnosis does not guess', () => {
      const d = diagnoseUnboundClaim(facts({}));
      expect(d.kind).to.equal('unknown');
      expect(d.text).to.equal('claim ns/data is Pending');
    });
  });
});
