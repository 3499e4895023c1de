// Shared by the cis cluster tests: running the suite against the testbed, and editing the
// testbed kubelet's configuration on purpose with the edit always undone.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { packageRoot } from '../../../src/config/paths.js';
import type { RunReport } from '../../../src/report/model.js';
import { runCli, testbed, type CliRun } from '../harness/support.js';
import { readReport } from '../storage/support.js';

export const kubeletConfigPath = join(packageRoot, '.testbed', 'etc', 'kubelet-config.yaml');
export const TESTBED_NODE = 'assay-node';

export async function runCis(kubeconfig: string, reportDir: string, extra: string[] = []): Promise<{ run: CliRun; report: RunReport; output: string }> {
  const run = await runCli(['run', '--suite', 'cis', '--kubeconfig', kubeconfig, '--report-dir', reportDir, ...extra]);
  return { run, report: readReport(reportDir), output: `${run.stdout}\n${run.stderr}` };
}

async function restart(component: string): Promise<void> {
  const r = await testbed('restart', component);
  if (r.code !== 0) throw new Error(`testbed restart ${component} failed: ${r.stderr}`);
}
const restartKubelet = (): Promise<void> => restart('kubelet');

/** Call inside a describe: before its tests, `edit` changes a testbed host component's command
 *  line (.testbed/etc/NAME.args, one argument a line) and the component restarts; `restore()`
 *  (also run in `after`, whatever happened) puts it back and restarts it again. Skips, saying
 *  why, without the testbed's file. */
export function withComponentArgs(component: string, edit: (args: string[]) => string[]): { restore: () => Promise<void> } {
  const file = join(packageRoot, '.testbed', 'etc', `${component}.args`);
  let original: string | undefined;
  const restore = async (): Promise<void> => {
    if (original === undefined) return;
    writeFileSync(file, original);
    original = undefined;
    await restart(component);
  };
  before(async function () {
    if (!existsSync(file)) {
      console.log(`      skipped: ${file} is not present (not the local testbed), so ${component}'s command line cannot be changed on purpose`);
      this.skip();
    }
    const text = readFileSync(file, 'utf8');
    original = text;
    writeFileSync(file, `${edit(text.split('\n').filter((l) => l !== '')).join('\n')}\n`);
    await restart(component);
  });
  after(restore);
  return { restore };
}

/** Call inside a describe: before its tests, `edit` changes the testbed kubelet's configuration
 *  and the kubelet restarts; `restore()` (also run in `after`, whatever happened) puts the file
 *  back and restarts the kubelet again. Skips, saying why, without the testbed's file. */
export function withKubeletConfig(edit: (config: Record<string, unknown>) => void): { restore: () => Promise<void> } {
  let original: string | undefined;
  const restore = async (): Promise<void> => {
    if (original === undefined) return;
    writeFileSync(kubeletConfigPath, original);
    original = undefined;
    await restartKubelet();
  };
  before(async function () {
    if (!existsSync(kubeletConfigPath)) {
      console.log(`      skipped: ${kubeletConfigPath} is not present (not the local testbed), so the kubelet cannot be made unsafe on purpose`);
      this.skip();
    }
    const text = readFileSync(kubeletConfigPath, 'utf8');
    const config = parse(text) as Record<string, unknown>;
    edit(config);
    original = text;
    writeFileSync(kubeletConfigPath, stringify(config));
    await restartKubelet();
  });
  after(restore);
  return { restore };
}

/** A command line (one argument a line) with every `--flag VALUE` and `--flag=VALUE` of `flag`
 *  removed, then `--flag=value` appended unless `value` is undefined. */
export function withFlag(args: readonly string[], flag: string, value?: string): string[] {
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === `--${flag}`) {
      if (args[i + 1] !== undefined && !(args[i + 1] as string).startsWith('--')) i++;
      continue;
    }
    if (arg.startsWith(`--${flag}=`)) continue;
    kept.push(arg);
  }
  return value === undefined ? kept : [...kept, `--${flag}=${value}`];
}
