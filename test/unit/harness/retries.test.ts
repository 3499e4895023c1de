// --retries through the real runner: mocha re-runs a failed retryable check, and the reporter
// turns a pass on a retry into `flaky`, never a silent pass.
import { expect } from 'chai';
import { check, suite } from '../../../src/harness/index.js';
import { CheckFailure } from '../../../src/harness/errors.js';
import { parseRetries } from '../../../src/cli/gate-options.js';
import { fakeRun } from './fake-run.js';

/** One check that fails every time it runs, through the real runner with `retries`. */
async function alwaysFailing(name: string, options: { retryable?: boolean }, retries: number | undefined, message: (n: number) => string = () => 'failed') {
  let runs = 0;
  const { suites } = await fakeRun(() => {
    // Check IDs are registered once per process: each test names its own suite.
    suite({ name, title: name }, () => {
      check(`${name}/always`, 'always fails', async () => {
        runs += 1;
        throw new CheckFailure(message(runs));
      }, { namespace: false, ...options });
    });
  }, retries === undefined ? {} : { retries });
  return { runs, result: suites[0]?.checks[0] };
}

describe('retries: flaky checks', () => {
  it('GIVEN --retries 2 and a retryable check that fails once THEN it runs twice and is reported flaky with the first failure', async () => {
    let runs = 0;
    let cleanups = 0;
    const { suites, events } = await fakeRun(() => {
      suite({ name: 'flaky', title: 'Flaky' }, () => {
        check('flaky/once', 'fails once', async (t) => {
          runs += 1;
          t.defer('cleanup', async () => void (cleanups += 1));
          if (runs === 1) throw new CheckFailure('endpoint not ready yet');
        }, { namespace: false, retryable: true });
      });
    }, { retries: 2 });
    expect(runs).to.equal(2);
    expect(cleanups, 'every attempt cleans up after itself').to.equal(2);
    expect(suites[0]?.checks).to.have.length(1);
    expect(suites[0]?.checks[0]).to.deep.include({ id: 'flaky/once', status: 'flaky', attempts: 2, message: 'attempt 1: endpoint not ready yet' });
    expect(events.filter((e) => e.type === 'check-end')).to.have.length(1);
  });

  it('GIVEN a retryable check that always fails THEN it fails after 1 + N attempts and says so', async () => {
    const { runs, result } = await alwaysFailing('broken', { retryable: true }, 2, (n) => `attempt ${n} failed`);
    expect(runs).to.equal(3);
    expect(result).to.deep.include({ status: 'failed', attempts: 3, message: 'attempt 3 failed' });
  });

  it('GIVEN a check that does not declare retryable THEN it runs once whatever --retries says', async () => {
    const { runs, result } = await alwaysFailing('once', {}, 3);
    expect(runs).to.equal(1);
    expect(result?.status).to.equal('failed');
    expect(result?.attempts).to.equal(undefined);
  });

  it('GIVEN no --retries THEN a retryable check that fails is failed after one run', async () => {
    const { runs, result } = await alwaysFailing('noretry', { retryable: true }, undefined);
    expect(runs).to.equal(1);
    expect(result?.status).to.equal('failed');
  });

  it('refuses a --retries value that is not a small whole number', () => {
    expect(parseRetries(undefined)).to.equal(0);
    expect(parseRetries('2')).to.equal(2);
    expect(() => parseRetries('-1')).to.throw('--retries "-1" is not a whole number from 0 to 10');
    expect(() => parseRetries('two')).to.throw('--retries "two"');
  });
});
