// Shared by the in-cluster tests: they need the testbed (its own kube-assay image, imported by
// `testbed.sh images` from this clone's build) and drive `kube-assay run --in-cluster`.
import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ownershipSelector } from '../../../src/cluster/labels.js';
import type { ClusterClients } from '../../../src/cluster/client.js';
import { validateReport } from '../../../src/report/validate.js';
import type { RunReport } from '../../../src/report/model.js';
import { requireCluster, testbed, testbedScript } from '../harness/support.js';

/** In a mocha `before`: the cluster, with this clone's image imported; skips (saying why) off the testbed. */
export async function requireTestbedWithImage(ctx: Mocha.Context): Promise<string> {
  const kubeconfig = requireCluster(ctx);
  if (!existsSync(testbedScript)) {
    console.log('      skipped: testbed/testbed.sh is not present, so the locally built kube-assay image cannot be imported');
    ctx.skip();
  }
  const images = await testbed('images');
  if (images.code !== 0) throw new Error(`testbed.sh images failed: ${images.stderr}${images.stdout}`);
  return kubeconfig;
}

/** `run <id> in the cluster: ...` */
export function inClusterRunIdOf(output: string): string | undefined {
  return /^run (\S+) in the cluster: /m.exec(output)?.[1];
}

/** Everything of the run still in the cluster: namespaces, ClusterRoles, ClusterRoleBindings. */
export async function leftoversOfRun(clients: ClusterClients, runId: string): Promise<string[]> {
  const labelSelector = ownershipSelector(runId);
  const namespaces = (await clients.core.listNamespace({ labelSelector })).items.map((n) => `Namespace/${n.metadata?.name ?? '?'}`);
  const roles = (await clients.rbac.listClusterRole({ labelSelector })).items.map((n) => `ClusterRole/${n.metadata?.name ?? '?'}`);
  const bindings = (await clients.rbac.listClusterRoleBinding({ labelSelector })).items.map((n) => `ClusterRoleBinding/${n.metadata?.name ?? '?'}`);
  return [...namespaces, ...roles, ...bindings];
}

/** The three retrieved reports are there and valid; returns report.json. */
export function expectThreeValidReports(dir: string): RunReport {
  const json: unknown = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
  const valid = validateReport(json);
  expect(valid.ok, JSON.stringify(valid)).to.equal(true);
  const junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
  expect(junit).to.match(/^<\?xml [^>]*\?>\s*<testsuites/);
  expect(junit.trimEnd()).to.match(/<\/testsuites>$/);
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  expect(html).to.match(/^<!DOCTYPE html>/i);
  expect(html.trimEnd()).to.match(/<\/html>$/i);
  return json as RunReport;
}
