// Which cluster a run talks to, and with which credentials. Order: --kubeconfig (or the config
// file's `kubeconfig`), KUBECONFIG, ~/.kube/config, the in-cluster service account, and last the
// local testbed's .testbed/kubeconfig (said out loud). Unlike KubeConfig.loadFromDefault we never
// fall back to http://localhost:8080: with nothing configured the run stops with exit code 3.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { RequestContext } from '@kubernetes/client-node';
import { ClusterAccessError, ConfigError, UsageError } from '../errors.js';

export type KubeconfigSource = 'flag' | 'KUBECONFIG' | 'home' | 'in-cluster' | 'testbed';

/** A KubeConfig that counts the API requests (REST calls, watches, exec/log streams) made with it. */
export class CountingKubeConfig extends KubeConfig {
  requests = 0;

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    this.requests += 1;
    return super.applySecurityAuthentication(context);
  }

  // Watch, Log (via applyToFetchOptions) and Exec (websocket) all pass through here.
  override async applyToHTTPSOptions(opts: Parameters<KubeConfig['applyToHTTPSOptions']>[0]): Promise<void> {
    this.requests += 1;
    return super.applyToHTTPSOptions(opts);
  }
}

export interface ClusterAccess {
  kc: CountingKubeConfig;
  source: KubeconfigSource;
  /** File(s) the config came from; undefined for in-cluster. */
  paths: string[];
  context: string;
  clusterName: string;
  server: string;
  /** A sentence to print about how the cluster was chosen, when it was not explicit. */
  notice?: string;
}

export interface KubeconfigEnvironment {
  env: NodeJS.ProcessEnv;
  home: string;
  /** Candidate testbed kubeconfigs, in order (cwd first, then the package's repo). */
  testbedKubeconfigs: string[];
  serviceAccountTokenPath: string;
}

export const SERVICE_ACCOUNT_TOKEN_PATH = '/var/run/secrets/kubernetes.io/serviceaccount/token';

export function defaultEnvironment(packageRoot: string): KubeconfigEnvironment {
  const candidates = [resolve('.testbed', 'kubeconfig'), join(packageRoot, '.testbed', 'kubeconfig')];
  return {
    env: process.env,
    home: homedir(),
    testbedKubeconfigs: [...new Set(candidates)],
    serviceAccountTokenPath: SERVICE_ACCOUNT_TOKEN_PATH,
  };
}

interface Choice {
  source: KubeconfigSource;
  paths: string[];
  notice?: string;
}

/** Decides where the kubeconfig comes from, without reading it. */
export function chooseKubeconfig(explicit: string | undefined, environment: KubeconfigEnvironment): Choice {
  if (explicit !== undefined) {
    if (!existsSync(explicit)) throw new UsageError(`kubeconfig ${explicit} does not exist: pass an existing file with --kubeconfig.`);
    return { source: 'flag', paths: [explicit] };
  }
  const fromEnv = environment.env.KUBECONFIG;
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    const paths = fromEnv.split(delimiter).filter((p) => p !== '');
    const present = paths.filter((p) => existsSync(p));
    if (present.length === 0) {
      throw new UsageError(`KUBECONFIG names ${paths.join(delimiter)}, which does not exist: fix the variable or pass --kubeconfig.`);
    }
    return { source: 'KUBECONFIG', paths: present };
  }
  const home = join(environment.home, '.kube', 'config');
  if (existsSync(home)) return { source: 'home', paths: [home] };
  if (environment.env.KUBERNETES_SERVICE_HOST !== undefined && existsSync(environment.serviceAccountTokenPath)) {
    return { source: 'in-cluster', paths: [], notice: 'no kubeconfig found: using the in-cluster service account' };
  }
  const testbed = environment.testbedKubeconfigs.find((p) => existsSync(p));
  if (testbed !== undefined) {
    return {
      source: 'testbed',
      paths: [testbed],
      notice: `no kubeconfig configured (no --kubeconfig, KUBECONFIG or ~/.kube/config): using the local testbed's ${testbed}`,
    };
  }
  throw new ClusterAccessError(
    'no cluster configured (no --kubeconfig, KUBECONFIG, ~/.kube/config, in-cluster service account or running testbed): pass --kubeconfig FILE, or start the local testbed with `npm run testbed:up`.',
  );
}

function loadFiles(paths: string[]): CountingKubeConfig {
  const kc = new CountingKubeConfig();
  paths.forEach((path, index) => {
    const target = index === 0 ? kc : new KubeConfig();
    try {
      target.loadFromFile(path);
    } catch (err) {
      const reason = err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err);
      throw new ConfigError(`kubeconfig ${path} cannot be loaded (${reason}): fix the file or point --kubeconfig at a valid one.`);
    }
    if (index > 0) kc.mergeConfig(target, true);
  });
  return kc;
}

/** client-node's loadFromDefault fallback: cluster "cluster" at http://localhost:8080, user "user". */
export function isLocalhostFallback(kc: KubeConfig): boolean {
  const cluster = kc.getCurrentCluster();
  const user = kc.getCurrentUser();
  return cluster?.name === 'cluster' && cluster.server === 'http://localhost:8080' && user?.name === 'user';
}

/** Loads the chosen kubeconfig and selects the context. */
export function resolveClusterAccess(
  options: { kubeconfig?: string; context?: string },
  environment: KubeconfigEnvironment,
): ClusterAccess {
  const choice = chooseKubeconfig(options.kubeconfig, environment);
  let kc: CountingKubeConfig;
  if (choice.source === 'in-cluster') {
    kc = new CountingKubeConfig();
    kc.loadFromCluster();
  } else {
    kc = loadFiles(choice.paths);
  }
  const where = choice.paths.join(delimiter) || 'the in-cluster configuration';
  const contexts = kc.getContexts().map((c) => c.name);
  if (options.context !== undefined) {
    if (!contexts.includes(options.context)) {
      throw new UsageError(`context "${options.context}" is not in ${where}: pass --context with one of ${contexts.join(', ') || '(none defined)'}.`);
    }
    kc.setCurrentContext(options.context);
  }
  const context = kc.getCurrentContext();
  if (context === undefined || context === '' || kc.getContextObject(context) === null) {
    throw new ConfigError(`kubeconfig ${where} has no usable current-context: pass --context with one of ${contexts.join(', ') || '(none defined)'}.`);
  }
  const cluster = kc.getCurrentCluster();
  if (cluster === null || cluster.server === undefined || cluster.server === '') {
    throw new ConfigError(`context "${context}" in ${where} names no cluster with a server address: fix the kubeconfig.`);
  }
  if (isLocalhostFallback(kc)) {
    throw new ClusterAccessError('no cluster configured (the client fell back to http://localhost:8080): pass --kubeconfig FILE.');
  }
  return { kc, source: choice.source, paths: choice.paths, context, clusterName: cluster.name, server: cluster.server, notice: choice.notice };
}
