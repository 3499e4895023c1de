// Loads a check catalogue (YAML) into compiled entries. Everything that can be wrong with a
// catalogue is found here, at load time, as one ConfigError naming the file, the line and the
// JSON path: YAML syntax, the strict schema (unknown key, bad operator, wrong type), and what a
// schema cannot say (duplicate IDs, an ID outside its suite, unknown predicates or collectors,
// bad fact paths and patterns, a rule node that is not exactly one kind).
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { packageRoot } from '../config/paths.js';
import { schemaProblemAt } from '../config/schema-check.js';
import { jsonPath } from '../config/schema-errors.js';
import { ConfigError } from '../errors.js';
import type { Platform } from '../report/model.js';
import { parseFactPath, type FactPath } from './path.js';
import type { Catalogue, CatalogueEntry, Operator, Predicates, Rule, Scalar, Severity } from './types.js';

export const catalogueSchemaPath = join(packageRoot, 'schemas', 'check-catalogue.schema.json');

/** The catalogue of a suite: suites/<suite>/checks.yaml in the package (YAML is not compiled,
 *  so it is read from the package root, not from dist/). A suite judged against several
 *  benchmark profiles ships one catalogue per profile: suites/<suite>/checks.<profile>.yaml. */
export function suiteCataloguePath(suite: string, profile?: string): string {
  return join(packageRoot, 'suites', suite, profile === undefined ? 'checks.yaml' : `checks.${profile}.yaml`);
}

/** Names of catalogue files in a suite folder: `checks.yaml` or `checks.<profile>.yaml`. */
export const CATALOGUE_FILE = /^checks(?:\.([a-z0-9][a-z0-9-]*))?\.yaml$/;

export interface LoadOptions {
  /** Predicates the rules may name; any other name is a load error. */
  predicates?: Predicates;
  /** Collector names the entries may read; when given, any other source is a load error. */
  sources?: readonly string[];
  /** Where the catalogue named by `base:` is (loadCatalogue: checks.<base>.yaml beside the file). */
  baseFile?: (base: string) => string;
  /** Catalogue files already being loaded (a base cycle is an error). */
  loading?: readonly string[];
}

/** Raw shapes after schema validation (the schema guarantees these types). */
interface RawRule {
  path?: string;
  op?: Operator;
  value?: unknown;
  default?: Scalar;
  ignoreCase?: boolean;
  all?: RawRule[];
  any?: RawRule[];
  predicate?: string;
  when?: RawRule;
  severity?: Severity;
  because?: string;
}

/** An entry as written in YAML: the loaded entry's fields before defaults, with rules, paths
 *  and scope still in their written form. */
type RawEntry = Pick<CatalogueEntry, 'id' | 'title' | 'severity' | 'rationale' | 'remediation' | 'source' | 'violation' | 'emptyReason'> &
  Partial<Pick<CatalogueEntry, 'references' | 'tags' | 'whenEmpty'>> & {
    appliesTo?: { platforms?: Platform[]; profiles?: string[] };
    where?: RawRule;
    rule: RawRule;
    inventory?: { title: string; columns: Array<{ header: string; path: string; default?: Scalar }> };
  };

interface RawCatalogue {
  suite: string;
  base?: string;
  omit?: string[];
  notVerifiable?: { tags: string[]; reason: string };
  checks: RawEntry[];
}

type Segments = Array<string | number>;

/** Turns a problem at a place in the document into the one error a catalogue author sees. */
class Locator {
  constructor(
    private readonly file: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  lineOf(segments: Segments, key?: string): number {
    let node: unknown = this.doc.getIn(segments, true) ?? this.doc.contents;
    if (key !== undefined && isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === key);
      if (pair !== undefined) node = pair.key;
    }
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return range === undefined ? 1 : this.lines.linePos(range[0]).line;
  }

  error(segments: Segments, text: string, key?: string): ConfigError {
    return new ConfigError(`check catalogue ${this.file}:${this.lineOf(segments, key)}: ${text}; fix the file (format: docs/checks.md, schema: schemas/check-catalogue.schema.json)`);
  }
}

function pathText(segments: Segments): string {
  return jsonPath(segments.length === 0 ? '' : `/${segments.join('/')}`);
}

function displayName(file: string): string {
  const rel = relative(packageRoot, file);
  return rel.startsWith('..') ? file : rel;
}

/** Reads and compiles a catalogue file; throws ConfigError on the first problem. */
export function loadCatalogue(file: string, options: LoadOptions = {}): Catalogue {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`check catalogue ${file} cannot be read (${err instanceof Error ? err.message : String(err)}); check the path`);
  }
  return parseCatalogue(text, displayName(file), { ...options, baseFile: (base) => join(dirname(file), `checks.${base}.yaml`) });
}

