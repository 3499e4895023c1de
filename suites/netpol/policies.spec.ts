// Network policy: expected reachability from the simulator, observed by batched probes of the
// x/y/z lab, one check per scenario under its stable ID. ORDER MATTERS: netpol/enforcement is
// declared first so that it runs first (mocha keeps declaration order); when NetworkPolicy is not
// enforced at all it fails with one sentence and records so in enforcementFinding, and the
// scenarios that need enforcement are skipped pointing at it instead of failing cell by cell.
// The lab is the suite's other shared state: built by beforeSuite, handed to every check here.
import { beforeSuite, check, suite } from '../../src/harness/index.js';
import netpol from './suite.js';
import { createLab, type NetpolLab } from '../../src/netpol/cluster-lab.js';
import { checkEnforcement } from '../../src/netpol/cluster-enforcement.js';
import { checkScenario } from '../../src/netpol/cluster-scenario.js';
import { ENFORCEMENT_SCENARIO } from '../../src/netpol/enforcement-scenario.js';
import { SCENARIOS, topologyFor } from '../../src/netpol/scenarios.js';
import { checkGeneratedCases, GENERATED_CASES_ID } from '../../src/netpol/cluster-generated.js';
import { netpolSettings } from '../../src/netpol/config.js';
import { NETPOL_TIMEOUTS } from '../../src/netpol/timeouts.js';
import { generatedCases, laneTopology, type GeneratorSupport } from '../../src/netpol/generator.js';

/** SCTP cases need lab pods serving SCTP, which not every cluster's kernel offers; not yet detected. */
const SUPPORT: GeneratorSupport = { sctp: false };

const ENFORCER_REMEDIATION =
  'NetworkPolicy is enforced by the CNI or a separate enforcer (Calico, Cilium, kube-router, ...), not by the API server: ' +
  'check that the CNI supports NetworkPolicy and that its agent runs on every node, then read its logs for errors about the policies named here.';
const SCENARIO_REMEDIATION =
  'Compare each differing cell with "why expected" (the rule that decides it) and re-run it with its reproduce command; ' +
  'a cell allowed that must be blocked means the enforcer ignores that rule, one blocked that must be allowed means it is stricter than the API. ' +
  ENFORCER_REMEDIATION;

/** Scenario titles are written lower-case as data; check titles read as sentences (a field
 *  name such as namespaceSelector keeps its spelling). */
const sentenceCase = (text: string): string => (/^[a-z]+[A-Z]/.test(text) ? text : text.charAt(0).toUpperCase() + text.slice(1));

suite(netpol, () => {
  let lab: NetpolLab | undefined;
  const labOf = (): NetpolLab => {
    if (lab === undefined) throw new Error('the probe lab does not exist: the suite setup failed (see its error)');
    return lab;
  };

  beforeSuite('start the probe pods of namespaces x, y and z', async (s) => {
    lab = await createLab(s, topologyFor([ENFORCEMENT_SCENARIO, ...SCENARIOS]));
  });

  check(ENFORCEMENT_SCENARIO.id, ENFORCEMENT_SCENARIO.title, (t) => checkEnforcement(t, labOf()), {
    namespace: false, tags: ['netpol', 'security'], remediation: ENFORCER_REMEDIATION,
  });

  for (const scenario of SCENARIOS) {
    check(scenario.id, sentenceCase(scenario.title), async (t) => {
      await checkScenario(t, labOf(), scenario);
    }, { namespace: false, tags: ['netpol', 'security'], remediation: SCENARIO_REMEDIATION });
  }

  check(GENERATED_CASES_ID, 'Generated cases: every target, peer, port kind, protocol, direction and action is enforced as the policies say', async (t) => {
    // The lanes are this check's own namespaces, so a run without it (--grep) never starts them.
    const settings = netpolSettings(t);
    const createLanes = () => Promise.all(Array.from({ length: settings.lanes }, (_, i) => createLab(t, laneTopology(SUPPORT), `lane${i + 1}`)));
    await checkGeneratedCases(t, createLanes, generatedCases(settings.depth, SUPPORT));
  }, {
    namespace: false, tags: ['netpol', 'security'], remediation: SCENARIO_REMEDIATION,
    timeout: { name: 'netpolGeneratedCases', ms: NETPOL_TIMEOUTS.netpolGeneratedCases.ms },
  });
});
