// Reads a waivers file (YAML, schemas/waivers.schema.json, strict): every problem is one
// sentence naming the file and the JSON path (exit 2). Dates stay text: the YAML core schema
// does not turn 2027-01-31 into a Date in the reader's time zone.
import { readUserFile } from '../config/read-file.js';
import { join } from 'node:path';
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import { schemaProblem } from '../config/schema-check.js';
import { ConfigError } from '../errors.js';
import { packageRoot } from '../config/paths.js';

export const WAIVERS_SCHEMA_FILE = 'schemas/waivers.schema.json';

export interface Waiver {
  check: string;
  reason: string;
  owner: string;
  /** Last day (UTC) on which it applies, YYYY-MM-DD. */
  expires: string;
  match?: { node?: string; namespace?: string; name?: string };
}

export interface WaiversFile {
  file: string;
  waivers: Waiver[];
}

const fix = `fix the file to match ${WAIVERS_SCHEMA_FILE}.`;

export function parseWaivers(text: string, file: string): WaiversFile {
  let document: unknown;
  try {
    document = loadYaml(text, { schema: CORE_SCHEMA });
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n', 1)[0] : String(err);
    throw new ConfigError(`waivers file ${file} is not valid YAML (${reason}): fix the syntax there.`);
  }
  const problem = schemaProblem(join(packageRoot, WAIVERS_SCHEMA_FILE), document);
  if (problem !== undefined) throw new ConfigError(`waivers file ${file}: ${problem}; ${fix}`);
  const waivers = (document as { waivers: Waiver[] }).waivers;
  waivers.forEach((waiver, i) => {
    const day = new Date(`${waiver.expires}T00:00:00Z`);
    if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== waiver.expires) {
      throw new ConfigError(`waivers file ${file}: $.waivers[${i}].expires "${waiver.expires}" is not a calendar date; ${fix}`);
    }
  });
  return { file, waivers };
}

export function loadWaivers(file: string): WaiversFile {
  const text = readUserFile(file, (code) => new ConfigError(`waivers file ${file} cannot be read (${code}): pass an existing file to --waivers.`));
  return parseWaivers(text, file);
}
