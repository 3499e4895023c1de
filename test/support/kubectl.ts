// kubectl and testbed helpers for tests that run against a live cluster. Tests of the testbed
// itself use kubectl on purpose: they check the cluster, not kube-assay's own client code.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The kubeconfig of the cluster the cluster tests run against, or undefined to skip them. */
export const testKubeconfig = process.env.KUBE_ASSAY_TEST_KUBECONFIG;

export function skipWithoutCluster(ctx: Mocha.Context): void {
  if (!testKubeconfig) {
    console.log('    skipped: KUBE_ASSAY_TEST_KUBECONFIG is not set, so there is no cluster to test against');
    ctx.skip();
  }
}

export interface CommandResult { stdout: string; stderr: string; code: number }

/** Runs kubectl; never throws for a non-zero exit, so callers can assert on failures too. */
export async function kubectl(args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<CommandResult> {
  return runCommand('kubectl', ['--kubeconfig', testKubeconfig ?? '', ...args], opts);
}

export async function runCommand(cmd: string, args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<CommandResult> {
  const child = run(cmd, args, { timeout: opts.timeoutMs ?? 120_000, maxBuffer: 16 * 1024 * 1024 });
  if (opts.input !== undefined) {
    child.child.stdin?.end(opts.input);
  }
  try {
    const { stdout, stderr } = await child;
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; code?: number | string };
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? String(err), code: typeof e.code === 'number' ? e.code : 1 };
  }
}

/** Runs kubectl and throws with its stderr when it fails. */
export async function kubectlOk(args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<string> {
  const r = await kubectl(args, opts);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${r.stderr.trim()}`);
  return r.stdout;
}

/** `npm run testbed -- ACTION COMPONENT`, for tests that break the cluster on purpose; throws on failure. */
export async function testbed(action: 'stop' | 'start' | 'restart', component: string): Promise<void> {
  const r = await runCommand('bash', [path.join(repoRoot, 'testbed/testbed.sh'), action, component], { timeoutMs: 300_000 });
  if (r.code !== 0) throw new Error(`testbed ${action} ${component} failed: ${r.stderr.trim()}`);
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}

/** Polls until `probe` returns a value other than undefined, or throws after the deadline with the last state. */
export async function eventually<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, describeLast?: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${describeLast ? `; last seen: ${describeLast()}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
