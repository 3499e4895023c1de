// The one typed configuration of a run: defaults <- config file <- command-line flags.
// The harness's own keys are here and in schemas/config.schema.json; each suite's section is
// declared by the suite itself (suites/<name>/suite.ts) and resolved into `sections`.

export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

export interface ImagesConfig {
  /** Probe image override; undefined means "pick by platform" (see defaultProbeImage). */
  probe?: string;
  pullPolicy: PullPolicy;
}

/** What the YAML file may contain: every key optional, exactly the schema's shape. */
export interface FileConfig {
  suites?: string[];
  grep?: string;
  reportDir?: string;
  parallel?: number;
  keepOnFailure?: boolean;
  timeoutScale?: number;
  kubeconfig?: string;
  context?: string;
  namespacePrefix?: string;
  clusterDomain?: string;
  images?: Partial<ImagesConfig>;
  /** Suite sections, validated by the schema fragments the suites declare. */
  [suiteSection: string]: unknown;
}

/** Values given on the command line; undefined means "not given". */
export interface CliFlags {
  suite?: string[];
  grep?: string;
  kubeconfig?: string;
  context?: string;
  config?: string;
  reportDir?: string;
  parallel?: string;
  keepOnFailure?: boolean;
  timeoutScale?: string;
  debug?: boolean;
}

export interface Config {
  /** Suites to run; empty means all known suites. */
  suites: string[];
  grep?: string;
  reportDir: string;
  parallel: number;
  keepOnFailure: boolean;
  timeoutScale: number;
  kubeconfig?: string;
  context?: string;
  namespacePrefix: string;
  clusterDomain: string;
  images: ImagesConfig;
  /** Resolved settings of each suite that declares a config section, by suite name; read them
   *  through the suite's definition (`storage.settings(t)`), which knows their type. */
  sections: Record<string, unknown>;
  debug: boolean;
  /** Absolute path of the config file, when one was given. */
  configFile?: string;
  /** --retries: how often a failed `retryable` check runs again (default 0). */
  retries?: number;
}

export const DEFAULTS = {
  reportDir: 'reports',
  parallel: 1,
  keepOnFailure: false,
  timeoutScale: 1,
  namespacePrefix: 'ka',
  clusterDomain: 'cluster.local',
  pullPolicy: 'IfNotPresent' as PullPolicy,
} as const;

/** The testbed imports this image locally (testbed/versions.env PROBE_IMAGE). */
export const TESTBED_PROBE_IMAGE = 'kube-assay.local/probe:1.0';
/** Upstream agnhost, the e2e test image of Kubernetes v1.36 (test/utils/image/manifest.go). */
export const UPSTREAM_PROBE_IMAGE = 'registry.k8s.io/e2e-test-images/agnhost:2.63.0';