/** Compiles catalogue text; `file` is only used in messages. */
export function parseCatalogue(text: string, file: string, options: LoadOptions = {}): Catalogue {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax !== undefined) {
    const line = lines.linePos(syntax.pos[0]).line;
    throw new ConfigError(`check catalogue ${file}:${line}: not valid YAML (${syntax.message.split('\n')[0] ?? syntax.code}); fix the file`);
  }
  const at = new Locator(file, doc, lines);
  const data: unknown = doc.toJS();
  const problem = schemaProblemAt(catalogueSchemaPath, data);
  if (problem !== undefined) {
    const segments = problem.instancePath.split('/').slice(1).map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
    throw at.error(segments, problem.text, problem.unknownKey);
  }
  const raw = data as RawCatalogue;
  const seen = new Map<string, number>();
  const entries = raw.checks.map((entry, index) => {
    const base: Segments = ['checks', index];
    const line = at.lineOf(base);
    const first = seen.get(entry.id);
    if (first !== undefined) throw at.error([...base, 'id'], `${pathText([...base, 'id'])} "${entry.id}" is already the ID of the check on line ${first}`);
    seen.set(entry.id, line);
    if (!entry.id.startsWith(`${raw.suite}/`)) throw at.error([...base, 'id'], `${pathText([...base, 'id'])} "${entry.id}" must start with the suite name "${raw.suite}/"`);
    if (options.sources !== undefined && !options.sources.includes(entry.source)) {
      throw at.error([...base, 'source'], `${pathText([...base, 'source'])} names the unknown collector "${entry.source}" (known: ${options.sources.join(', ') || 'none'})`);
    }
    return compileEntry(entry, base, line, file, at, options.predicates ?? {});
  });
  if (raw.base === undefined) {
    if (raw.omit !== undefined) throw at.error(['omit'], '$.omit needs base: it lists entries of the base catalogue this one leaves out');
    if (raw.notVerifiable !== undefined) throw at.error(['notVerifiable'], '$.notVerifiable needs base: it marks entries of the base catalogue this profile cannot verify');
    return { file, suite: raw.suite, entries };
  }
  return { file, suite: raw.suite, entries: overBase(raw, entries, file, at, options) };
}

/** A profile catalogue over its base: the base's entries in order, minus `omit`, each replaced
 *  by the entry of the same ID here; entries with new IDs follow. */
function overBase(raw: RawCatalogue, own: CatalogueEntry[], file: string, at: Locator, options: LoadOptions): CatalogueEntry[] {
  const baseName = raw.base as string;
  const baseFile = options.baseFile?.(baseName);
  if (baseFile === undefined) throw at.error(['base'], `$.base "${baseName}" cannot be resolved here (load the catalogue from its file)`);
  const loading = [...(options.loading ?? []), file];
  if (loading.includes(displayName(baseFile))) throw at.error(['base'], `$.base "${baseName}" leads back to ${displayName(baseFile)} (${loading.join(' -> ')})`);
  const base = loadCatalogue(baseFile, { ...options, loading });
  if (base.suite !== raw.suite) throw at.error(['base'], `$.base "${baseName}" is a catalogue of suite ${base.suite}, not ${raw.suite}`);
  const baseIds = new Set(base.entries.map((e) => e.id));
  (raw.omit ?? []).forEach((id, i) => {
    if (!baseIds.has(id)) throw at.error(['omit', i], `$.omit[${i}] "${id}" is not an entry of the base catalogue ${base.file}`);
    if (own.some((e) => e.id === id)) throw at.error(['omit', i], `$.omit[${i}] "${id}" is both omitted and redefined here`);
  });
  const replacement = new Map(own.map((e) => [e.id, e]));
  const kept = base.entries.filter((e) => !(raw.omit ?? []).includes(e.id)).map((e) => replacement.get(e.id) ?? e);
  const entries = [...kept, ...own.filter((e) => !baseIds.has(e.id))];
  const unverifiable = raw.notVerifiable;
  if (unverifiable === undefined) return entries;
  unverifiable.tags.forEach((tag, i) => {
    if (!entries.some((e) => e.tags.includes(tag))) throw at.error(['notVerifiable', 'tags', i], `$.notVerifiable.tags[${i}] "${tag}" is the tag of no entry this profile has`);
  });
  return entries.map((e) => (e.tags.some((t) => unverifiable.tags.includes(t)) ? { ...e, notVerifiable: unverifiable.reason } : e));
}

