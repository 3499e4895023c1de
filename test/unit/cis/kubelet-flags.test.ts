import { expect } from 'chai';
import { InMemoryFactSource, DerivedFactSource } from '../../../src/checks/sources.js';
import { canonicalConfig, canonicalFlag, collectKubeletFlags, compareKubeletFlags, flagDisagreements, KUBELET_FLAG_FIELDS, kubeletFlagsFacts, parseGoDuration } from '../../../src/cis/kubelet-flags.js';
import type { Fact } from '../../../src/checks/types.js';

const configz = (node: string, kubelet: Record<string, unknown> | undefined, outcome = 'read'): Fact => ({ kind: 'Node', name: node, data: { node, outcome, ...(kubelet === undefined ? { error: 'HTTP 403', status: 403 } : { status: 200, kubelet }) } });
const seen = (node: string, flags: Record<string, string>, outcome = 'collected'): Fact => ({ kind: 'Node', name: node, data: { node, outcome, kubeletArgs: ['/usr/bin/kubelet'], flags, files: {}, ...(outcome === 'collected' ? {} : { error: 'the pod did not finish' }) } });

describe('cis: the kubelet command line against its configz', () => {
  it('GIVEN the pairs THEN each flag and each field is named once, and the CIS-relevant ones are there', () => {
    const flags = KUBELET_FLAG_FIELDS.map((p) => p.flag);
    expect(new Set(flags).size).to.equal(flags.length);
    expect(new Set(KUBELET_FLAG_FIELDS.map((p) => p.field)).size).to.equal(flags.length);
    for (const flag of ['anonymous-auth', 'read-only-port', 'authorization-mode', 'client-ca-file', 'rotate-certificates', 'protect-kernel-defaults', 'event-qps', 'seccomp-default']) expect(flags).to.include(flag);
    expect(KUBELET_FLAG_FIELDS.find((p) => p.flag === 'rotate-server-certificates')?.field).to.equal('serverTLSBootstrap');
  });

  it("GIVEN Go's spellings THEN booleans, integers, durations and lists are read as the kubelet reads them", () => {
    expect(['1', 't', 'TRUE', 'True'].map((t) => canonicalFlag('bool', t))).to.deep.equal(['true', 'true', 'true', 'true']);
    expect(canonicalFlag('bool', 'yes')).to.equal(undefined);
    expect(canonicalFlag('int', '+010255')).to.equal('10255');
    expect(parseGoDuration('5m0s')).to.equal(300_000);
    expect(parseGoDuration('1h2m3.5s')).to.equal(3_723_500);
    expect(parseGoDuration('0')).to.equal(0);
    expect(parseGoDuration('5 minutes')).to.equal(undefined);
    expect(canonicalFlag('duration', '300s')).to.equal(canonicalConfig('duration', '5m0s'));
    expect(canonicalFlag('list', 'A, B,')).to.equal(canonicalConfig('list', ['A', 'B']));
  });

  it('GIVEN a field configz omits THEN it is compared as its zero value (the versioned configuration omits empty fields)', () => {
    expect(compareKubeletFlags({ 'read-only-port': '0', 'seccomp-default': 'false' }, {})).to.deep.equal([
      { flag: '--read-only-port', field: 'readOnlyPort', commandLine: '0', configz: 'unset', agree: true },
      { flag: '--seccomp-default', field: 'seccompDefault', commandLine: 'false', configz: 'unset', agree: true },
    ]);
  });

  it('GIVEN flags that agree and disagree THEN only the disagreeing ones are findings, naming flag, field and both values', () => {
    const kubelet = { authentication: { anonymous: { enabled: false } }, streamingConnectionIdleTimeout: '5m0s', seccompDefault: true, featureGates: { RotateKubeletServerCertificate: true } };
    const flags = { 'anonymous-auth': 'false', 'streaming-connection-idle-timeout': '300s', 'seccomp-default': 'false', 'feature-gates': 'RotateKubeletServerCertificate=false', 'hostname-override': 'x', config: '/c.yaml' };
    const comparisons = compareKubeletFlags(flags, kubelet);
    expect(comparisons.map((c) => [c.flag, c.agree])).to.deep.equal([
      ['--anonymous-auth', true],
      ['--streaming-connection-idle-timeout', true],
      ['--seccomp-default', false],
      ['--feature-gates RotateKubeletServerCertificate', false],
    ]);
    const findings = flagDisagreements({ kind: 'Node', name: 'n1', data: { node: 'n1', outcome: 'compared', comparisons, compared: [] } });
    expect(findings).to.deep.equal([
      { field: '--seccomp-default / seccompDefault', seen: 'command line false, configz true', expected: 'the same value on both', because: 'the command line says --seccomp-default=false but configz shows seccompDefault true' },
      {
        field: '--feature-gates RotateKubeletServerCertificate / featureGates.RotateKubeletServerCertificate',
        seen: 'command line false, configz true',
        expected: 'the same value on both',
        because: 'the command line says --feature-gates RotateKubeletServerCertificate=false but configz shows featureGates.RotateKubeletServerCertificate true',
      },
    ]);
  });

  it('GIVEN a flag value the kubelet could not have parsed THEN it disagrees rather than passing', () => {
    expect(compareKubeletFlags({ 'read-only-port': 'ten' }, { readOnlyPort: 0 })[0]?.agree).to.equal(false);
  });

  it('GIVEN nodes read by one side only THEN they are not compared, saying which side is missing', () => {
    const facts = kubeletFlagsFacts([configz('a', { readOnlyPort: 0 }), configz('b', undefined, 'refused'), configz('c', {})], [seen('a', { 'read-only-port': '10255' }), seen('b', {}), seen('c', {}, 'failed')]);
    expect(facts.map((f) => [f.name, (f.data as { outcome: string }).outcome, (f.data as { reason?: string }).reason])).to.deep.equal([
      ['a', 'compared', undefined],
      ['b', 'not-compared', 'its configz was not read (HTTP 403)'],
      ['c', 'not-compared', 'its kubelet command line was not seen (the pod did not finish)'],
    ]);
    expect((facts[0]?.data as { compared: string[] }).compared).to.deep.equal(['--read-only-port']);
  });

  it('GIVEN the derived source THEN it joins the two collectors it is served from, and their failure is its failure', async () => {
    const source = new DerivedFactSource(new InMemoryFactSource({ 'kubelet-configz': [configz('a', { seccompDefault: false })], 'node-files': [seen('a', { 'seccomp-default': 'true' })] }), { 'kubelet-flags': collectKubeletFlags });
    const facts = await source.collect('kubelet-flags');
    expect(flagDisagreements(facts[0] as Fact).map((f) => f.seen)).to.deep.equal(['command line true, configz false']);
    const failing = new DerivedFactSource(new InMemoryFactSource({ 'kubelet-configz': new Error('403 forbidden'), 'node-files': [] }), { 'kubelet-flags': collectKubeletFlags });
    let error: unknown;
    await failing.collect('kubelet-flags').catch((err: unknown) => (error = err));
    expect(String(error)).to.match(/collector kubelet-configz could not collect/);
  });
});
