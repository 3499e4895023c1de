import { expect } from 'chai';
import { reproduceCommand } from '../../../src/netpol/reproduce.js';
import { buildTopology, CLOUD_METADATA, CLUSTER_DNS, withIPs } from '../../../src/netpol/topology.js';

describe('netpol reproduce commands', () => {
  const base = buildTopology({ externals: [CLOUD_METADATA, CLUSTER_DNS] }, { namespaceName: (n) => `ka-r1-${n}` });
  const topology = withIPs(base, { 'y/b': '10.0.2.2', 'x/c': 'fd00::c' });

  it('GIVEN a TCP probe THEN it is kubectl exec into the source container running agnhost connect with a timeout', () => {
    expect(reproduceCommand({ from: 'x/a', to: 'y/b', port: 80, protocol: 'TCP' }, topology)).to.equal(
      'kubectl exec -n ka-r1-x a -c cont-80-tcp -- /agnhost connect 10.0.2.2:80 --timeout=1s --protocol=tcp');
  });

  it('GIVEN UDP, SCTP, a timeout and an agnhost path THEN the flags follow', () => {
    expect(reproduceCommand({ from: 'z/b', to: 'y/b', port: 81, protocol: 'UDP' }, topology, { timeoutSeconds: 3, agnhostPath: '/usr/bin/agnhost' })).to.equal(
      'kubectl exec -n ka-r1-z b -c cont-80-tcp -- /usr/bin/agnhost connect 10.0.2.2:81 --timeout=3s --protocol=udp');
    expect(reproduceCommand({ from: 'x/a', to: 'y/b', port: 80, protocol: 'SCTP' }, topology, { tool: 'nc' })).to.contain('--protocol=sctp');
  });

  it('GIVEN an IPv6 destination THEN the address is bracketed', () => {
    expect(reproduceCommand({ from: 'x/a', to: 'x/c', port: 80, protocol: 'TCP' }, topology)).to.contain('connect [fd00::c]:80');
  });

  it('GIVEN a destination whose IP is not known THEN the command looks it up itself', () => {
    expect(reproduceCommand({ from: 'x/a', to: 'z/a', port: 80, protocol: 'TCP' }, topology)).to.contain(
      "connect $(kubectl get pod -n ka-r1-z a -o jsonpath='{.status.podIP}'):80");
  });

  it('GIVEN the nc tool THEN TCP uses nc -z and UDP pipes a payload through exec -i and prints the reply', () => {
    expect(reproduceCommand({ from: 'x/a', to: 'y/b', port: 80, protocol: 'TCP' }, topology, { tool: 'nc' })).to.equal(
      'kubectl exec -n ka-r1-x a -c cont-80-tcp -- nc -z -w 1 10.0.2.2 80');
    expect(reproduceCommand({ from: 'x/a', to: 'y/b', port: 80, protocol: 'UDP' }, topology, { tool: 'nc' })).to.equal(
      'echo hostname | kubectl exec -i -n ka-r1-x a -c cont-80-tcp -- nc -u -w 1 10.0.2.2 80');
  });

  it('GIVEN external targets THEN metadata uses its address and cluster DNS is found by label, UDP asking a real query', () => {
    expect(reproduceCommand({ from: 'x/a', to: 'cloud-metadata', port: 80, protocol: 'TCP' }, topology)).to.contain('connect 169.254.169.254:80');
    expect(reproduceCommand({ from: 'x/a', to: 'cluster-dns', port: 53, protocol: 'TCP' }, topology)).to.contain(
      "connect $(kubectl get pods -n kube-system -l k8s-app=kube-dns -o jsonpath='{.items[0].status.podIP}'):53");
    expect(reproduceCommand({ from: 'x/a', to: 'cluster-dns', port: 53, protocol: 'UDP' }, topology)).to.match(
      /-- nslookup -timeout=1 kubernetes\.default\.svc\.cluster\.local \$\(kubectl get pods -n kube-system/);
  });

  it('GIVEN an unknown source or target THEN it refuses with the name', () => {
    expect(() => reproduceCommand({ from: 'q/a', to: 'y/b', port: 80, protocol: 'TCP' }, topology)).to.throw(/"q\/a"/);
    expect(() => reproduceCommand({ from: 'x/a', to: 'nowhere', port: 80, protocol: 'TCP' }, topology)).to.throw(/"nowhere"/);
  });
});
