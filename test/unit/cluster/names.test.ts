import { expect } from 'chai';
import { dnsLabel, isDnsLabel, isValidRunId, newRunId, slugify, testNamespaceName } from '../../../src/cluster/names.js';

describe('DNS-safe names', () => {
  it('GIVEN readable parts WHEN named THEN the result is a valid DNS label with a stable hash suffix', () => {
    const name = testNamespaceName('ka', '20251121t214500-3fa2', 'conformance/dns-service');
    expect(name).to.match(/^ka-conformance-dns-service-[0-9a-f]{8}$/);
    expect(isDnsLabel(name)).to.equal(true);
    expect(testNamespaceName('ka', '20251121t214500-3fa2', 'conformance/dns-service')).to.equal(name);
  });

  it('GIVEN another run, check or suffix THEN the name differs', () => {
    const base = testNamespaceName('ka', 'run-a', 'conformance/dns-service');
    expect(testNamespaceName('ka', 'run-b', 'conformance/dns-service')).to.not.equal(base);
    expect(testNamespaceName('ka', 'run-a', 'conformance/job-completes')).to.not.equal(base);
    expect(testNamespaceName('ka', 'run-a', 'conformance/dns-service', 'x')).to.not.equal(base);
  });

  it('GIVEN a very long ID THEN the readable part is truncated to fit 63 characters, never the hash', () => {
    const long = `netpol/${'very-long-scenario-name-'.repeat(6)}`;
    const a = testNamespaceName('ka', 'run', long, 'x');
    const b = testNamespaceName('ka', 'run', long, 'y');
    expect(a.length).to.be.at.most(63);
    expect(isDnsLabel(a)).to.equal(true);
    expect(a).to.not.equal(b);
    expect(a).to.match(/-[0-9a-f]{8}$/);
  });

  it('GIVEN characters outside [a-z0-9-] THEN they become single dashes, with none at the ends', () => {
    expect(slugify('  Storage/EBS_gp3 class!! ')).to.equal('storage-ebs-gp3-class');
    expect(dnsLabel('---', 'u')).to.match(/^x[0-9a-f]{8}$/);
  });

  it('makes run IDs that are valid label values and sort by time', () => {
    const id = newRunId(new Date('2025-11-21T21:45:00.123Z'), 'ab12');
    expect(id).to.equal('20251121t214500-ab12');
    expect(isValidRunId(id)).to.equal(true);
    expect(newRunId(new Date('2025-11-21T21:45:01Z'), '0000') > newRunId(new Date('2025-11-21T21:45:00Z'), 'ffff')).to.equal(true);
    expect(isValidRunId('Bad Id')).to.equal(false);
  });
});
