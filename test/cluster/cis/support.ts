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

async function restartKubelet(): Promise<void> {
  const r = await testbed('restart', 'kubelet');
  if (r.code !== 0) throw new Error(`testbed restart kubelet failed: ${r.stderr}`);
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
