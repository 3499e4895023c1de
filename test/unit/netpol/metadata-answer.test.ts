// Whether something answers at the cloud metadata address decides if netpol/deny-cloud-metadata
// runs or skips: a refusing listener (restarting) is asked again until the deadline, a silent
// address (nothing there) ends the question at once.
import { expect } from 'chai';
import { answerProblem, type ProbeAttempt } from '../../../src/netpol/cluster-scenario.js';

const WHERE = '169.254.169.254:80 from x/a';

function attempts(...answers: ProbeAttempt[]): { attempt: () => Promise<ProbeAttempt>; count: () => number } {
  let n = 0;
  return {
    attempt: () => Promise.resolve(answers[Math.min(n++, answers.length - 1)] as ProbeAttempt),
    count: () => n,
  };
}

const ALLOWED: ProbeAttempt = { outcome: 'allowed', detail: 'connected' };
const REFUSED: ProbeAttempt = { outcome: 'blocked', detail: 'nc: 169.254.169.254 (169.254.169.254:80): Connection refused' };
const TIMED_OUT: ProbeAttempt = { outcome: 'blocked', detail: 'nc: timed out' };

describe('netpol metadata answer', () => {
  it('GIVEN an answer at once THEN there is no problem, after one attempt', async () => {
    const a = attempts(ALLOWED);
    expect(await answerProblem(a.attempt, WHERE, { name: 'netpolMetadataAnswer', ms: 5000 })).to.equal(undefined);
    expect(a.count()).to.equal(1);
  });

  it('GIVEN refusals while the service restarts, then an answer THEN there is no problem', async () => {
    const a = attempts(REFUSED, REFUSED, ALLOWED);
    expect(await answerProblem(a.attempt, WHERE, { name: 'netpolMetadataAnswer', ms: 5000 })).to.equal(undefined);
    expect(a.count()).to.equal(3);
  });

  it('GIVEN no answer at all (timed out) THEN it says nothing answered, after one attempt', async () => {
    const a = attempts(TIMED_OUT, ALLOWED);
    expect(await answerProblem(a.attempt, WHERE, { name: 'netpolMetadataAnswer', ms: 5000 }))
      .to.equal(`nothing answered at ${WHERE} with no policy in place (nc: timed out)`);
    expect(a.count()).to.equal(1);
  });

  it('GIVEN refusals until the deadline THEN it says so, naming the timeout and what the probe printed', async () => {
    const a = attempts(REFUSED);
    const problem = await answerProblem(a.attempt, WHERE, { name: 'netpolMetadataAnswer', ms: 500 });
    expect(problem).to.equal(`nothing answered at ${WHERE} with no policy in place (${REFUSED.detail}), still refused after 500ms (timeout netpolMetadataAnswer)`);
    expect(a.count()).to.be.greaterThan(1);
  });
});
