import { expect } from 'chai';
import type { V1Pod } from '@kubernetes/client-node';
import { InMemoryFactSource, DerivedFactSource } from '../../../src/checks/sources.js';
import { collectControlPlane, controlPlaneFacts, encryptionAtRest, staticPodCommandLine, type ControlPlaneFact } from '../../../src/cis/control-plane.js';
import { parseCollectorLog } from '../../../src/cis/node-files.js';
import type { Fact } from '../../../src/checks/types.js';
import { loadCisCatalogues } from '../../../src/cis/checks.js';

const nodeFact = (node: string, log: string[]): Fact => ({ kind: 'Node', name: node, data: parseCollectorLog(node, ['arg\t/usr/bin/kubelet', ...log].join('\n')) });
const staticPod = (component: string, node: string, command: string[], args: string[] = []): V1Pod => ({
  metadata: { name: `${component}-${node}`, namespace: 'kube-system', labels: { component, tier: 'control-plane' } },
  spec: { nodeName: node, containers: [{ name: component, command, args }] },
});

describe('cis: the control plane where the cluster shows it', () => {
  it('GIVEN a static pod THEN its command line is command then args', () => {
    expect(staticPodCommandLine(staticPod('kube-scheduler', 'cp1', ['kube-scheduler', '--profiling=false'], ['--bind-address=127.0.0.1']))).to.deep.equal(['kube-scheduler', '--profiling=false', '--bind-address=127.0.0.1']);
  });

  it('GIVEN processes the collector saw THEN each is a fact with its flags, its key files and its kubeconfigs', () => {
    const node = nodeFact('cp1', [
      'parg\tkube-scheduler\t/usr/bin/kube-scheduler',
      'parg\tkube-scheduler\t--kubeconfig=/etc/kubernetes/scheduler.conf',
      'pfile\tkube-scheduler\tkubeconfig\t/etc/kubernetes/scheduler.conf\t600 0:0',
      'parg\tkube-apiserver\t/usr/bin/kube-apiserver',
      'parg\tkube-apiserver\t--tls-private-key-file=/pki/a.key',
      'parg\tkube-apiserver\t--service-account-key-file=/pki/sa.pub',
      'pfile\tkube-apiserver\ttls-private-key-file\t/pki/a.key\t600 0:0',
      'pfile\tkube-apiserver\tservice-account-key-file\t/pki/sa.pub\t644 0:0',
    ]);
    const facts = controlPlaneFacts([node], []);
    expect(facts.map((f) => f.name)).to.deep.equal(['kube-apiserver on cp1', 'kube-scheduler on cp1']);
    const api = facts[0]?.data as ControlPlaneFact;
    expect(api.via).to.equal('host process');
    // The service account key file is the public half: not a private key. Files are keyed by
    // path, so a finding's field names the file.
    expect(Object.keys(api.keyFiles)).to.deep.equal(['/pki/a.key']);
    expect(Object.values((facts[1]?.data as ControlPlaneFact).kubeconfigFiles).map((f) => f.mode)).to.deep.equal(['600']);
  });

  it('GIVEN static pods THEN they count only where no collector saw the same program on that node, and other pods are ignored', () => {
    const node = nodeFact('cp1', ['parg\tetcd\tetcd', 'parg\tetcd\t--client-cert-auth=true']);
    const pods = [staticPod('etcd', 'cp1', ['etcd']), staticPod('etcd', 'cp2', ['etcd', '--client-cert-auth=false']), staticPod('kube-proxy', 'cp2', ['kube-proxy'])];
    const facts = controlPlaneFacts([node], pods);
    expect(facts.map((f) => [f.name, (f.data as ControlPlaneFact).flags['client-cert-auth']])).to.deep.equal([
      ['etcd on cp1', 'true'],
      ['etcd (static pod kube-system/etcd-cp2)', 'false'],
    ]);
    expect((facts[1]?.data as ControlPlaneFact).files).to.deep.equal({});
  });

  it('GIVEN encryption configurations THEN secrets are written with the first provider of the first entry covering them', () => {
    const flags = { 'encryption-provider-config': '/e.yaml' };
    const groups = (...g: Array<[string[], string[]]>) => ({ read: true, groups: g.map(([resources, providers]) => ({ resources, providers })) });
    expect(encryptionAtRest({}, undefined)).to.deep.equal({ config: 'not set', secretsProvider: 'identity', entries: '' });
    expect(encryptionAtRest(flags, { read: false, groups: [] })).to.deep.equal({ config: 'unreadable', entries: '' });
    expect(encryptionAtRest(flags, groups([['configmaps'], ['aescbc']], [['secrets'], ['identity', 'aescbc']], [['*.*'], ['kms']]))).to.deep.equal({
      config: 'read',
      secretsProvider: 'identity',
      entries: 'configmaps: aescbc; secrets: identity,aescbc; *.*: kms',
    });
    expect(encryptionAtRest(flags, groups([['*.'], ['secretbox']])).secretsProvider).to.equal('secretbox');
    // Only other resources covered: secrets are not encrypted at all.
    expect(encryptionAtRest(flags, groups([['configmaps', '*.apps'], ['aescbc']])).secretsProvider).to.equal('identity');
  });

  it('GIVEN a managed control plane (nothing visible) THEN there is no fact, so the checks skip with their reason', async () => {
    const source = new DerivedFactSource(new InMemoryFactSource({ 'node-files': [nodeFact('n1', [])], 'control-plane-pods': [] }), { 'control-plane': collectControlPlane });
    expect(await source.collect('control-plane')).to.deep.equal([]);
  });

  it('GIVEN the two profiles THEN EKS keeps every control-plane check as not verifiable and the generic profile judges them', () => {
    const catalogues = loadCisCatalogues();
    const generic = catalogues['cis-generic'].entries.filter((e) => e.tags.includes('control-plane'));
    const eks = catalogues['cis-eks'].entries.filter((e) => e.tags.includes('control-plane'));
    expect(generic.length).to.be.at.least(20);
    expect(generic.every((e) => e.notVerifiable === undefined)).to.equal(true);
    expect(eks.map((e) => e.id)).to.deep.equal(generic.map((e) => e.id));
    expect(eks.every((e) => /^the EKS control plane is managed by AWS/.test(e.notVerifiable ?? ''))).to.equal(true);
  });
});
