// The netpol suite's config section (declared with the suite in suites/netpol/suite.ts).
import type { Depth } from './generator.js';
import { settingsOf, type SuiteConfigSection, type SuiteSource } from '../harness/suite-definition.js';

export interface NetpolConfig {
  excludeNamespaces: string[];
  /** Absolute path (resolved against the config file's directory). */
  expectationsFile?: string;
  /** Opt-in to placing probe pods in the user's namespaces for the expectations file. */
  probeUserNamespaces: boolean;
  /** Which generated cases run: `default` (a covering set) or `thorough` (the whole set). */
  depth: Depth;
  /** Lanes (namespace pairs) the generated cases run in at the same time. */
  lanes: number;
  /** Labs (x, y, z with pods a, b, c) the scenarios run in at the same time; generated cases use
   *  them too once the scenarios are done. */
  scenarioLanes: number;
}

export const NETPOL_CONFIG: SuiteConfigSection<NetpolConfig> = {
  description: 'Options of the network policy suite.',
  properties: {
    excludeNamespaces: {
      description: 'Namespaces the policy audit ignores, in addition to the system namespaces.',
      type: 'array',
      items: { type: 'string', minLength: 1 },
      uniqueItems: true,
    },
    expectationsFile: {
      description: "YAML file with the user's own reachability expectations (schemas/netpol-expectations.schema.json).",
      type: 'string',
      minLength: 1,
    },
    probeUserNamespaces: {
      description: 'Opt-in: let the netpol/user-expectations check place short-lived labelled probe pods in the namespaces the expectations file names (default: false).',
      type: 'boolean',
    },
    depth: {
      description: 'Generated cases of netpol/generated-cases: default (at least one case of every target, peer, port kind, protocol, direction and action) or thorough (the whole generated set, some 250 cases).',
      enum: ['default', 'thorough'],
    },
    lanes: {
      description: 'How many generated cases run at the same time, each in its own pair of namespaces (default: 3 for default depth, 5 for thorough).',
      type: 'integer',
      minimum: 1,
      maximum: 8,
    },
    scenarioLanes: {
      description: 'How many scenarios run at the same time, each in its own labs x, y and z with 9 probe pods; once no scenario is left they run generated cases too (default: 1, the scenarios one after another: on a 2-core node probing is CPU-bound and more labs starting at once made the suite slower; raise it on bigger nodes).',
      type: 'integer',
      minimum: 1,
      maximum: 4,
    },
  },
  resolve: (section, { resolvePath }) => ({
    excludeNamespaces: (section.excludeNamespaces as string[] | undefined) ?? [],
    expectationsFile: typeof section.expectationsFile === 'string' ? resolvePath(section.expectationsFile) : undefined,
    probeUserNamespaces: section.probeUserNamespaces === true,
    depth: section.depth === 'thorough' ? 'thorough' : 'default',
    lanes: typeof section.lanes === 'number' ? section.lanes : section.depth === 'thorough' ? 5 : 3,
    scenarioLanes: typeof section.scenarioLanes === 'number' ? section.scenarioLanes : 1,
  }),
};

export function netpolSettings(source: SuiteSource): NetpolConfig {
  return settingsOf(source, 'netpol', NETPOL_CONFIG);
}
