// The data the cluster side builds on: the lab pod manifest with its agent, the scenario's part
// of the lab topology, and the enforcement scenario's expectations.
import { expect } from 'chai';
import { scenarioTopology } from '../../../src/netpol/cluster-scenario.js';
import { ENFORCEMENT_SCENARIO } from '../../../src/netpol/enforcement-scenario.js';
import { AGENT_CONTAINER, probePodManifest } from '../../../src/netpol/manifests.js';
import { mustBlockCount } from '../../../src/netpol/observe.js';
import { planProbes, SimulatedProbeRunner } from '../../../src/netpol/probe.js';
import { bindPolicies } from '../../../src/netpol/binding.js';
import { findScenario, SCENARIOS, topologyFor } from '../../../src/netpol/scenarios.js';
import { buildTopology, CLUSTER_DNS, findPod, withIPs } from '../../../src/netpol/topology.js';
import { ipsFor } from './fixture.js';

function labTopology() {
  const topology = buildTopology(topologyFor([ENFORCEMENT_SCENARIO, ...SCENARIOS]), { namespaceName: (n) => `ka-s-${n}` });
  return withIPs(topology, ipsFor(topology));
}

describe('netpol lab data', () => {
  const lab = labTopology();

  it('GIVEN the lab for every scenario THEN 9 pods serve 80/81/82 TCP and 80/81 UDP, each with a startup probe per server and the agent last', () => {
    expect(lab.pods).to.have.length(9);
    const pod = findPod(lab, 'x/a');
    if (pod === undefined) throw new Error('x/a');
    const manifest = probePodManifest(pod, lab, { image: 'img', agentPort: 8079 });
    const names = manifest.spec?.containers.map((c) => c.name) ?? [];
    expect(names).to.have.members(['cont-80-tcp', 'cont-80-udp', 'cont-81-tcp', 'cont-81-udp', 'cont-82-tcp', AGENT_CONTAINER]);
    expect(names[names.length - 1]).to.equal(AGENT_CONTAINER);
    const agent = manifest.spec?.containers.find((c) => c.name === AGENT_CONTAINER);
    expect(agent?.command).to.deep.equal(['/agnhost', 'netexec', '--http-port=8079', '--udp-port=-1']);
    expect(agent?.ports).to.equal(undefined); // never a port policies could name
    const udp = manifest.spec?.containers.find((c) => c.name === 'cont-80-udp');
    expect(udp?.startupProbe?.exec?.command).to.deep.equal(['/agnhost', 'connect', '127.0.0.1:80', '--protocol=udp', '--timeout=1s']);
    expect(manifest.spec?.containers.find((c) => c.name === 'cont-80-tcp')?.startupProbe?.tcpSocket?.port).to.equal(80);
  });

  it('GIVEN an agent port a pod also serves THEN the manifest is refused', () => {
    const pod = findPod(lab, 'x/a');
    if (pod === undefined) throw new Error('x/a');
    expect(() => probePodManifest(pod, lab, { image: 'img', agentPort: 81 })).to.throw(/serves 81\/TCP, the probe agent's port/);
  });

  it('GIVEN a scenario asking for x, y and pods a, b THEN its topology is that part of the lab, with externals resolved for the run', () => {
    const scenario = findScenario('netpol/default-deny-egress-allow-dns');
    if (scenario === undefined) throw new Error('scenario');
    const part = scenarioTopology(lab, scenario.topology, [{ ...CLUSTER_DNS, ip: '10.0.9.9' }]);
    expect(part.namespaces.map((n) => n.logical)).to.deep.equal(['x', 'y']);
    expect(part.pods.map((p) => p.id)).to.deep.equal(['x/a', 'x/b', 'y/a', 'y/b']);
    expect(part.externals).to.deep.equal([{ ...CLUSTER_DNS, ip: '10.0.9.9' }]);
    expect(planProbes(part, scenario.probes)).to.have.length(16 + 8);
  });

  it('GIVEN the enforcement scenario THEN it first expects every cell into y allowed, then 48 cells blocked (loopback aside)', async () => {
    const part = scenarioTopology(lab, ENFORCEMENT_SCENARIO.topology);
    const probes = planProbes(part, ENFORCEMENT_SCENARIO.probes);
    expect(probes).to.have.length(9 * 3 * 2);
    expect(probes.every((p) => p.to.startsWith('y/'))).to.equal(true);
    const [open, deny] = await Promise.all(ENFORCEMENT_SCENARIO.steps.map((s) => new SimulatedProbeRunner(part, bindPolicies(s.policies, part)).probeAll(probes)));
    expect(open && mustBlockCount(probes, open)).to.equal(0);
    expect(deny && mustBlockCount(probes, deny)).to.equal(48);
  });
});
