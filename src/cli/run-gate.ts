// What `kube-assay run` does for the upgrade gate: --baseline is read and validated before the run
// (a bad file is exit 2 before anything touches the cluster), and at the end the run is compared
// with it and the exit code follows --fail-on.
import { loadReportFile } from '../gate/load-report.js';
import type { RunReport } from '../report/model.js';
import { gate, parseFailOn } from './compare.js';
import type { GateFlags } from './gate-options.js';

export interface GateRequest {
  /** The run's report after the gate's own changes to it (none yet). */
  finish(report: RunReport): RunReport;
  /** The exit code of the comparison, or undefined without --baseline. */
  compare(report: RunReport, reportDir: string, out: NodeJS.WritableStream): Promise<number | undefined>;
}

export function prepareGate(flags: GateFlags): GateRequest {
  const failOn = parseFailOn(flags.failOn);
  const baselineFile = flags.baseline;
  const baseline = baselineFile === undefined ? undefined : loadReportFile(baselineFile, 'baseline');
  return {
    finish: (report) => report,
    async compare(report, reportDir, out) {
      if (baseline === undefined || baselineFile === undefined) return undefined;
      const current = { report, file: `${reportDir}/report.json` };
      return (await gate({ report: baseline, file: baselineFile }, current, failOn, reportDir, out)).code;
    },
  };
}
