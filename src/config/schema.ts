// The one strict config schema of a run: the harness's own keys (schemas/config.schema.json)
// plus one section per suite that declares one, built from the suites' own schema fragments.
import { readFileSync } from 'node:fs';
import type { AnySuiteDefinition, JsonSchema } from '../harness/suite-definition.js';
import { configSchemaPath } from './paths.js';

interface CoreSchema extends JsonSchema {
  properties: Record<string, JsonSchema>;
}

let core: CoreSchema | undefined;

function coreSchema(): CoreSchema {
  core ??= JSON.parse(readFileSync(configSchemaPath, 'utf8')) as CoreSchema;
  return core;
}

/** The config schema for these suites. A suite section is a strict object like every other. */
export function configSchema(definitions: readonly AnySuiteDefinition[]): JsonSchema {
  const base = coreSchema();
  const properties: Record<string, JsonSchema> = { ...base.properties };
  for (const d of definitions) {
    if (d.config === undefined) continue;
    if (d.name in base.properties) throw new Error(`suite ${d.name} declares a config section whose name is a harness key; rename the suite`);
    properties[d.name] = { description: d.config.description, type: 'object', additionalProperties: false, properties: d.config.properties };
  }
  return { ...base, properties };
}

/** Identifies the schema of a set of suites, so each distinct one is compiled once. */
export function configSchemaKey(definitions: readonly AnySuiteDefinition[]): string {
  return `config:${definitions.map((d) => d.name).sort().join(',')}`;
}
