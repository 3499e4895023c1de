// Named ports, as the NetworkPolicy API defines them: a name resolves per destination pod, by
// name AND protocol among that pod's container ports; where it resolves to nothing, the rule
// admits nothing on that port (it never widens to "every port", the enforcer bug class the
// generated cases hunt). A table over pods that serve different ports under the same names.
import { expect } from 'chai';
import type { V1NetworkPolicyPort } from '@kubernetes/client-node';
import { allowFrom, allowTo, networkPolicy, port, select } from '../../../src/netpol/policies.js';
import { ReachabilitySimulator } from '../../../src/netpol/simulator.js';
import type { Protocol, Topology, TopologyPod } from '../../../src/netpol/topology.js';

const ns = (logical: string) => ({ logical, name: logical, labels: { ns: logical, 'kubernetes.io/metadata.name': logical } });
const pod = (id: string, ip: string, ports: TopologyPod['ports']): TopologyPod => {
  const [namespace = '', name = ''] = id.split('/');
  return { id, namespace, name, labels: { pod: name }, ip, ports };
};

// x/a serves http on 8080/TCP; x/b serves http on 9090/TCP; y/a serves http only over UDP
// (8080/UDP) and metrics on 9100/TCP; y/b serves nothing named http.
const TOPOLOGY: Topology = {
  namespaces: [ns('x'), ns('y')],
  pods: [
    pod('x/a', '10.0.1.1', [{ port: 8080, protocol: 'TCP', name: 'http' }]),
    pod('x/b', '10.0.1.2', [{ port: 9090, protocol: 'TCP', name: 'http' }, { port: 8080, protocol: 'TCP', name: 'alt' }]),
    pod('y/a', '10.0.2.1', [{ port: 8080, protocol: 'UDP', name: 'http' }, { port: 9100, protocol: 'TCP', name: 'metrics' }]),
    pod('y/b', '10.0.2.2', [{ port: 8080, protocol: 'TCP', name: 'web' }]),
  ],
  externals: [{ name: 'outside', description: 'an address outside the cluster', ip: '192.0.2.10', ports: [{ port: 8080, protocol: 'TCP', name: 'http' }] }],
};

interface Row {
  why: string;
  direction: 'ingress' | 'egress';
  ports: V1NetworkPolicyPort[];
  from: string;
  to: string;
  port: number;
  protocol: Protocol;
  expected: 'allowed' | 'blocked';
}

/** Ingress rules isolate every pod of y (the destinations); egress rules isolate x/a (the source). */
function simulatorFor(row: Row): ReachabilitySimulator {
  const policy = row.direction === 'ingress'
    ? networkPolicy({ name: 'p', namespace: 'y', ingress: [allowFrom(undefined, row.ports)] })
    : networkPolicy({ name: 'p', namespace: 'x', podSelector: select.labels({ pod: 'a' }), policyTypes: ['Egress'], egress: [allowTo(undefined, row.ports)] });
  const extra = row.direction === 'ingress' && row.to.startsWith('x/')
    ? [networkPolicy({ name: 'q', namespace: 'x', ingress: [allowFrom(undefined, row.ports)] })]
    : [];
  return new ReachabilitySimulator(TOPOLOGY, [policy, ...extra]);
}

const ROWS: Row[] = [
  { why: 'a served name opens its number on that pod', direction: 'ingress', ports: [port.named('http')], from: 'x/a', to: 'x/b', port: 9090, protocol: 'TCP', expected: 'allowed' },
  { why: 'the same name maps to another number on another pod: the other number stays closed', direction: 'ingress', ports: [port.named('http')], from: 'y/a', to: 'x/b', port: 8080, protocol: 'TCP', expected: 'blocked' },
  { why: 'per destination pod: http is 8080 on x/a', direction: 'ingress', ports: [port.named('http')], from: 'y/b', to: 'x/a', port: 8080, protocol: 'TCP', expected: 'allowed' },
  { why: 'a name served only over UDP does not resolve for a TCP rule (protocol defaults to TCP)', direction: 'ingress', ports: [port.named('http')], from: 'x/a', to: 'y/a', port: 8080, protocol: 'TCP', expected: 'blocked' },
  { why: '... nor does it open UDP: the rule is for TCP', direction: 'ingress', ports: [port.named('http')], from: 'x/a', to: 'y/a', port: 8080, protocol: 'UDP', expected: 'blocked' },
  { why: 'the same name with the matching protocol resolves', direction: 'ingress', ports: [port.named('http', 'UDP')], from: 'x/a', to: 'y/a', port: 8080, protocol: 'UDP', expected: 'allowed' },
  { why: 'a name no pod serves admits nothing, not every port', direction: 'ingress', ports: [port.named('no-such-port')], from: 'x/a', to: 'y/b', port: 8080, protocol: 'TCP', expected: 'blocked' },
  { why: 'a name unresolved on this pod admits nothing on its other ports either', direction: 'ingress', ports: [port.named('http')], from: 'x/a', to: 'y/b', port: 8080, protocol: 'TCP', expected: 'blocked' },
  { why: 'a name resolved on a pod does not open that pod\'s other ports', direction: 'ingress', ports: [port.named('metrics')], from: 'x/a', to: 'y/a', port: 8080, protocol: 'UDP', expected: 'blocked' },
  { why: 'a named and a numbered port in one rule: either matches (the numbered one here)', direction: 'ingress', ports: [port.named('no-such-port'), port.tcp(8080)], from: 'x/a', to: 'y/b', port: 8080, protocol: 'TCP', expected: 'allowed' },
  { why: 'egress: the name resolves on the destination, not the source', direction: 'egress', ports: [port.named('http')], from: 'x/a', to: 'x/b', port: 9090, protocol: 'TCP', expected: 'allowed' },
  { why: 'egress: the source serving http on 8080 does not make 8080 the destination\'s http', direction: 'egress', ports: [port.named('http')], from: 'x/a', to: 'x/b', port: 8080, protocol: 'TCP', expected: 'blocked' },
  { why: 'egress: a name no pod serves admits nothing', direction: 'egress', ports: [port.named('no-such-port')], from: 'x/a', to: 'y/b', port: 8080, protocol: 'TCP', expected: 'blocked' },
  { why: 'egress: a name served only over the other protocol admits nothing', direction: 'egress', ports: [port.named('http')], from: 'x/a', to: 'y/a', port: 8080, protocol: 'UDP', expected: 'blocked' },
  { why: 'egress: a named port never matches an address outside the cluster (it has no container ports)', direction: 'egress', ports: [port.named('http')], from: 'x/a', to: 'outside', port: 8080, protocol: 'TCP', expected: 'blocked' },
  { why: 'egress: a numbered port does match an outside address', direction: 'egress', ports: [port.tcp(8080)], from: 'x/a', to: 'outside', port: 8080, protocol: 'TCP', expected: 'allowed' },
];

describe('netpol simulator: named ports resolve per destination pod, by name and protocol', () => {
  for (const row of ROWS) {
    it(`GIVEN ${row.direction} on ${row.ports.map((p) => `${String(p.port)}/${p.protocol ?? 'TCP'}`).join(' + ')} WHEN ${row.from} -> ${row.to} ${row.port}/${row.protocol} THEN ${row.expected}: ${row.why}`, () => {
      const explanation = simulatorFor(row).explain(row.from, row.to, row.port, row.protocol);
      expect(explanation.outcome, explanation.reason).to.equal(row.expected);
    });
  }
});
