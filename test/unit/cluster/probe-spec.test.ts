import { expect } from 'chai';
import { probePod } from '../../../src/cluster/pods.js';
import { PROBE_GRACE_SECONDS, probeContainerSpec, probePodSpec } from '../../../src/cluster/probe-spec.js';
import { expectationPodManifest } from '../../../src/netpol/expectation-pods.js';
import { probePodManifest } from '../../../src/netpol/manifests.js';
import { buildTopology, findPod } from '../../../src/netpol/topology.js';
import { statefulSetManifest } from '../../../src/statefulset/manifests.js';

describe('probe pod spec defaults', () => {
  it('GIVEN only containers THEN the spec has the short grace period, no token and no service links', () => {
    expect(probePodSpec([])).to.deep.equal({
      terminationGracePeriodSeconds: 1, automountServiceAccountToken: false, enableServiceLinks: false, containers: [],
    });
  });

  it('GIVEN an explicit grace period or other fields THEN they win over the defaults, and containers stay the given ones', () => {
    const spec = probePodSpec([{ name: 'c' }], { terminationGracePeriodSeconds: 0, restartPolicy: 'Never' });
    expect(spec).to.deep.include({ terminationGracePeriodSeconds: 0, restartPolicy: 'Never', automountServiceAccountToken: false });
    expect(spec.containers).to.deep.equal([{ name: 'c' }]);
  });

  it('GIVEN a container THEN it gets no privilege escalation and IfNotPresent unless the caller says otherwise', () => {
    expect(probeContainerSpec({ name: 'c', image: 'i' })).to.deep.equal({
      name: 'c', image: 'i', imagePullPolicy: 'IfNotPresent', securityContext: { allowPrivilegeEscalation: false },
    });
    const own = probeContainerSpec({ name: 'c', image: 'i', pullPolicy: 'Never', securityContext: { readOnlyRootFilesystem: true } });
    expect(own).to.deep.include({ imagePullPolicy: 'Never', securityContext: { readOnlyRootFilesystem: true } });
    expect(own).not.to.have.property('pullPolicy');
  });

  describe('every probe pod builder uses them', () => {
    const topology = buildTopology({ namespaces: ['x'], pods: ['a'], ports: [{ port: 80, protocol: 'TCP' }] });
    const labPod = findPod(topology, 'x/a');
    if (labPod === undefined) throw new Error('x/a must exist');
    const shared = { automountServiceAccountToken: false, enableServiceLinks: false };

    it('GIVEN a plain probe pod or a StatefulSet template THEN the default grace period keeps replacement fast', () => {
      const pod = probePod({ name: 'p', namespace: 'n', image: 'i', pullPolicy: 'Never', labels: {}, command: ['sh'] });
      expect(pod.spec).to.deep.include({ ...shared, terminationGracePeriodSeconds: PROBE_GRACE_SECONDS, restartPolicy: 'Always' });
      expect(pod.spec?.containers[0]).to.deep.include({ imagePullPolicy: 'Never', securityContext: { allowPrivilegeEscalation: false } });
      const set = statefulSetManifest({
        name: 'web', namespace: 'n', serviceName: 'web', replicas: 1, labels: {}, selector: { a: 'b' }, claimTemplate: 'data', claimLabels: {},
        size: '1Gi', image: 'i', pullPolicy: 'Never',
      });
      expect(set.spec?.template.spec).to.deep.include({ ...shared, terminationGracePeriodSeconds: 1 });
    });

    it('GIVEN netpol lab and expectation pods THEN they keep their explicit grace period 0 and the shared defaults', () => {
      const lab = probePodManifest(labPod, topology, { image: 'i' });
      expect(lab.spec).to.deep.include({ ...shared, terminationGracePeriodSeconds: 0 });
      expect(lab.spec?.containers.every((c) => c.securityContext?.allowPrivilegeEscalation === false && c.imagePullPolicy === 'IfNotPresent')).to.equal(true);
      const expectation = expectationPodManifest(
        { key: 'k', namespace: 'shop', labels: { app: 'web' }, serves: [{ port: 80, protocol: 'TCP' }] },
        { name: 'holder', uid: 'u' },
        { image: 'i', imagePullPolicy: 'IfNotPresent', runId: 'r1', ownership: {}, agentPort: 8079 },
      );
      expect(expectation.spec).to.deep.include({ ...shared, terminationGracePeriodSeconds: 0 });
    });
  });
});
