// The suite contract: what a suite declares about itself, in its own folder, next to its
// `suite(...)`: its config section (a JSON Schema fragment merged into the one strict config
// schema, and the typed settings it becomes), its named timeouts, and the API rights it needs.
// The CLI reads these declarations before any spec runs (config validation, preflight,
// `kube-assay rbac`), so a new suite touches nothing shared. This module imports no mocha.
import type { Permission } from '../cluster/permissions.js';
import { tableDeadline, type TimeoutSpec, type Timeouts } from '../cluster/timeouts.js';
import type { Deadline } from '../cluster/wait.js';

export type { Permission } from '../cluster/permissions.js';

/** A JSON Schema (draft-07) object; kept loose because schemas are data. */
export type JsonSchema = Record<string, unknown>;

export interface SuiteConfigSection<C> {
  /** The section's `properties` (draft-07). The harness wraps them in a strict object schema
   *  (`additionalProperties: false`) under the suite's name. */
  properties: Record<string, JsonSchema>;
  description: string;
  /** Turns the validated section (`{}` when the file has none) into the suite's settings.
   *  `resolvePath` resolves a path written in the config file against the file's directory. */
  resolve?: (section: Record<string, unknown>, helpers: { resolvePath: (path: string) => string }) => C;
}

export interface SuiteSpec<C, T extends string> {
  /** What `--suite` selects; equals the directory name under suites/. */
  name: string;
  title: string;
  config?: SuiteConfigSection<C>;
  timeouts?: Record<T, TimeoutSpec>;
  /** Rights the suite's checks need beyond the harness's own (HARNESS_PERMISSIONS). */
  permissions?: readonly Permission[];
}

/** Where a suite's settings and deadlines are read from: a check or setup context. */
export interface SuiteSource {
  readonly config: { sections: Readonly<Record<string, unknown>> };
  readonly timeouts: Timeouts;
}

export interface SuiteDefinition<C = Record<string, never>, T extends string = string> {
  readonly name: string;
  readonly title: string;
  readonly config?: SuiteConfigSection<C>;
  readonly timeouts: Readonly<Record<T, TimeoutSpec>>;
  readonly permissions: readonly Permission[];
  /** The suite's resolved config section of this run. */
  settings(source: SuiteSource): C;
  /** A named deadline of this suite, scaled by --timeout-scale. */
  deadline(source: Pick<SuiteSource, 'timeouts'>, name: T): Deadline;
  /** Used by config resolution: the validated file section (or `{}`) -> settings. */
  resolveSettings(section: Record<string, unknown>, resolvePath: (path: string) => string): C;
}

const NAME_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

function resolveWith<C>(section: SuiteConfigSection<C> | undefined, raw: Record<string, unknown>, resolvePath: (path: string) => string): C {
  return section?.resolve !== undefined ? section.resolve(raw, { resolvePath }) : (raw as C);
}

/** A suite's resolved settings of this run. Suite code in src/<name>/ reads its settings through
 *  this (with its own section declaration) where it has no access to the suite's definition. */
export function settingsOf<C>(source: SuiteSource, name: string, section: SuiteConfigSection<C> | undefined): C {
  const resolved = source.config.sections[name];
  // A config resolved without this suite's declaration (e.g. a unit test) gets the defaults.
  return resolved === undefined ? resolveWith(section, {}, (p) => p) : (resolved as C);
}

/** Declares a suite (in suites/<name>/suite.ts). */
export function defineSuite<C = Record<string, never>, T extends string = never>(spec: SuiteSpec<C, T>): SuiteDefinition<C, T> {
  if (!NAME_PATTERN.test(spec.name)) throw new Error(`suite name "${spec.name}" must be lowercase words separated by '-'`);
  const timeouts = (spec.timeouts ?? {}) as Record<T, TimeoutSpec>;
  return {
    name: spec.name,
    title: spec.title,
    config: spec.config,
    timeouts,
    permissions: spec.permissions ?? [],
    settings: (source) => settingsOf(source, spec.name, spec.config),
    deadline(source: Pick<SuiteSource, 'timeouts'>, name: T): Deadline {
      if (timeouts[name] === undefined) throw new Error(`suite ${spec.name} declares no timeout "${name}"`);
      return tableDeadline(source.timeouts, timeouts, name);
    },
    resolveSettings: (raw, resolvePath) => resolveWith(spec.config, raw, resolvePath),
  };
}

/** The erased shape the CLI handles for every suite (settings types differ per suite). */
export type AnySuiteDefinition = SuiteDefinition<unknown, string>;
