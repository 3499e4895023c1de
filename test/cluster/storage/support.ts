// Shared by the storage/statefulset cluster tests: reading a run's report, and the cluster
// state a run must leave behind (no namespace, no claim of the run).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterClients } from '../../../src/cluster/client.js';
import { ownershipSelector } from '../../../src/cluster/labels.js';
import type { CheckResult, RunReport } from '../../../src/report/model.js';
import { namespacesOfRun } from '../harness/support.js';

export function readReport(reportDir: string): RunReport {
  return JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')) as RunReport;
}

export function checkOf(report: RunReport, id: string): CheckResult | undefined {
  return report.suites.flatMap((s) => s.checks).find((c) => c.id === id);
}

export async function leftovers(clients: ClusterClients, runId: string): Promise<{ namespaces: string[]; claims: string[] }> {
  const claims = (await clients.core.listPersistentVolumeClaimForAllNamespaces({ labelSelector: ownershipSelector(runId) })).items;
  return { namespaces: await namespacesOfRun(clients, runId), claims: claims.map((c) => `${c.metadata?.namespace ?? '?'}/${c.metadata?.name ?? '?'}`) };
}
