// On the testbed: with CoreDNS stopped the DNS check fails with a message that says what was
// expected, what the resolver answered and where to look; the run exits 1.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunReport } from '../../../src/report/model.js';
import { runCli, withComponentStopped } from './support.js';

describe('cluster: DNS check with CoreDNS stopped (testbed)', function () {
  this.timeout(0);
  const broken = withComponentStopped('coredns', 'CoreDNS');

  it('fails conformance/dns-service naming the expected address, the resolver answer and CoreDNS, exit 1', async () => {
    const run = await runCli(['run', '--suite', 'conformance', '--grep', 'conformance/dns-service', '--kubeconfig', broken.kubeconfig, '--report-dir', broken.reportDir]);
    expect(run.code, `${run.stdout}\n${run.stderr}`).to.equal(1);
    const report = JSON.parse(readFileSync(join(broken.reportDir, 'report.json'), 'utf8')) as RunReport;
    const dns = report.suites[0]?.checks.find((c) => c.id === 'conformance/dns-service');
    expect(dns?.status).to.equal('failed');
    expect(dns?.message).to.match(/^cluster DNS \(nameserver [\d.]+\) did not resolve dns-target\.ka-conformance-dns-service-[0-9a-f]{8}\.svc\.cluster\.local\. to [\d.]+, the ClusterIP of Service .* within dnsResolve \(30s\): the resolver /);
    expect(dns?.remediation).to.include('CoreDNS');
    expect(dns?.attachments.map((a) => a.title)).to.include('/etc/resolv.conf of the client pod');
    expect(run.stdout).to.include('FAIL  conformance/dns-service');
  });
});
