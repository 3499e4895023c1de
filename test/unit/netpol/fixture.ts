// Shared test helpers: a topology with known IPs and an upstream-style expectation builder
// (start from "everything allowed", then mark cells), so cases read like the e2e tests.
import { expect } from 'chai';
import type { V1NetworkPolicy } from '@kubernetes/client-node';
import { ReachabilitySimulator } from '../../../src/netpol/simulator.js';
import { buildTopology, withIPs, type Protocol, type Topology, type TopologyRequest } from '../../../src/netpol/topology.js';

/** x/a = 10.0.1.1 ... y/b = 10.0.2.2 ... z/c = 10.0.3.3: the cluster lives in 10.0.0.0/16. */
export function ipsFor(topology: Topology): Record<string, string> {
  const ips: Record<string, string> = {};
  topology.namespaces.forEach((ns, i) => {
    topology.pods.filter((p) => p.namespace === ns.logical).forEach((p, j) => {
      ips[p.id] = `10.0.${i + 1}.${j + 1}`;
    });
  });
  return ips;
}

export function topologyWithIPs(request: TopologyRequest = {}): Topology {
  const topology = buildTopology(request);
  return withIPs(topology, ipsFor(topology));
}

export function simulate(policies: V1NetworkPolicy[], topology: Topology = topologyWithIPs()): ReachabilitySimulator {
  return new ReachabilitySimulator(topology, policies);
}

/** Upstream-style expected matrix: every cell allowed, then adjusted. */
export class Expectation {
  private readonly cells = new Map<string, boolean>();
  constructor(private readonly topology: Topology, allowed = true) {
    for (const from of topology.pods) for (const to of topology.pods) this.cells.set(`${from.id}>${to.id}`, allowed);
  }
  private matches(id: string, ns?: string, pod?: string): boolean {
    const [n, p] = id.split('/');
    return (ns === undefined || ns === n) && (pod === undefined || pod === p);
  }
  /** Like upstream ExpectPeer: cells from {ns,pod} to {ns,pod}; omitted parts match all. */
  peer(from: { ns?: string; pod?: string }, to: { ns?: string; pod?: string }, allowed: boolean): this {
    for (const f of this.topology.pods) {
      for (const t of this.topology.pods) {
        if (this.matches(f.id, from.ns, from.pod) && this.matches(t.id, to.ns, to.pod)) this.cells.set(`${f.id}>${t.id}`, allowed);
      }
    }
    return this;
  }
  set(from: string, to: string, allowed: boolean): this {
    this.cells.set(`${from}>${to}`, allowed);
    return this;
  }
  allIngress(to: string, allowed: boolean): this {
    for (const f of this.topology.pods) this.cells.set(`${f.id}>${to}`, allowed);
    return this;
  }
  allEgress(from: string, allowed: boolean): this {
    for (const t of this.topology.pods) this.cells.set(`${from}>${t.id}`, allowed);
    return this;
  }
  /** Asserts the simulator agrees on every pod-to-pod cell (loopback cells too unless skipped). */
  check(sim: ReachabilitySimulator, port: number, protocol: Protocol, options: { skipLoopback?: boolean } = {}): void {
    const wrong: string[] = [];
    for (const [key, allowed] of this.cells) {
      const [from, to] = key.split('>') as [string, string];
      if (options.skipLoopback && from === to) continue;
      const outcome = sim.outcome(from, to, port, protocol);
      if (outcome !== (allowed ? 'allowed' : 'blocked')) wrong.push(`${from} -> ${to}: expected ${allowed ? 'allowed' : 'blocked'}, simulated ${outcome}`);
    }
    expect(wrong, `cells on ${port}/${protocol}`).to.deep.equal([]);
  }
}
