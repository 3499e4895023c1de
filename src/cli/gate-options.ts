// The upgrade-gate flags of `kube-assay run`, kept beside the command definition so that
// program.ts only gains one line for them.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';

/** --retries: a whole number from 0; anything else is a usage error (exit 2). */
export function parseRetries(value: string | undefined): number {
  if (value === undefined) return 0;
  if (!/^\d+$/.test(value) || Number(value) > 10) {
    throw new UsageError(`--retries "${value}" is not a whole number from 0 to 10: pass how many more times a failed check may run, e.g. --retries 2.`);
  }
  return Number(value);
}

export interface GateFlags {
  baseline?: string;
  failOn?: string;
  waivers?: string;
  retries?: string;
}

export function gateOptions(cmd: Command): Command {
  return cmd
    .option('--baseline <report.json>', 'compare with this earlier run at the end (the upgrade gate); the exit code then follows --fail-on')
    .option('--fail-on <mode>', 'with --baseline, exit 1 on: new (regressions, default), any (also known failures), none')
    .option('--retries <n>', 'run a failed check that declares itself safe to repeat up to N more times; a pass on a retry is reported flaky')
    .option('--waivers <file>', 'YAML file of accepted failures, each with owner and expiry (schemas/waivers.schema.json)');
}
