// Finding suites: each directory under dist/suites/ with *.spec.js files is a suite named
// after the directory (suites/<name>/*.spec.ts in the source tree).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';

export interface SuiteFiles {
  name: string;
  files: string[];
  /** The compiled suite declaration, `<root>/<name>/suite.js` (config section, timeouts, rights). */
  definition: string;
}

export function discoverSuites(root: string): SuiteFiles[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => ({
      name: entry.name,
      files: readdirSync(join(root, entry.name))
        .filter((f) => f.endsWith('.spec.js'))
        .sort()
        .map((f) => join(root, entry.name, f)),
      definition: join(root, entry.name, 'suite.js'),
    }))
    .filter((s) => s.files.length > 0)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The suites to run: all when none are named; an unknown name is a usage error that lists the known ones. */
export function selectSuites(known: readonly SuiteFiles[], wanted: readonly string[]): SuiteFiles[] {
  if (wanted.length === 0) return [...known];
  const names = known.map((s) => s.name);
  const unknown = wanted.filter((w) => !names.includes(w));
  if (unknown.length > 0) {
    const list = unknown.map((u) => `"${u}"`).join(', ');
    throw new UsageError(`unknown suite ${list}: known suites are ${names.join(', ') || '(none built: run npm run build)'}; pass one of them to --suite.`);
  }
  return known.filter((s) => wanted.includes(s.name));
}

/** Compiles --grep; mocha matches it against "<suite title> <id> <check title>". */
export function compileGrep(pattern: string | undefined): RegExp | undefined {
  if (pattern === undefined) return undefined;
  try {
    return new RegExp(pattern);
  } catch (err) {
    throw new UsageError(`--grep "${pattern}" is not a valid regular expression (${err instanceof Error ? err.message : String(err)}): fix the pattern or quote it.`);
  }
}
