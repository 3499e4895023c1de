// Reads and validates the optional YAML configuration file. The JSON Schema shipped in the
// package (schemas/config.schema.json) is the single definition of what the file may contain;
// ajv runs in strict mode so the schema itself cannot silently contain typos either.
import { readUserFile } from './read-file.js';
import { resolve } from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { ConfigError } from '../errors.js';
import type { AnySuiteDefinition } from '../harness/suite-definition.js';
import { configSchema, configSchemaKey } from './schema.js';
import { schemaProblemFor } from './schema-check.js';
import type { FileConfig } from './types.js';

/** Validates an already parsed document against the harness keys and the sections of
 *  `suites`; `source` names it in messages. */
export function validateConfig(document: unknown, source: string, suites: readonly AnySuiteDefinition[] = []): FileConfig {
  const problem = schemaProblemFor(configSchema(suites), configSchemaKey(suites), document);
  if (problem === undefined) return document as FileConfig;
  throw new ConfigError(`config file ${source}: ${problem}; fix the file to match schemas/config.schema.json and the suites' sections (kube-assay schema prints the whole schema).`);
}

/** Parses YAML text; an empty file is an empty configuration. */
export function parseConfigText(text: string, source: string, suites: readonly AnySuiteDefinition[] = []): FileConfig {
  // js-yaml refuses documents without content; a file of comments is an empty configuration.
  if (text.split('\n').every((line) => /^\s*(#.*)?$/.test(line))) return {};
  let document: unknown;
  try {
    document = loadYaml(text);
  } catch (err) {
    const mark = isRecord(err) && isRecord(err.mark) ? err.mark : undefined;
    const where = mark ? ` at line ${Number(mark.line) + 1}, column ${Number(mark.column) + 1}` : '';
    const reason = isRecord(err) && typeof err.reason === 'string' ? err.reason : String(err);
    throw new ConfigError(`config file ${source} is not valid YAML${where} (${reason}): fix the syntax there.`);
  }
  if (document === null || document === undefined) return {};
  if (!isRecord(document) || Array.isArray(document)) {
    throw new ConfigError(`config file ${source} must be a YAML mapping of keys to values, not ${Array.isArray(document) ? 'a list' : typeof document}: see schemas/config.schema.json.`);
  }
  return validateConfig(document, source, suites);
}

/** Reads, parses and validates a config file. */
export function loadConfigFile(path: string, suites: readonly AnySuiteDefinition[] = []): { path: string; config: FileConfig } {
  const absolute = resolve(path);
  const text = readUserFile(absolute, (code) => new ConfigError(`config file ${absolute} cannot be read (${code}): check the path given to --config.`));
  return { path: absolute, config: parseConfigText(text, absolute, suites) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