function compileEntry(raw: RawEntry, base: Segments, line: number, file: string, at: Locator, predicates: Predicates): CatalogueEntry {
  const compile = (rule: RawRule, segments: Segments, topLevel: boolean): Rule => compileRule(rule, segments, at, predicates, topLevel);
  const path = (text: string, segments: Segments): FactPath => parsePathAt(text, segments, at);
  return {
    id: raw.id,
    title: raw.title,
    severity: raw.severity,
    rationale: raw.rationale,
    remediation: raw.remediation,
    references: raw.references ?? {},
    tags: raw.tags ?? [],
    platforms: raw.appliesTo?.platforms,
    profiles: raw.appliesTo?.profiles,
    source: raw.source,
    where: raw.where === undefined ? undefined : compile(raw.where, [...base, 'where'], false),
    rule: compile(raw.rule, [...base, 'rule'], true),
    violation: raw.violation,
    whenEmpty: raw.whenEmpty ?? 'skip',
    emptyReason: raw.emptyReason,
    inventory:
      raw.inventory === undefined
        ? undefined
        : {
            title: raw.inventory.title,
            columns: raw.inventory.columns.map((c, i) => ({ header: c.header, path: path(c.path, [...base, 'inventory', 'columns', i, 'path']), default: c.default })),
          },
    file,
    line,
  };
}

function parsePathAt(text: string, segments: Segments, at: Locator): FactPath {
  try {
    return parseFactPath(text);
  } catch (err) {
    throw at.error(segments, `${pathText(segments)}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

const VALUE_SHAPES: Record<Operator, { check: (v: unknown) => boolean; needs: string } | undefined> = {
  eq: { check: (v) => v !== undefined, needs: 'a value' },
  noteq: { check: (v) => v !== undefined, needs: 'a value' },
  in: { check: (v) => Array.isArray(v) && v.length > 0, needs: 'a non-empty list' },
  notin: { check: (v) => Array.isArray(v) && v.length > 0, needs: 'a non-empty list' },
  gte: { check: (v) => typeof v === 'number', needs: 'a number' },
  lte: { check: (v) => typeof v === 'number', needs: 'a number' },
  has: { check: (v) => v !== undefined, needs: 'a value' },
  nothave: { check: (v) => v !== undefined, needs: 'a value' },
  regex: { check: (v) => typeof v === 'string', needs: 'a pattern string' },
  set: undefined,
  unset: undefined,
};

function compileRule(raw: RawRule, segments: Segments, at: Locator, predicates: Predicates, topLevel: boolean): Rule {
  const here = pathText(segments);
  const kinds = (['path', 'all', 'any', 'predicate'] as const).filter((k) => raw[k] !== undefined);
  if (kinds.length !== 1) {
    throw at.error(segments, `${here} must have exactly one of path (with op), all, any or predicate${kinds.length > 1 ? `, not ${kinds.join(' and ')}` : ''}`);
  }
  const stray = (['op', 'value', 'default', 'ignoreCase'] as const).find((k) => raw[k] !== undefined && raw.path === undefined);
  if (stray !== undefined) throw at.error([...segments, stray], `${here}.${stray} belongs to a comparison, which needs a path; ${kinds[0] ?? 'this rule'} does not take it`);
  const common = {
    when: raw.when === undefined ? undefined : compileRule(raw.when, [...segments, 'when'], at, predicates, false),
    severity: raw.severity,
    because: raw.because,
  };
  if (raw.all !== undefined || raw.any !== undefined) {
    const type = raw.all !== undefined ? 'all' : 'any';
    const children = (raw.all ?? raw.any ?? []).map((child, i) => compileRule(child, [...segments, type, i], at, predicates, false));
    return { type, rules: children, ...common };
  }
  if (raw.predicate !== undefined) {
    const predicate = predicates[raw.predicate];
    const known = Object.keys(predicates).join(', ') || 'none';
    if (predicate === undefined) throw at.error([...segments, 'predicate'], `${here}.predicate names the unknown predicate "${raw.predicate}" (registered: ${known})`);
    if (predicate.scope === 'set' && !topLevel) throw at.error([...segments, 'predicate'], `${here}.predicate "${raw.predicate}" judges the whole set of facts, so it must be the check's whole rule`);
    return { type: 'predicate', name: raw.predicate, ...common };
  }
  if (raw.op === undefined) throw at.error(segments, `${here} has a path but no op (one of eq, noteq, in, notin, gte, lte, has, nothave, regex, set, unset)`);
  const shape = VALUE_SHAPES[raw.op];
  if (shape === undefined && raw.value !== undefined) throw at.error([...segments, 'value'], `${here}.value is not used by op ${raw.op}, which tests presence only; remove it`);
  if (shape !== undefined && !shape.check(raw.value)) throw at.error(raw.value === undefined ? segments : [...segments, 'value'], `${here}.value must be ${shape.needs} for op ${raw.op}`);
  const path = parsePathAt(raw.path as string, [...segments, 'path'], at);
  let pattern: RegExp | undefined;
  if (raw.op === 'regex') {
    try {
      pattern = new RegExp(raw.value as string, raw.ignoreCase === true ? 'i' : '');
    } catch (err) {
      throw at.error([...segments, 'value'], `${here}.value is not a valid regular expression (${err instanceof Error ? err.message : String(err)})`);
    }
  }
  return { type: 'compare', path, op: raw.op, value: raw.value, pattern, default: raw.default, ignoreCase: raw.ignoreCase === true, ...common };
}
