// What `kube-assay run` does for the upgrade gate: --baseline is read and validated before the run
// (a bad file is exit 2 before anything touches the cluster), and at the end the run is compared
// with it and the exit code follows --fail-on. --waivers is read up front too and applied to the
// report before any file is written, so every report shows the same waived results.
import { loadReportFile } from '../gate/load-report.js';
import { UsageError } from '../errors.js';
import { applyWaivers, waiverNotes } from '../gate/waivers.js';
import { loadWaivers } from '../gate/waivers-file.js';
import type { RunReport } from '../report/model.js';
import { gate, parseFailOn } from './compare.js';
import type { GateFlags } from './gate-options.js';

export interface GateRequest {
  /** The run's report with the waivers applied (unchanged without --waivers). */
  finish(report: RunReport): RunReport;
  /** Terminal lines about unused and expired waivers. */
  notes(report: RunReport): string[];
  /** The exit code of the comparison, or undefined without --baseline. */
  compare(report: RunReport, reportDir: string, out: NodeJS.WritableStream): Promise<number | undefined>;
}

export function prepareGate(flags: GateFlags, now: () => Date = () => new Date()): GateRequest {
  if (flags.failOn !== undefined && flags.baseline === undefined) {
    throw new UsageError(`--fail-on ${flags.failOn} needs --baseline: pass the report.json of the earlier run to compare with.`);
  }
  const failOn = parseFailOn(flags.failOn);
  const waivers = flags.waivers === undefined ? undefined : loadWaivers(flags.waivers);
  const baselineFile = flags.baseline;
  const baseline = baselineFile === undefined ? undefined : loadReportFile(baselineFile, 'baseline');
  return {
    finish: (report) => (waivers === undefined ? report : applyWaivers(report, waivers, now())),
    notes: (report) => waiverNotes(report),
    async compare(report, reportDir, out) {
      if (baseline === undefined || baselineFile === undefined) return undefined;
      const current = { report, file: `${reportDir}/report.json` };
      return (await gate({ report: baseline, file: baselineFile }, current, failOn, reportDir, out)).code;
    },
  };
}
