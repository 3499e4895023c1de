import { expect } from 'chai';
import { bindPolicies, policyChanges } from '../../../src/netpol/binding.js';
import { planProbes, probeKey, SimulatedProbeRunner, type ProbeOutcome } from '../../../src/netpol/probe.js';
import { findScenario, SCENARIOS, topologyFor, type Scenario } from '../../../src/netpol/scenarios.js';
import { buildTopology, withIPs, type Topology } from '../../../src/netpol/topology.js';
import { policyProblems } from '../../../src/netpol/validate.js';
import { ipsFor } from './fixture.js';

/** The scenario's own topology with run-scoped names and known IPs (cluster DNS inside the pod /16). */
function topologyOf(scenario: Scenario): Topology {
  const topology = buildTopology(scenario.topology, { namespaceName: (n) => `ka-t-${n}` });
  const ips: Record<string, string> = ipsFor(topology);
  for (const e of topology.externals) if (e.ip === undefined) ips[e.name] = '10.0.9.9';
  return withIPs(topology, ips);
}

async function expectedOf(id: string, step = 0): Promise<Map<string, ProbeOutcome>> {
  const scenario = findScenario(id);
  if (!scenario) throw new Error(`scenario ${id} is missing`);
  const topology = topologyOf(scenario);
  const policies = bindPolicies(scenario.steps[step]?.policies ?? [], topology);
  return new SimulatedProbeRunner(topology, policies).probeAll(planProbes(topology, scenario.probes));
}

function blocked(outcomes: Map<string, ProbeOutcome>): string[] {
  return [...outcomes].filter(([, o]) => o === 'blocked').map(([k]) => k);
}

