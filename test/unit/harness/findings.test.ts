// A component found broken by one check stops the checks that need it, through the real runner.
import { expect } from 'chai';
import { ComponentProblem } from '../../../src/cluster/component-problem.js';
import { check, suite } from '../../../src/harness/index.js';
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
});
