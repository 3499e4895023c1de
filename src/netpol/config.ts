// The netpol suite's config section (declared with the suite in suites/netpol/suite.ts).
import { settingsOf, type SuiteConfigSection, type SuiteSource } from '../harness/suite-definition.js';

export interface NetpolConfig {
  excludeNamespaces: string[];
  /** Absolute path (resolved against the config file's directory). */
  expectationsFile?: string;
  /** Opt-in to placing probe pods in the user's namespaces for the expectations file. */
  probeUserNamespaces: boolean;
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
  },
  resolve: (section, { resolvePath }) => ({
    excludeNamespaces: (section.excludeNamespaces as string[] | undefined) ?? [],
    expectationsFile: typeof section.expectationsFile === 'string' ? resolvePath(section.expectationsFile) : undefined,
    probeUserNamespaces: section.probeUserNamespaces === true,
  }),
};

export function netpolSettings(source: SuiteSource): NetpolConfig {
  return settingsOf(source, 'netpol', NETPOL_CONFIG);
}
