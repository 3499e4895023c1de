// Builds the one typed Config of a run: defaults, then the config file, then flags.
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { AnySuiteDefinition } from '../harness/suite-definition.js';
import { loadConfigFile } from './load.js';
import { DEFAULTS, type CliFlags, type Config, type FileConfig } from './types.js';

export function parseParallel(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n < 1 || n > 16) {
    throw new UsageError(`--parallel must be a whole number from 1 to 16, got "${value}": pass e.g. --parallel 2.`);
  }
  return n;
}

export function parseTimeoutScale(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 100) {
    throw new UsageError(`--timeout-scale must be a number greater than 0 and at most 100, got "${value}": pass e.g. --timeout-scale 2 for a slow cluster.`);
  }
  return n;
}

export interface MergeOptions {
  /** Absolute path of the config file, when one was given. */
  configFile?: string;
  /** Suites whose sections are resolved into `sections` (their defaults when the file has none). */
  suites?: readonly AnySuiteDefinition[];
}

/** Merges a validated file config and the flags over the defaults. `baseDir` is where relative
 *  paths of the file are resolved (the file's directory); flag paths resolve against the cwd. */
export function mergeConfig(file: FileConfig, flags: CliFlags, baseDir: string, options: MergeOptions = {}): Config {
  const fromFile = (p: string | undefined): string | undefined => (p === undefined ? undefined : resolve(baseDir, p));
  const fromFlag = (p: string | undefined): string | undefined => (p === undefined ? undefined : resolve(p));
  const suites = flags.suite !== undefined && flags.suite.length > 0 ? flags.suite : (file.suites ?? []);
  return {
    suites: [...new Set(suites)],
    grep: flags.grep ?? file.grep,
    reportDir: fromFlag(flags.reportDir) ?? fromFile(file.reportDir) ?? resolve(DEFAULTS.reportDir),
    parallel: flags.parallel !== undefined ? parseParallel(flags.parallel) : (file.parallel ?? DEFAULTS.parallel),
    keepOnFailure: flags.keepOnFailure ?? file.keepOnFailure ?? DEFAULTS.keepOnFailure,
    timeoutScale: flags.timeoutScale !== undefined ? parseTimeoutScale(flags.timeoutScale) : (file.timeoutScale ?? DEFAULTS.timeoutScale),
    kubeconfig: fromFlag(flags.kubeconfig) ?? fromFile(file.kubeconfig),
    context: flags.context ?? file.context,
    namespacePrefix: file.namespacePrefix ?? DEFAULTS.namespacePrefix,
    clusterDomain: file.clusterDomain ?? DEFAULTS.clusterDomain,
    images: {
      probe: file.images?.probe,
      pullPolicy: file.images?.pullPolicy ?? DEFAULTS.pullPolicy,
    },
    sections: Object.fromEntries(
      (options.suites ?? []).map((d) => [d.name, d.resolveSettings(sectionOf(file, d.name), (p) => resolve(baseDir, p))]),
    ),
    debug: flags.debug ?? false,
    configFile: options.configFile,
  };
}

function sectionOf(file: FileConfig, name: string): Record<string, unknown> {
  const section = file[name];
  return typeof section === 'object' && section !== null ? { ...(section as Record<string, unknown>) } : {};
}

/** Loads --config (if given, validated against the harness keys and these suites' sections)
 *  and applies the flags. */
export function resolveConfig(flags: CliFlags, suites: readonly AnySuiteDefinition[] = []): Config {
  if (flags.config === undefined) return mergeConfig({}, flags, process.cwd(), { suites });
  const { path, config } = loadConfigFile(flags.config, suites);
  return mergeConfig(config, flags, dirname(path), { configFile: path, suites });
}