describe('netpol scenarios as data', () => {
  it('GIVEN the catalogue THEN every issue scenario is present under a stable, unique netpol/ ID', () => {
    const ids = SCENARIOS.map((s) => s.id);
    expect(new Set(ids).size).to.equal(ids.length);
    for (const id of ids) expect(id).to.match(/^netpol\/[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(ids).to.include.members([
      'netpol/no-policy', 'netpol/default-deny-ingress', 'netpol/default-deny-egress-allow-dns', 'netpol/allow-same-namespace',
      'netpol/allow-from-namespace-selector', 'netpol/allow-from-pod-selector', 'netpol/namespace-and-pod-selector-one-peer',
      'netpol/namespace-or-pod-selector-two-peers', 'netpol/ingress-one-port', 'netpol/named-port', 'netpol/port-range',
      'netpol/udp-versus-tcp', 'netpol/ipblock-except', 'netpol/egress-to-cidr-only', 'netpol/deny-cloud-metadata',
      'netpol/union-of-policies', 'netpol/policy-update', 'netpol/policy-delete',
    ]);
  });

  for (const scenario of SCENARIOS) {
    it(`GIVEN ${scenario.id} THEN its probes fit its topology and every step binds to policies the API server accepts`, () => {
      expect(scenario.steps.length, 'steps').to.be.greaterThan(0);
      const topology = topologyOf(scenario);
      expect(planProbes(topology, scenario.probes).length).to.be.greaterThan(0);
      for (const step of scenario.steps) {
        const bound = bindPolicies(step.policies, topology, { labels: { 'app.kubernetes.io/managed-by': 'kube-assay' } });
        expect(bound.flatMap(policyProblems), step.description).to.deep.equal([]);
        for (const p of bound) expect(p.metadata?.namespace).to.match(/^ka-t-/);
      }
    });
  }

  it('GIVEN every scenario but the baseline THEN some step expects a blocked cell, so non-enforcement cannot pass unnoticed', async () => {
    for (const scenario of SCENARIOS.filter((s) => s.id !== 'netpol/no-policy')) {
      const counts = await Promise.all(scenario.steps.map(async (_, i) => blocked(await expectedOf(scenario.id, i)).length));
      expect(Math.max(...counts), scenario.id).to.be.greaterThan(0);
    }
  });

  it('GIVEN netpol/no-policy THEN all 324 cells of the full matrix are allowed', async () => {
    const expected = await expectedOf('netpol/no-policy');
    expect(expected.size).to.equal(324);
    expect(blocked(expected)).to.deep.equal([]);
  });

  it('GIVEN default-deny-ingress THEN exactly the 27 cells into x are blocked', async () => {
    const b = blocked(await expectedOf('netpol/default-deny-ingress'));
    expect(b).to.have.length(27);
    expect(b.every((k) => / -> x\//.test(k))).to.equal(true);
  });

  it('GIVEN default-deny-egress-allow-dns THEN x reaches cluster DNS on 53 UDP and TCP but no pod; y is untouched', async () => {
    const e = await expectedOf('netpol/default-deny-egress-allow-dns');
    expect(e.get('x/a -> cluster-dns 53/UDP')).to.equal('allowed');
    expect(e.get('x/b -> cluster-dns 53/TCP')).to.equal('allowed');
    expect(blocked(e).sort()).to.deep.equal(['x/a -> x/a 80/TCP', 'x/a -> x/b 80/TCP', 'x/a -> y/a 80/TCP', 'x/a -> y/b 80/TCP',
      'x/b -> x/a 80/TCP', 'x/b -> x/b 80/TCP', 'x/b -> y/a 80/TCP', 'x/b -> y/b 80/TCP']);
  });

  it('GIVEN allow-same-namespace THEN y and z are kept out of x (18 cells)', async () => {
    const b = blocked(await expectedOf('netpol/allow-same-namespace'));
    expect(b).to.have.length(18);
    expect(b.some((k) => k.startsWith('x/'))).to.equal(false);
  });

  it('GIVEN the selector scenarios THEN exactly the intended sources reach x/a', async () => {
    const sourcesIntoXA = async (id: string) => [...await expectedOf(id)]
      .filter(([k, o]) => k.endsWith('-> x/a 80/TCP') && o === 'allowed').map(([k]) => k.split(' ')[0]);
    expect(await sourcesIntoXA('netpol/allow-from-namespace-selector')).to.deep.equal(['y/a', 'y/b', 'y/c']);
    expect(await sourcesIntoXA('netpol/allow-from-pod-selector')).to.deep.equal(['x/b']);
    expect(await sourcesIntoXA('netpol/namespace-and-pod-selector-one-peer')).to.deep.equal(['y/b']);
    expect(await sourcesIntoXA('netpol/namespace-or-pod-selector-two-peers')).to.deep.equal(['x/b', 'y/a', 'y/b', 'y/c']);
    expect(await sourcesIntoXA('netpol/union-of-policies')).to.deep.equal(['y/a', 'y/b', 'y/c', 'z/c']);
  });

  it('GIVEN the port scenarios THEN only the intended port/protocol of x/a is open', async () => {
    const closedIntoXA = async (id: string) => [...new Set(blocked(await expectedOf(id)).filter((k) => k.includes('-> x/a ')).map((k) => k.split(' ').pop()))];
    expect(await closedIntoXA('netpol/ingress-one-port')).to.deep.equal(['80/TCP']);
    expect(await closedIntoXA('netpol/named-port')).to.deep.equal(['80/TCP']);
    expect(await closedIntoXA('netpol/port-range')).to.deep.equal(['82/TCP']);
    expect(await closedIntoXA('netpol/udp-versus-tcp')).to.deep.equal(['80/TCP']);
    expect(await closedIntoXA('netpol/union-of-policies')).to.deep.equal(['80/TCP', '81/TCP']);
  });

  it('GIVEN the ipBlock scenarios THEN except removes y/b only, and a /32 block leaves y/b only', async () => {
    expect(blocked(await expectedOf('netpol/ipblock-except'))).to.deep.equal(['x/a -> y/b 80/TCP']);
    const cidrOnly = await expectedOf('netpol/egress-to-cidr-only');
    expect(blocked(cidrOnly)).to.have.length(8);
    expect(cidrOnly.get('x/a -> y/b 80/TCP')).to.equal('allowed');
  });

  it('GIVEN deny-cloud-metadata THEN the baseline reaches metadata, then only x loses it while pods stay reachable', async () => {
    expect(blocked(await expectedOf('netpol/deny-cloud-metadata', 0))).to.deep.equal([]);
    expect(blocked(await expectedOf('netpol/deny-cloud-metadata', 1))).to.deep.equal(['x/a -> cloud-metadata 80/TCP', 'x/b -> cloud-metadata 80/TCP']);
    expect(findScenario('netpol/deny-cloud-metadata')?.requires).to.deep.equal(['cloud-metadata']);
  });

  it('GIVEN egress-and-ingress-both-required THEN x/a reaches y/a but not y/b', async () => {
    const e = await expectedOf('netpol/egress-and-ingress-both-required');
    expect(e.get('x/a -> y/a 80/TCP')).to.equal('allowed');
    expect(e.get('x/a -> y/b 80/TCP')).to.equal('blocked');
    expect(e.get('z/c -> y/b 80/TCP')).to.equal('blocked');
    expect(e.get('z/c -> y/c 80/TCP')).to.equal('allowed');
  });

  it('GIVEN policy-update THEN steps go allowed, blocked, allowed through updates of one policy', async () => {
    const counts = await Promise.all([0, 1, 2].map(async (i) => blocked(await expectedOf('netpol/policy-update', i)).length));
    expect(counts).to.deep.equal([0, 27, 0]);
    const steps = findScenario('netpol/policy-update')?.steps ?? [];
    const first = policyChanges([], steps[0]?.policies ?? []);
    const second = policyChanges(steps[0]?.policies ?? [], steps[1]?.policies ?? []);
    const third = policyChanges(steps[1]?.policies ?? [], steps[2]?.policies ?? []);
    expect([first.create.length, second.update.length, third.update.length]).to.deep.equal([1, 1, 1]);
    expect([...second.create, ...second.delete, ...third.create, ...third.delete]).to.deep.equal([]);
  });

  it('GIVEN policy-delete THEN deny-all blocks 45 cells and deleting it restores all', async () => {
    expect(blocked(await expectedOf('netpol/policy-delete', 0))).to.have.length(45);
    expect(blocked(await expectedOf('netpol/policy-delete', 1))).to.deep.equal([]);
    const steps = findScenario('netpol/policy-delete')?.steps ?? [];
    expect(policyChanges(steps[0]?.policies ?? [], steps[1]?.policies ?? []).delete).to.deep.equal([{ namespace: 'x', name: 'deny-all' }]);
  });

  it('GIVEN all scenarios THEN one shared topology covers them: x, y, z with a, b, c, 80-82, both externals', () => {
    const shared = topologyFor(SCENARIOS);
    expect(shared.namespaces).to.deep.equal(['x', 'y', 'z']);
    expect(shared.pods).to.deep.equal(['a', 'b', 'c']);
    expect(shared.ports?.map((p) => `${p.port}/${p.protocol}`).sort()).to.deep.equal(['80/TCP', '80/UDP', '81/TCP', '81/UDP', '82/TCP']);
    expect(shared.externals?.map((e) => e.name).sort()).to.deep.equal(['cloud-metadata', 'cluster-dns']);
    const topology = buildTopology(shared);
    for (const scenario of SCENARIOS) expect(() => planProbes(topology, scenario.probes), scenario.id).to.not.throw();
  });

  it('GIVEN a scenario key THEN it matches the probe key format used everywhere', async () => {
    const e = await expectedOf('netpol/udp-versus-tcp');
    expect(e.has(probeKey({ from: 'z/c', to: 'x/a', port: 80, protocol: 'UDP' }))).to.equal(true);
  });
});
