import { expect } from 'chai';
import type { V1Pod } from '@kubernetes/client-node';
import { claimName, headlessService, identityCommand, parseIdentity, podFqdn, statefulSetManifest } from '../../../src/statefulset/manifests.js';
import { exactlyReady } from '../../../src/statefulset/workload.js';

const labels = { 'app.kubernetes.io/managed-by': 'kube-assay', 'kube-assay.io/run-id': 'r1' };

describe('statefulset: manifests and names', () => {
  const set = statefulSetManifest({
    name: 'web',
    namespace: 'ns1',
    serviceName: 'web',
    replicas: 3,
    labels,
    selector: { 'kube-assay.io/set': 'web' },
    claimTemplate: 'data',
    claimLabels: { ...labels, 'kube-assay.io/suite': 'statefulset' },
    size: '1Gi',
    image: 'probe:1',
    pullPolicy: 'IfNotPresent',
  });

  it('GIVEN the set THEN it names its headless Service, leaves podManagementPolicy to the default and labels pods and claims', () => {
    expect(set.spec?.serviceName).to.equal('web');
    expect(set.spec).to.not.have.property('podManagementPolicy');
    expect(set.spec).to.not.have.property('persistentVolumeClaimRetentionPolicy');
    expect(set.spec?.template.metadata?.labels).to.deep.equal({ ...labels, 'kube-assay.io/set': 'web' });
    const template = set.spec?.volumeClaimTemplates?.[0];
    expect(template?.metadata?.labels).to.include({ 'app.kubernetes.io/managed-by': 'kube-assay', 'kube-assay.io/run-id': 'r1' });
    expect(template?.spec).to.deep.equal({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } });
    const container = set.spec?.template.spec?.containers[0];
    expect(container?.volumeMounts).to.deep.equal([{ name: 'data', mountPath: '/data' }]);
    expect(container?.env).to.deep.equal([{ name: 'POD_UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } }]);
  });

  it('GIVEN a class and a retention policy THEN both are set', () => {
    const s = statefulSetManifest({ ...{ name: 'e', namespace: 'n', serviceName: 'e', replicas: 2, labels, selector: { a: 'b' }, claimTemplate: 'data', claimLabels: labels, size: '1Gi', image: 'i', pullPolicy: 'Never' }, storageClass: 'gp3', retention: { whenDeleted: 'Delete', whenScaled: 'Delete' } });
    expect(s.spec?.volumeClaimTemplates?.[0]?.spec?.storageClassName).to.equal('gp3');
    expect(s.spec?.persistentVolumeClaimRetentionPolicy).to.deep.equal({ whenDeleted: 'Delete', whenScaled: 'Delete' });
  });

  it('GIVEN the headless Service THEN clusterIP is None and it selects the set', () => {
    const svc = headlessService({ name: 'web', namespace: 'ns1', labels, selector: { 'kube-assay.io/set': 'web' } });
    expect(svc.spec?.clusterIP).to.equal('None');
    expect(svc.spec?.selector).to.deep.equal({ 'kube-assay.io/set': 'web' });
  });

  it('GIVEN the identity command THEN it writes only when the file is empty or missing', () => {
    expect(identityCommand()[2]).to.equal('[ -s /data/identity ] || echo "$(hostname) $POD_UID" > /data/identity; exec /agnhost pause');
  });

  it('GIVEN identity text THEN it parses to pod and uid; anything else is undefined', () => {
    expect(parseIdentity('web-1 2b24045f-fc41\n')).to.deep.equal({ pod: 'web-1', uid: '2b24045f-fc41' });
    expect(parseIdentity('')).to.equal(undefined);
    expect(parseIdentity('web-1')).to.equal(undefined);
  });

  it('GIVEN names THEN claims are <template>-<set>-N and pods resolve under <service>.<namespace>.svc.<domain>', () => {
    expect(claimName('data', 'web', 2)).to.equal('data-web-2');
    expect(podFqdn('web-0', 'web', 'ns1', 'cluster.local')).to.equal('web-0.web.ns1.svc.cluster.local.');
  });
});

describe('statefulset: waiting for exactly these replicas', () => {
  const pod = (name: string, uid: string, ready = true, deleting = false): V1Pod => ({
    metadata: { name, uid, deletionTimestamp: deleting ? new Date() : undefined },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  });

  it('GIVEN the wanted pods all Ready and nothing else THEN done', () => {
    expect(exactlyReady([pod('web-0', 'a'), pod('web-1', 'b')], ['web-0', 'web-1'])).to.equal(true);
  });

  it('GIVEN a terminating extra pod, a missing or unready pod THEN not done', () => {
    expect(exactlyReady([pod('web-0', 'a'), pod('web-1', 'b', true, true)], ['web-0'])).to.equal(false);
    expect(exactlyReady([pod('web-0', 'a')], ['web-0', 'web-1'])).to.equal(false);
    expect(exactlyReady([pod('web-0', 'a', false)], ['web-0'])).to.equal(false);
  });

  it('GIVEN the old UID of a replaced pod THEN only the new pod counts', () => {
    expect(exactlyReady([pod('web-1', 'old')], ['web-1'], new Set(['old']))).to.equal(false);
    expect(exactlyReady([pod('web-1', 'new')], ['web-1'], new Set(['old']))).to.equal(true);
  });

  it('GIVEN no pod wanted and none left THEN done', () => {
    expect(exactlyReady([], [])).to.equal(true);
  });
});
