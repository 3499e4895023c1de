import { expect } from 'chai';
import type { V1Pod } from '@kubernetes/client-node';
import { parseExpectations } from '../../../src/netpol/expectations.js';
import {
  agentPortFor, conflictingLabels, containersListening, expectationContainer, expectationPodManifest, expectationPodName, expectationProbe, expectationTopology,
  holderConfigMap, NEVER_READY_GATE,
} from '../../../src/netpol/expectation-pods.js';
import { expectationPods } from '../../../src/netpol/expectations.js';

const ownership = { 'app.kubernetes.io/managed-by': 'kube-assay', 'kube-assay.io/run-id': 'r1' };
const options = { image: 'probe:1', imagePullPolicy: 'IfNotPresent' as const, runId: 'r1', ownership, agentPort: 8079 };
const expectations = parseExpectations({
  expectations: [
    { from: { namespace: 'shop', pod: { app: 'frontend' } }, to: { namespace: 'shop', pod: { app: 'db' } }, port: 5432, expect: 'allowed' },
    { from: { namespace: 'shop', pod: { app: 'frontend' } }, to: { namespace: 'shop', pod: { app: 'db' } }, port: 53, protocol: 'UDP', expect: 'blocked' },
  ],
}, 'inline');
const pods = expectationPods(expectations);
const [frontend, db] = pods;
const udpExpectation = expectations[1];
if (frontend === undefined || db === undefined || udpExpectation === undefined) throw new Error('two pods and two expectations expected');

describe('netpol probe pods in the user\'s namespaces', () => {
  const manifest = expectationPodManifest(db, { name: 'ka-netpol-probes-x', uid: 'uid-1' }, options);

  it('GIVEN an endpoint THEN the pod carries exactly the user\'s labels plus kube-assay\'s, in the user\'s namespace', () => {
    expect(manifest.metadata?.namespace).to.equal('shop');
    expect(manifest.metadata?.labels).to.deep.equal({ app: 'db', ...ownership, 'kube-assay.io/probe': 'netpol-expectations' });
    expect(manifest.metadata?.name).to.equal(expectationPodName(db, 'r1')).and.to.match(/^ka-probe-[0-9a-f]{8}$/);
  });

  it('GIVEN the pod THEN no Service can route to it (a readiness gate nobody sets) and no ReplicaSet can adopt it (a kube-assay controller)', () => {
    expect(manifest.spec?.readinessGates).to.deep.equal([{ conditionType: NEVER_READY_GATE }]);
    expect(manifest.metadata?.ownerReferences).to.deep.equal([{ apiVersion: 'v1', kind: 'ConfigMap', name: 'ka-netpol-probes-x', uid: 'uid-1', controller: true, blockOwnerDeletion: false }]);
    expect(holderConfigMap('shop', options).metadata?.labels).to.deep.equal(ownership);
  });

  it('GIVEN a namespace enforcing the restricted Pod Security level THEN the pod complies (non-root, no capabilities, seccomp, low ports by safe sysctl)', () => {
    expect(manifest.spec?.securityContext).to.deep.include({ runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } });
    expect(manifest.spec?.securityContext?.sysctls).to.deep.equal([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }]);
    for (const c of manifest.spec?.containers ?? []) {
      expect(c.securityContext, c.name).to.deep.equal({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true });
      expect(c.resources?.limits, c.name).to.include.keys('cpu', 'memory');
    }
  });

  it('GIVEN the ports aimed at it THEN one listening server each (with a startup probe) plus the agent; a sending-only pod is the agent alone', () => {
    expect(manifest.spec?.containers.map((c) => c.name)).to.deep.equal(['cont-5432-tcp', 'cont-53-udp', 'agent']);
    expect(manifest.spec?.containers.every((c) => c.startupProbe !== undefined)).to.equal(true);
    const sender = expectationPodManifest(frontend, { name: 'h', uid: 'u' }, options);
    expect(sender.spec?.containers.map((c) => c.name)).to.deep.equal(['agent']);
  });

  it('GIVEN placed pods with IPs THEN the topology and probes address them and exec into a container they have', () => {
    const topology = expectationTopology(pods, new Map([[frontend.key, '10.1.0.1'], [db.key, '10.1.0.2']]), 'r1');
    const probe = expectationProbe(udpExpectation, pods, 'r1');
    expect(probe).to.deep.equal({ from: `shop/${expectationPodName(frontend, 'r1')}`, to: `shop/${expectationPodName(db, 'r1')}`, port: 53, protocol: 'UDP' });
    const [senderPod, serverPod] = topology.pods;
    expect(senderPod && expectationContainer(senderPod)).to.equal('agent');
    expect(serverPod && expectationContainer(serverPod)).to.equal('cont-5432-tcp');
    expect(serverPod?.ip).to.equal('10.1.0.2');
  });

  it('GIVEN an expectation aimed at the agent\'s default port over TCP THEN the agent moves to a free port', () => {
    expect(agentPortFor(expectations)).to.equal(8079);
    const at8079 = parseExpectations({ expectations: [
      { from: { namespace: 'a', pod: { x: '1' } }, to: { namespace: 'a', pod: { y: '1' } }, port: 8079, expect: 'allowed' },
      { from: { namespace: 'a', pod: { x: '1' } }, to: { namespace: 'a', pod: { y: '1' } }, port: 8078, expect: 'allowed' },
      { from: { namespace: 'a', pod: { x: '1' } }, to: { namespace: 'a', pod: { y: '1' } }, port: 8077, protocol: 'UDP', expect: 'allowed' },
    ] }, 'inline');
    expect(agentPortFor(at8079)).to.equal(8077);
    const agent = expectationPodManifest(db, { name: 'h', uid: 'u' }, { ...options, agentPort: 8077 }).spec?.containers.find((c) => c.name === 'agent');
    expect(agent?.command).to.include('--http-port=8077');
  });

  it('GIVEN user labels that are kube-assay\'s own THEN they are reported as conflicts', () => {
    expect(conflictingLabels({ app: 'x', 'kube-assay.io/run-id': 'mine' }, ownership)).to.deep.equal(['kube-assay.io/run-id']);
    expect(conflictingLabels({ app: 'x' }, ownership)).to.deep.equal([]);
  });

  it('GIVEN pod states THEN listening means Running with ContainersReady, though the pod itself is never Ready', () => {
    const pod = (phase: string, containersReady: string): V1Pod => ({ status: { phase, conditions: [{ type: 'ContainersReady', status: containersReady }, { type: 'Ready', status: 'False' }] } });
    expect(containersListening(pod('Running', 'True'))).to.equal(true);
    expect(containersListening(pod('Running', 'False'))).to.equal(false);
    expect(containersListening(pod('Pending', 'True'))).to.equal(false);
  });
});
