// Baseline and current reports for the upgrade-gate tests, derived from the golden sample so that
// every kind of change appears once.
import { summarize, type CheckResult, type RunReport } from '../../../src/report/model.js';
import { sampleReport } from '../../golden/sample-report.js';

export function findCheck(report: RunReport, id: string): CheckResult {
  const found = report.suites.flatMap((s) => s.checks).find((c) => c.id === id);
  if (found === undefined) throw new Error(`sample report has no check ${id}`);
  return found;
}

export function resummarize(report: RunReport): RunReport {
  report.summary = summarize(report.suites);
  return report;
}

/** The sample as the run before the upgrade. */
export function baselineReport(): RunReport {
  return sampleReport();
}

/** After the upgrade: api-version newly fails, kubelet-config gains an offender on a node that
 *  was fine and loses one, default-deny is fixed, pod-exec-logs is skipped, a new check fails and
 *  egress-dns is gone. dns-service fails as before. */
export function currentReport(): RunReport {
  const report = sampleReport();
  report.metadata.runId = 'ka-20251122-0900-aaaa';
  Object.assign(findCheck(report, 'conformance/api-version'), { status: 'failed', message: 'API server answered 503' });
  const kubelet = findCheck(report, 'conformance/node-kubelet-config');
  const table = kubelet.attachments[0];
  if (table?.kind !== 'table') throw new Error('sample changed: kubelet-config has no table');
  table.rows = [
    ['kind-worker', 'readOnlyPort', '10255', '0'],
    ['kind-worker3', 'readOnlyPort', '10255', '0'],
  ];
  Object.assign(findCheck(report, 'netpol/default-deny-ingress'), { status: 'passed', attachments: [] });
  Object.assign(findCheck(report, 'conformance/pod-exec-logs'), { status: 'skipped', message: 'no schedulable node' });
  const netpol = report.suites[1];
  if (netpol === undefined) throw new Error('sample changed: no netpol suite');
  netpol.checks = netpol.checks.filter((c) => c.id !== 'netpol/egress-dns');
  netpol.checks.push({ id: 'netpol/new-check', title: 'A new check', status: 'failed', durationMs: 5, tags: [], attachments: [], message: 'new and failing' });
  return resummarize(report);
}
