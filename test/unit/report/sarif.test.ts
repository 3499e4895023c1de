// report.sarif: the shape SARIF 2.1.0 requires and what consumers rely on, checked without
// fetching the schema from the network.
import { expect } from 'chai';
import { renderSarif, SARIF_VERSION } from '../../../src/report/sarif.js';
import { sampleReport } from '../../golden/sample-report.js';

interface Sarif {
  $schema: string;
  version: string;
  runs: Array<{
    tool: { driver: { name: string; version: string; rules: Array<{ id: string; name: string; shortDescription: { text: string }; help: { text: string } }> } };
    results: Array<{ ruleId: string; ruleIndex: number; level: string; message: { text: string }; suppressions?: Array<{ kind: string; status: string }>;
      locations?: Array<{ logicalLocations: Array<{ name: string; fullyQualifiedName: string; kind: string }> }> }>;
  }>;
}

describe('renderSarif', () => {
  const report = sampleReport();
  const sarif = JSON.parse(renderSarif(report)) as Sarif;
  const run = sarif.runs[0];
  const results = run?.results ?? [];
  const rules = run?.tool.driver.rules ?? [];

  it('has the required top-level fields of SARIF 2.1.0: version, $schema, runs with a tool driver name', () => {
    expect(sarif.version).to.equal(SARIF_VERSION).and.equal('2.1.0');
    expect(sarif.$schema).to.match(/sarif-schema-2\.1\.0\.json$/);
    expect(sarif.runs).to.have.length(1);
    expect(run?.tool.driver).to.include({ name: 'kube-assay', version: '0.1.0' });
  });

  it('has one rule per check with id, name, shortDescription and the remediation as help', () => {
    expect(rules.map((r) => r.id)).to.deep.equal(report.suites.flatMap((s) => s.checks.map((c) => c.id)));
    const dns = rules.find((r) => r.id === 'conformance/dns-service');
    expect(dns).to.deep.include({ name: 'ConformanceDnsService', shortDescription: { text: 'Cluster DNS resolves a Service name' } });
    expect(dns?.help.text).to.match(/^Check that CoreDNS is running/);
    for (const rule of rules) expect(rule.name).to.match(/^[A-Za-z0-9]+$/);
  });

  it('gives every result a message, a level from the SARIF set and a ruleIndex that points at its rule', () => {
    expect(results.length).to.be.greaterThan(0);
    for (const result of results) {
      expect(result.message.text).to.be.a('string').and.not.equal('');
      expect(['error', 'warning', 'note', 'none']).to.include(result.level);
      expect(rules[result.ruleIndex]?.id).to.equal(result.ruleId);
    }
  });

  it('reports failures as errors and warn as warning, and nothing for passed or skipped checks', () => {
    const levels = Object.fromEntries(results.map((r) => [r.ruleId, r.level]));
    expect(levels).to.include({ 'conformance/dns-service': 'error', 'netpol/default-deny-ingress': 'error', 'netpol/egress-dns': 'warning' });
    expect(levels).not.to.have.any.keys('conformance/api-version', 'conformance/emptydir-restart');
  });

  it('gives each offender row its own result with the offender as a logical location', () => {
    const kubelet = results.filter((r) => r.ruleId === 'conformance/node-kubelet-config');
    expect(kubelet.map((r) => r.locations?.[0]?.logicalLocations[0])).to.deep.equal([
      { name: 'node=kind-worker, field=readOnlyPort', fullyQualifiedName: 'conformance/node-kubelet-config/node=kind-worker, field=readOnlyPort', kind: 'resource' },
      { name: 'node=kind-worker2, field=authentication.anonymous.enabled', fullyQualifiedName: 'conformance/node-kubelet-config/node=kind-worker2, field=authentication.anonymous.enabled', kind: 'resource' },
    ]);
    // No offender rows: only the suite's file, which code-scanning UIs require of every result.
    expect(results.find((r) => r.ruleId === 'conformance/dns-service')?.locations).to.deep.equal([{ physicalLocation: { artifactLocation: { uri: 'suites/conformance/suite.ts' } } }]);
  });

  it('keeps a waived failure as an error with an accepted suppression, and a flaky check as a note', () => {
    const waived = results.find((r) => r.ruleId === 'conformance/service-endpoints');
    expect(waived?.level).to.equal('error');
    expect(waived?.suppressions?.[0]).to.include({ kind: 'external', status: 'accepted' });
    expect(results.find((r) => r.ruleId === 'conformance/job-completes')?.level).to.equal('note');
  });
});
