import { expect } from 'chai';
import { probePodManifest } from '../../../src/netpol/manifests.js';
import { buildTopology, findPod, type Topology } from '../../../src/netpol/topology.js';

describe('netpol probe pod manifests', () => {
  const topology: Topology = buildTopology(
    { namespaces: ['x'], pods: ['a'], ports: [{ port: 80, protocol: 'TCP' }, { port: 80, protocol: 'UDP' }, { port: 81, protocol: 'SCTP' }] },
    { namespaceName: (n) => `ka-r-${n}` },
  );
  const pod = findPod(topology, 'x/a');
  if (!pod) throw new Error('x/a must exist');

  it('GIVEN a topology pod THEN the manifest carries its real namespace, our labels and its selector labels', () => {
    const manifest = probePodManifest(pod, topology, { image: 'kube-assay/probe:1', labels: { 'kube-assay.io/run-id': 'r', pod: 'must-not-win' } });
    expect(manifest.metadata).to.deep.equal({ name: 'a', namespace: 'ka-r-x', labels: { 'kube-assay.io/run-id': 'r', pod: 'a' } });
    expect(manifest.spec?.terminationGracePeriodSeconds).to.equal(0);
  });

  it('GIVEN served ports THEN each gets a container named like upstream, with the named port policies refer to', () => {
    const containers = probePodManifest(pod, topology, { image: 'img' }).spec?.containers ?? [];
    expect(containers.map((c) => c.name)).to.deep.equal(['cont-80-tcp', 'cont-80-udp', 'cont-81-sctp']);
    expect(containers.map((c) => c.ports?.[0])).to.deep.equal([
      { containerPort: 80, name: 'serve-80-tcp', protocol: 'TCP' },
      { containerPort: 80, name: 'serve-80-udp', protocol: 'UDP' },
      { containerPort: 81, name: 'serve-81-sctp', protocol: 'SCTP' },
    ]);
    expect(containers[0]?.command).to.deep.equal(['/agnhost', 'serve-hostname', '--tcp', '--http=false', '--port', '80']);
    expect(containers[1]?.command).to.deep.equal(['/agnhost', 'serve-hostname', '--udp', '--http=false', '--port', '80']);
    expect(containers[2]?.command).to.deep.equal(['/agnhost', 'porter']);
    expect(containers[2]?.env).to.deep.equal([{ name: 'SERVE_SCTP_PORT_81', value: 'foo' }]);
    expect(containers.every((c) => c.imagePullPolicy === 'IfNotPresent' && c.image === 'img')).to.equal(true);
  });
});
