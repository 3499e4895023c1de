// Shared by the cluster tests: they run only when KUBE_ASSAY_TEST_KUBECONFIG names a kubeconfig
// of a live cluster (normally the testbed's), and drive the real CLI as a child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { createClients, type ClusterClients } from '../../../src/cluster/client.js';
import { resolveClusterAccess } from '../../../src/cluster/kubeconfig.js';
import { listRunNamespaces } from '../../../src/cluster/namespaces.js';
import { packageRoot } from '../../../src/config/paths.js';
import { runCommand } from '../../support/kubectl.js';

export const cliEntry = join(packageRoot, 'dist', 'src', 'cli', 'main.js');
export const testbedScript = join(packageRoot, 'testbed', 'testbed.sh');

export function testKubeconfig(): string | undefined {
  const path = process.env.KUBE_ASSAY_TEST_KUBECONFIG;
  return path !== undefined && path !== '' && existsSync(path) ? path : undefined;
}

/** In a mocha `before`: skips the whole describe, saying why, when no cluster is configured. */
export function requireCluster(ctx: Mocha.Context): string {
  const path = testKubeconfig();
  if (path === undefined) {
    console.log('      skipped: set KUBE_ASSAY_TEST_KUBECONFIG to the kubeconfig of a live cluster (e.g. .testbed/kubeconfig) to run the cluster tests');
    ctx.skip();
  }
  return path as string;
}

export function clusterClients(kubeconfig: string): ClusterClients {
  const access = resolveClusterAccess({ kubeconfig }, { env: {}, home: '/nonexistent', testbedKubeconfigs: [], serviceAccountTokenPath: '/nonexistent' });
  return createClients(access.kc);
}

/** A kubeconfig file at `path` that authenticates as ServiceAccount `namespace/name` with a
 *  short-lived token (10 minutes), against the cluster of `adminKubeconfig`. */
export async function writeServiceAccountKubeconfig(adminKubeconfig: string, clients: ClusterClients, sa: { namespace: string; name: string; context: string }, path: string): Promise<void> {
  const token = await clients.core.createNamespacedServiceAccountToken({ name: sa.name, namespace: sa.namespace, body: { spec: { audiences: [], expirationSeconds: 600 } } });
  const admin = new KubeConfig();
  admin.loadFromFile(adminKubeconfig);
  const cluster = admin.getCurrentCluster();
  if (cluster === null) throw new Error('test kubeconfig has no current cluster');
  const limited = new KubeConfig();
  limited.loadFromOptions({
    clusters: [{ ...cluster, name: 'target' }],
    users: [{ name: sa.name, token: token.status?.token ?? '' }],
    contexts: [{ name: sa.context, cluster: 'target', user: sa.name }],
    currentContext: sa.context,
  });
  writeFileSync(path, limited.exportConfig(), { mode: 0o600 });
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface StartedCli {
  child: ChildProcess;
  stdout: () => string;
  done: Promise<CliRun>;
}

export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): StartedCli {
  const child = spawn(process.execPath, [cliEntry, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<CliRun>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, stdout: () => stdout, done };
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return startCli(args, env).done;
}

/** The run id the CLI prints (`run <id>: suites ...`). */
export function runIdOf(output: string): string | undefined {
  return /^run (\S+): suites /m.exec(output)?.[1];
}

export async function namespacesOfRun(clients: ClusterClients, runId: string): Promise<string[]> {
  return (await listRunNamespaces(clients, runId)).map((ns) => ns.metadata?.name ?? '?');
}

/** `bash testbed/testbed.sh <args>`; resolves with its exit code and output. */
export async function testbed(...args: string[]): Promise<CliRun> {
  const r = await runCommand('bash', [testbedScript, ...args], { timeoutMs: 300_000 });
  return { code: r.code, signal: null, stdout: r.stdout, stderr: r.stderr };
}

export interface StoppedComponent {
  kubeconfig: string;
  reportDir: string;
}

/** Call inside a describe: its tests run with a testbed component stopped on purpose. Skips (saying
 *  why) without a cluster or the testbed script, gives a fresh report directory, and starts the
 *  component again afterwards whatever happened. `what` names the component for people. */
export function withComponentStopped(component: string, what: string): StoppedComponent {
  const fixture: StoppedComponent = { kubeconfig: '', reportDir: '' };
  let stopped = false;
  before(async function () {
    fixture.kubeconfig = requireCluster(this);
    if (!existsSync(testbedScript)) {
      console.log(`      skipped: testbed/testbed.sh is not present, so ${what} cannot be stopped on purpose`);
      this.skip();
    }
    fixture.reportDir = mkdtempSync(join(tmpdir(), `ka-${component}-stopped-`));
    const stop = await testbed('stop', component);
    if (stop.code !== 0) throw new Error(`testbed stop ${component} failed: ${stop.stderr}`);
    stopped = true;
  });
  after(async () => {
    if (stopped) {
      const start = await testbed('start', component);
      if (start.code !== 0) console.log(`      WARNING: could not restart ${what}: ${start.stderr}`);
    }
    if (fixture.reportDir) rmSync(fixture.reportDir, { recursive: true, force: true });
  });
  return fixture;
}
