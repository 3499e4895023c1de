// What every command that reads the config needs first: the suites on disk and their
// declarations, so the config file is validated with every suite's section.
import { compiledSuitesDir } from '../config/paths.js';
import { resolveConfig } from '../config/resolve.js';
import type { CliFlags, Config } from '../config/types.js';
import { discoverSuites, type SuiteFiles } from '../harness/discover.js';
import type { AnySuiteDefinition } from '../harness/suite-definition.js';
import { loadSuiteDefinitions } from '../harness/suite-loader.js';

export interface KnownSuites {
  found: SuiteFiles[];
  definitions: AnySuiteDefinition[];
}

export async function knownSuites(): Promise<KnownSuites> {
  const found = discoverSuites(compiledSuitesDir);
  return { found, definitions: await loadSuiteDefinitions(found) };
}

export async function configWithSuites(flags: CliFlags): Promise<KnownSuites & { config: Config }> {
  const known = await knownSuites();
  return { ...known, config: resolveConfig(flags, known.definitions) };
}

/** The declarations of the selected suites, in the order found. */
export function definitionsOf(known: KnownSuites, selected: readonly SuiteFiles[]): AnySuiteDefinition[] {
  return known.definitions.filter((d) => selected.some((s) => s.name === d.name));
}
