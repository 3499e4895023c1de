// The one typed configuration of a run: defaults <- config file <- command-line flags.
// Per-suite sections (conformance, netpol, storage, statefulset) are owned by their suites;
// extend both this file and schemas/config.schema.json together.

export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

export interface ImagesConfig {
  /** Probe image override; undefined means "pick by platform" (see defaultProbeImage). */
  probe?: string;
  pullPolicy: PullPolicy;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- placeholder the suite extends
export interface ConformanceConfig {}

export interface NetpolConfig {
  excludeNamespaces?: string[];
  expectationsFile?: string;
  /** Opt-in to placing probe pods in the user's namespaces for the expectations file. */
  probeUserNamespaces?: boolean;
}

export interface StorageConfig {
  /** Classes to test dynamic provisioning with, besides the default class. */
  classes?: string[];
  /** Opt-in: grow a volume of each tested class that allows expansion. */
  expansion?: boolean;
  /** Requested size of test volumes (Kubernetes quantity); default 1Gi. */
  size?: string;
}

export interface StatefulSetConfig {
  storageClass?: string;
  /** Requested size of each replica's volume (Kubernetes quantity); default 1Gi. */
  size?: string;
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
  conformance?: ConformanceConfig;
  netpol?: NetpolConfig;
  storage?: StorageConfig;
  statefulset?: StatefulSetConfig;
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
  conformance: ConformanceConfig;
  netpol: NetpolConfig;
  storage: StorageConfig;
  statefulset: StatefulSetConfig;
  debug: boolean;
  /** Absolute path of the config file, when one was given. */
  configFile?: string;
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
