// On the testbed with metrics-server scaled to zero (`testbed.sh stop metrics-server`):
// resources/metrics-api and resources/hpa-scales fail at once, naming the cause (the APIService
// is not Available, with the aggregator's reason, and the Deployment behind it has 0 replicas).
// Neither creates its namespace before the API is seen serving (a namespace cannot be finalized
// while an aggregated API is down), so nothing of the run is left Terminating. metrics-server is
// started again afterwards, whatever happened.
import { expect } from 'chai';
import { clusterClients, namespacesOfRun, runCli, withComponentStopped } from '../harness/support.js';
import { checkOf, readReport } from '../storage/support.js';

const CAUSE = /APIService v1beta1\.metrics\.k8s\.io is not Available \(Available=False, .*\); metrics-server is not Ready: no ready pod behind service kube-system\/metrics-server: Deployment kube-system\/metrics-server has 0 replica\(s\), 0 ready/;

describe('cluster: resources suite with metrics-server stopped (testbed)', function () {
  this.timeout(0);
  const broken = withComponentStopped('metrics-server', 'metrics-server');

  it('fails metrics-api and hpa-scales naming the unavailable APIService and the Deployment scaled to 0, exit 1', async () => {
    const run = await runCli(['run', '--suite', 'resources', '--grep', 'resources/(metrics-api|hpa-scales)', '--kubeconfig', broken.kubeconfig, '--report-dir', broken.reportDir]);
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.code, output).to.equal(1);
    const report = readReport(broken.reportDir);
    const metrics = checkOf(report, 'resources/metrics-api');
    const hpa = checkOf(report, 'resources/hpa-scales');
    console.log(`      metrics-api (${metrics?.durationMs ?? '?'} ms): ${metrics?.message ?? ''}\n      hpa-scales (${hpa?.durationMs ?? '?'} ms): ${hpa?.message ?? ''}`);
    expect(metrics?.status, output).to.equal('failed');
    expect(metrics?.message).to.match(CAUSE);
    expect(hpa?.status, output).to.equal('failed');
    expect(hpa?.message).to.match(/^the HPA cannot scale because the resource metrics API is down: /);
    expect(hpa?.message).to.match(CAUSE);
    expect(await namespacesOfRun(clusterClients(broken.kubeconfig), report.metadata.runId)).to.deep.equal([]);
  });
});
