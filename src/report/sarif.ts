// report.sarif: SARIF 2.1.0 for code-scanning and security dashboards, a pure function of the
// RunReport like the other writers. One rule per check (help = its remediation); one result per
// failure or warning, and per offender row where the check names offenders, with the offending
// object as a logical location. A waived failure is a result with an accepted suppression, so
// dashboards show it as accepted rather than dropping it; a flaky check is a note.
import { offendersOf } from './offenders.js';
import type { CheckResult, RunReport } from './model.js';
import { outcomeNote } from './outcome-note.js';

export const SARIF_VERSION = '2.1.0';
export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

type Level = 'error' | 'warning' | 'note';

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: Level;
  message: { text: string };
  locations?: Array<{
    physicalLocation: { artifactLocation: { uri: string } };
    logicalLocations?: Array<{ name: string; fullyQualifiedName: string; kind: string }>;
  }>;
  suppressions?: Array<{ kind: 'external'; status: 'accepted'; justification: string }>;
  properties?: Record<string, unknown>;
}

const LEVEL: Partial<Record<CheckResult['status'], Level>> = { failed: 'error', waived: 'error', warn: 'warning', flaky: 'note' };

/** SARIF rule names are identifiers: `conformance/dns-service` -> `ConformanceDnsService`. */
function ruleName(id: string): string {
  return id.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]?.toUpperCase() + w.slice(1)).join('');
}

function resultsOf(check: CheckResult, ruleIndex: number): SarifResult[] {
  const level = LEVEL[check.status];
  if (level === undefined) return [];
  const note = outcomeNote(check);
  const text = [check.message ?? `${check.id} ${check.status}`, note].filter((s) => s !== '').join(' ');
  // Code-scanning UIs (GitHub) refuse results without a physical location; a cluster finding has
  // no source line, so it points at the declaration of the suite that checks it.
  const artifact = { physicalLocation: { artifactLocation: { uri: `suites/${check.id.split('/')[0] ?? 'unknown'}/suite.ts` } } };
  const base: Omit<SarifResult, 'message'> = { ruleId: check.id, ruleIndex, level, locations: [artifact] };
  if (check.status === 'waived' && check.waiver !== undefined) {
    base.suppressions = [{ kind: 'external', status: 'accepted', justification: `${check.waiver.reason} (owner ${check.waiver.owner}, until ${check.waiver.expires})` }];
  }
  const offenders = check.status === 'failed' || check.status === 'waived' ? offendersOf(check) : [];
  if (offenders.length === 0) return [{ ...base, message: { text } }];
  // One result per offender: the object is its logical location, beside the suite's file.
  const waivedRows = new Set(check.waiver?.effect === 'partial' ? check.waiver.offenders ?? [] : []);
  return offenders.map((offender) => {
    const result: SarifResult = {
      ...base,
      message: { text: `${offender.key}: ${text}` },
      locations: [{ ...artifact, logicalLocations: [{ name: offender.key, fullyQualifiedName: `${check.id}/${offender.key}`, kind: 'resource' }] }],
    };
    if (waivedRows.has(offender.key) && check.waiver !== undefined) {
      result.suppressions = [{ kind: 'external', status: 'accepted', justification: `${check.waiver.reason} (owner ${check.waiver.owner}, until ${check.waiver.expires})` }];
    }
    return result;
  });
}

/** Built key by key: the file's text must not depend on the order the report was built in. */
function clusterProperties({ metadata: { cluster } }: RunReport): Record<string, string | number> {
  return { context: cluster.context, server: cluster.server, version: cluster.version, platform: cluster.platform, nodeCount: cluster.nodeCount };
}

export function renderSarif(report: RunReport): string {
  const checks = report.suites.flatMap((s) => s.checks);
  const rules = checks.map((check) => ({
    id: check.id,
    name: ruleName(check.id),
    shortDescription: { text: check.title },
    help: { text: check.remediation ?? 'No remediation is recorded for this check.' },
    properties: { tags: check.tags },
  }));
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: [
      {
        tool: { driver: { name: 'kube-assay', version: report.metadata.tool.version, rules } },
        automationDetails: { id: `kube-assay/${report.metadata.runId}` },
        invocations: [{ executionSuccessful: report.summary.verdict !== 'unknown', startTimeUtc: report.metadata.startedAt, endTimeUtc: report.metadata.finishedAt }],
        results: checks.flatMap((check, index) => resultsOf(check, index)),
        properties: { cluster: clusterProperties(report), verdict: report.summary.verdict },
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
