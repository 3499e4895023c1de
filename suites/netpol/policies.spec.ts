// Network policy: expected reachability from the simulator, observed by batched probes of the
// x/y/z labs, one check per scenario under its stable ID. ORDER MATTERS: netpol/enforcement is
// declared first so that it runs first (mocha keeps declaration order); when NetworkPolicy is not
// enforced at all it fails with one sentence and records so in enforcementFinding, and the
// scenarios that need enforcement are skipped pointing at it instead of failing cell by cell.
// The labs are the suite's other shared state: built together by beforeSuite; after
// netpol/enforcement the selected scenarios and generated cases run on them several at once
// (src/netpol/suite-schedule.ts), and each check reports its own.
import { beforeSuite, check, suite } from '../../src/harness/index.js';
import netpol from './suite.js';
import { createLab, createLabNamespaces, type NetpolLab } from '../../src/netpol/cluster-lab.js';
import { checkEnforcement } from '../../src/netpol/cluster-enforcement.js';
import { reportScenario } from '../../src/netpol/cluster-scenario.js';
import { ENFORCEMENT_SCENARIO } from '../../src/netpol/enforcement-scenario.js';
import { SCENARIOS, topologyFor } from '../../src/netpol/scenarios.js';
import { checkGeneratedCases, GENERATED_CASES_ID } from '../../src/netpol/cluster-generated.js';
import { netpolSettings } from '../../src/netpol/config.js';
import { NETPOL_TIMEOUTS } from '../../src/netpol/timeouts.js';
import { generatedCases, laneTopology, type GeneratorSupport } from '../../src/netpol/generator.js';
import { NetpolSchedule } from '../../src/netpol/suite-schedule.js';

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

/** Whether --grep selects a check of this spec (mocha matches "<suite title> <id> <title>"). */
const selected = (grep: string | undefined, id: string, title: string): boolean => grep === undefined || new RegExp(grep).test(`${netpol.title} ${id} ${title}`);

const GENERATED_TITLE = 'Generated cases: every target, peer, port kind, protocol, direction and action is enforced as the policies say';

suite(netpol, () => {
  let schedule: NetpolSchedule | undefined;
  const scheduleOf = (): NetpolSchedule => {
    if (schedule === undefined) throw new Error('the probe labs do not exist: the suite setup failed (see its error)');
    return schedule;
  };

  beforeSuite('start the probe pods of namespaces x, y and z, and the lanes of the generated cases', async (s) => {
    const settings = netpolSettings(s);
    const grep = s.config.grep;
    const scenarios = SCENARIOS.filter((sc) => selected(grep, sc.id, sentenceCase(sc.title)));
    // The lanes only when their check runs, so a run without it (--grep) never starts them.
    const cases = selected(grep, GENERATED_CASES_ID, GENERATED_TITLE) ? generatedCases(settings.depth, SUPPORT) : [];
    const request = topologyFor([ENFORCEMENT_SCENARIO, ...SCENARIOS]);
    const scenarioLabs = scenarios.length === 0 ? 1 : Math.min(settings.scenarioLanes, scenarios.length);
    // The lanes' namespaces now, their pods once the scenario labs are Ready (the schedule starts them).
    const [labs, lanes] = await Promise.all([
      Promise.all(Array.from({ length: scenarioLabs }, (_, i) => createLab(s, request, i === 0 ? undefined : `lab${i + 1}`))),
      Promise.all(Array.from({ length: cases.length === 0 ? 0 : settings.lanes }, (_, i) => createLabNamespaces(s, laneTopology(SUPPORT), `lane${i + 1}`))),
    ]);
    const labSet = { scenario: labs, cases: lanes };
    const created = new NetpolSchedule(s, labSet, scenarios, cases);
    // Registered after the labs: cleanup runs last-in first, so jobs stop before their namespaces go.
    s.defer('stop the netpol jobs still running', () => created.stop());
    schedule = created;
  });

  check(ENFORCEMENT_SCENARIO.id, ENFORCEMENT_SCENARIO.title, (t) => checkEnforcement(t, scheduleOf().labs.scenario[0] as NetpolLab), {
    namespace: false, tags: ['netpol', 'security'], remediation: ENFORCER_REMEDIATION,
  });

  for (const scenario of SCENARIOS) {
    check(scenario.id, sentenceCase(scenario.title), async (t) => {
      reportScenario(t, await scheduleOf().scenario(t, scenario), scenario);
    }, { namespace: false, tags: ['netpol', 'security'], remediation: SCENARIO_REMEDIATION });
  }

  check(GENERATED_CASES_ID, GENERATED_TITLE, (t) => checkGeneratedCases(t, scheduleOf(), SUPPORT), {
    namespace: false, tags: ['netpol', 'security'], remediation: SCENARIO_REMEDIATION,
    timeout: { name: 'netpolGeneratedCases', ms: NETPOL_TIMEOUTS.netpolGeneratedCases.ms },
  });
});
