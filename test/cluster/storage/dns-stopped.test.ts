// On the testbed, with CoreDNS stopped: the StatefulSet DNS check fails clearly (which name,
// from which peer, which nameserver, what the resolver said) while the checks that need no DNS
// still pass. CoreDNS is restarted afterwards.
import { expect } from 'chai';
import { runCli, withComponentStopped } from '../harness/support.js';
import { checkOf, readReport } from './support.js';

describe('cluster: StatefulSet DNS with CoreDNS stopped (testbed)', function () {
  this.timeout(0);
  const broken = withComponentStopped('coredns', 'CoreDNS');

  it('fails statefulset/peer-dns naming the name, the peer, the nameserver and the resolver answer; hostnames still pass; exit 1', async () => {
    const run = await runCli(['run', '--suite', 'statefulset', '--grep', 'statefulset/(hostnames|peer-dns)', '--kubeconfig', broken.kubeconfig, '--report-dir', broken.reportDir]);
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.code, output).to.equal(1);
    const report = readReport(broken.reportDir);
    expect(checkOf(report, 'statefulset/hostnames')?.status, output).to.equal('passed');
    const dns = checkOf(report, 'statefulset/peer-dns');
    expect(dns?.status, output).to.equal('failed');
    console.log(`      peer-dns failed with: ${dns?.message ?? ''}`);
    expect(dns?.message).to.match(/^cluster DNS \(nameserver [\d.]+\) did not resolve web-\d\.web(\.\S+)? from web-\d to [\d.]+, the pod's IP, within dnsResolve \(30s\): the resolver /);
    expect(dns?.message).to.match(/; 11 more of 12 lookups failed too$/);
    expect(dns?.remediation).to.include('CoreDNS');
    expect(dns?.details).to.include('reproduce: kubectl exec -n ');
    expect(dns?.attachments.map((a) => a.title)).to.include.members(['per-pod DNS seen from peers', '/etc/resolv.conf of web-0']);
  });
});
