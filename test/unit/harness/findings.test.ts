// A component found broken by one check stops the checks that need it, through the real runner.
import { expect } from 'chai';
import { ComponentProblem } from '../../../src/cluster/component-problem.js';
import { beforeSuite, check, suite } from '../../../src/harness/index.js';
import { ComponentFindings, POD_COMPONENTS } from '../../../src/harness/findings.js';
import { fakeRun } from './fake-run.js';

describe('findings: a broken component stops the checks that need it', () => {
  it('GIVEN a check finds kube-scheduler not working THEN it fails with the scheduler remediation, and later pod checks skip pointing at it', async () => {
    let ranAfter = false;
    const { suites } = await fakeRun(() => {
      suite({ name: 'findings', title: 'Findings' }, () => {
        check('findings/finds', 'finds the scheduler down', async () => {
          throw new ComponentProblem('kube-scheduler', 'no scheduler acted on pod ka-x/probe within 15s', 'Check kube-scheduler.', 'pod ka-x/probe: Pending');
        }, { namespace: false, remediation: 'Check the kubelet serves on :10250.' });
        check('findings/needs-pods', 'runs a pod', async () => {
          ranAfter = true;
        });
        check('findings/read-only', 'reads the API only', async () => undefined, { namespace: false });
      });
    });
    const byId = new Map(suites[0]?.checks.map((c) => [c.id, c]));
    expect(byId.get('findings/finds')).to.deep.include({
      status: 'failed',
      message: 'no scheduler acted on pod ka-x/probe within 15s',
      details: 'pod ka-x/probe: Pending',
      remediation: 'Check kube-scheduler.',
    });
    expect(byId.get('findings/needs-pods')).to.deep.include({
      status: 'skipped',
      message: 'not run: kube-scheduler is not working, as findings/finds found (no scheduler acted on pod ka-x/probe within 15s)',
    });
    expect(ranAfter).to.equal(false);
    expect(byId.get('findings/read-only')?.status).to.equal('passed');
  });

  it('GIVEN a broken component found earlier THEN a suite setup fails at once with the pointer and its checks are reported skipped', async () => {
    let setupRan = false;
    const { suites } = await fakeRun(() => {
      suite({ name: 'early', title: 'Early' }, () => {
        check('early/finds', 'finds the scheduler down', async () => {
          throw new ComponentProblem('kube-scheduler', 'no scheduler acted on pod ka-x/probe within 15s', 'Check kube-scheduler.');
        }, { namespace: false });
      });
      suite({ name: 'later', title: 'Later' }, () => {
        beforeSuite('probe lab', async () => {
          setupRan = true;
        });
        check('later/uses-lab', 'uses the lab', async () => undefined, { namespace: false });
      });
    });
    expect(setupRan).to.equal(false);
    const later = suites.find((s) => s.name === 'later');
    const byId = new Map(later?.checks.map((c) => [c.id, c]));
    expect(byId.get('later/setup')).to.deep.include({ status: 'failed', message: 'not run: kube-scheduler is not working, as early/finds found (no scheduler acted on pod ka-x/probe within 15s)' });
    expect(byId.get('later/setup')?.details).to.equal(undefined);
    expect(byId.get('later/uses-lab')?.status).to.equal('skipped');
  });

  it('GIVEN a finding THEN it blocks other checks but not the check that made it (its retry must run again)', () => {
    const findings = new ComponentFindings();
    findings.record('again/finds', new ComponentProblem('kube-scheduler', 'no scheduler acted', 'Check kube-scheduler.'));
    expect(findings.blocking(POD_COMPONENTS, 'again/finds')).to.equal(undefined);
    expect(findings.blocking(POD_COMPONENTS, 'again/other')?.checkId).to.equal('again/finds');
    expect(findings.blocking(['image-registry'], 'again/other')).to.equal(undefined);
  });
});
