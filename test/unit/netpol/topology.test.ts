import { expect } from 'chai';
import {
  buildTopology, CLOUD_METADATA, containerName, execContainer, findPod, logicalNamespace, mergeTopologyRequests,
  NAMESPACE_LABEL, NAMESPACE_NAME_LABEL, POD_LABEL, realNamespace, servedPortName, withIPs,
} from '../../../src/netpol/topology.js';

describe('netpol probe topology', () => {
  it('GIVEN no request THEN it is upstream-shaped: x, y, z with pods a, b, c serving TCP and UDP on 80 and 81', () => {
    const t = buildTopology();
    expect(t.namespaces.map((n) => n.logical)).to.deep.equal(['x', 'y', 'z']);
    expect(t.pods.map((p) => p.id)).to.deep.equal(['x/a', 'x/b', 'x/c', 'y/a', 'y/b', 'y/c', 'z/a', 'z/b', 'z/c']);
    const xa = findPod(t, 'x/a');
    expect(xa?.labels).to.deep.equal({ [POD_LABEL]: 'a' });
    expect(xa?.ports.map((p) => p.name)).to.deep.equal(['serve-80-tcp', 'serve-80-udp', 'serve-81-tcp', 'serve-81-udp']);
    expect(xa?.ip).to.equal(undefined);
    expect(t.namespaces[0]?.labels).to.deep.equal({ [NAMESPACE_LABEL]: 'x', [NAMESPACE_NAME_LABEL]: 'x' });
  });

  it('GIVEN a smallest request and run-scoped names THEN only that is built, labelled with logical and real names', () => {
    const t = buildTopology(
      { namespaces: ['x'], pods: ['a', 'b'], ports: [{ port: 8080, protocol: 'TCP' }] },
      { namespaceName: (n) => `ka-netpol-${n}-1234abcd`, namespaceLabels: { 'kube-assay.io/run-id': 'r1' }, podLabels: { app: 'probe' } },
    );
    expect(t.pods.map((p) => p.id)).to.deep.equal(['x/a', 'x/b']);
    expect(t.namespaces[0]).to.deep.equal({
      logical: 'x', name: 'ka-netpol-x-1234abcd',
      labels: { 'kube-assay.io/run-id': 'r1', [NAMESPACE_LABEL]: 'x', [NAMESPACE_NAME_LABEL]: 'ka-netpol-x-1234abcd' },
    });
    expect(t.pods[1]?.labels).to.deep.equal({ app: 'probe', pod: 'b' });
    expect(realNamespace(t, 'x')).to.equal('ka-netpol-x-1234abcd');
    expect(logicalNamespace(t, 'ka-netpol-x-1234abcd')).to.equal('x');
    expect(logicalNamespace(t, 'kube-system')).to.equal('kube-system');
    expect(() => realNamespace(t, 'y')).to.throw(/no namespace "y"/);
  });

  it('GIVEN bad names, ports or colliding real names THEN building fails with the reason', () => {
    expect(() => buildTopology({ namespaces: ['X'] })).to.throw(/namespace "X" is not a DNS label/);
    expect(() => buildTopology({ pods: ['a_b'] })).to.throw(/pod "a_b"/);
    expect(() => buildTopology({ ports: [{ port: 0, protocol: 'TCP' }] })).to.throw(/port 0 is out of range/);
    expect(() => buildTopology({ ports: [] })).to.throw(/at least one/);
    expect(() => buildTopology({}, { namespaceName: () => 'same' })).to.throw(/same real namespace/);
    expect(() => buildTopology({ externals: [{ name: 'a/b', description: '' }] })).to.throw(/must not contain/);
  });

  it('GIVEN known IPs THEN withIPs fills pods and externals without touching the original, and rejects unknown ids', () => {
    const t = buildTopology({ namespaces: ['x'], pods: ['a'], externals: [CLOUD_METADATA] });
    const filled = withIPs(t, { 'x/a': '10.0.0.5', 'cloud-metadata': '169.254.169.254' });
    expect(findPod(filled, 'x/a')?.ip).to.equal('10.0.0.5');
    expect(findPod(t, 'x/a')?.ip).to.equal(undefined);
    expect(() => withIPs(t, { 'y/a': '10.0.0.6' })).to.throw(/"y\/a" is neither/);
  });

  it('GIVEN several scenario requests THEN the merge is their union in first-seen order', () => {
    const merged = mergeTopologyRequests(
      { namespaces: ['x'], pods: ['a'], ports: [{ port: 80, protocol: 'TCP' }] },
      { namespaces: ['y', 'x'], pods: ['b'], ports: [{ port: 80, protocol: 'TCP' }, { port: 82, protocol: 'TCP' }], externals: [CLOUD_METADATA] },
    );
    expect(merged).to.deep.equal({
      namespaces: ['x', 'y'], pods: ['a', 'b'],
      ports: [{ port: 80, protocol: 'TCP' }, { port: 82, protocol: 'TCP' }], externals: [CLOUD_METADATA],
    });
  });

  it('GIVEN ports THEN container and port names follow upstream (cont-80-tcp, serve-80-tcp) and exec uses the first container', () => {
    expect(containerName(81, 'UDP')).to.equal('cont-81-udp');
    expect(servedPortName(80, 'SCTP')).to.equal('serve-80-sctp');
    const pod = findPod(buildTopology(), 'y/c');
    if (!pod) throw new Error('y/c must exist');
    expect(execContainer(pod)).to.equal('cont-80-tcp');
  });
});
