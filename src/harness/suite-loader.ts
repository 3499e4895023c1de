// Loads the suite declarations (suites/<name>/suite.ts, compiled) the CLI needs before any spec
// runs: their config sections, timeouts and rights. A suite folder with specs but no valid
// declaration is a packaging bug, named with the file to fix.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { SuiteFiles } from './discover.js';
import type { AnySuiteDefinition } from './suite-definition.js';

function isDefinition(value: unknown): value is AnySuiteDefinition {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.name === 'string' && typeof v.title === 'string' && Array.isArray(v.permissions) && typeof v.resolveSettings === 'function';
}

export async function loadSuiteDefinitions(found: readonly SuiteFiles[]): Promise<AnySuiteDefinition[]> {
  const definitions: AnySuiteDefinition[] = [];
  for (const suite of found) {
    if (!existsSync(suite.definition)) {
      throw new Error(`suite ${suite.name} has specs but no declaration ${suite.definition}: add suites/${suite.name}/suite.ts exporting defineSuite({...}) as default`);
    }
    const module = (await import(pathToFileURL(suite.definition).href)) as { default?: unknown };
    if (!isDefinition(module.default)) {
      throw new Error(`${suite.definition} must export the suite's defineSuite({...}) as its default export`);
    }
    if (module.default.name !== suite.name) {
      throw new Error(`${suite.definition} declares suite "${module.default.name}", but its folder is suites/${suite.name}: they must match (--suite selects by folder)`);
    }
    definitions.push(module.default);
  }
  return definitions;
}
