// The upgrade-gate flags of `kube-assay run`, kept beside the command definition so that
// program.ts only gains one line for them.
import type { Command } from 'commander';

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
    .option('--waivers <file>', 'YAML file of accepted failures, each with owner and expiry (schemas/waivers.schema.json)');
}
