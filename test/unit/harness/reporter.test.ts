// Reporter -> result model, through real mocha runs of checks declared with the spec API.
import { expect } from 'chai';
import { beforeSuite, check, suite } from '../../../src/harness/index.js';
import { CheckFailure } from '../../../src/harness/errors.js';
import { InterruptedError, WaitAbandonedError, WaitRefusedError, WaitTimeoutError } from '../../../src/errors.js';
import { registerCheck } from '../../../src/harness/registry.js';
import { fakeRun } from './fake-run.js';

const ro = { namespace: false } as const;

describe('reporter: mocha events to the result model', () => {
  it('GIVEN passing, failing, skipped and warning checks THEN each becomes a CheckResult with its status and text', async () => {
    const cleanups: string[] = [];
    const { suites } = await fakeRun(() => {
      suite({ name: 'alpha', title: 'Alpha suite' }, () => {
        check('alpha/passes', 'passes', async (t) => {
          t.step('do nothing');
          t.attachTable('numbers', ['n'], [['1']]);
        }, { ...ro, tags: ['quick'] });
        check('alpha/fails', 'fails with expected and seen', async (t) => {
          t.defer('first registered', async () => void cleanups.push('first'));
          t.defer('second registered', async () => void cleanups.push('second'));
          throw new CheckFailure('expected 10.96.0.5, seen nothing', { details: 'nslookup: timed out' });
        }, { ...ro, remediation: 'check CoreDNS' });
        check('alpha/skips', 'skips', async (t) => {
          t.defer('skip cleanup', async () => void cleanups.push('skip'));
          t.skip('no default StorageClass');
        }, ro);
        check('alpha/warns', 'warns', async (t) => {
          t.warn('gp2 is deprecated');
        }, { ...ro, remediation: 'use gp3' });
      });
    });
    expect(suites).to.have.length(1);
    const [alpha] = suites;
    expect(alpha?.name).to.equal('alpha');
    expect(alpha?.title).to.equal('Alpha suite');
    const byId = new Map(alpha?.checks.map((c) => [c.id, c]));
    expect(byId.get('alpha/passes')).to.deep.include({ title: 'passes', status: 'passed', tags: ['quick'] });
    expect(byId.get('alpha/passes')?.attachments).to.deep.equal([{ kind: 'table', title: 'numbers', columns: ['n'], rows: [['1']] }]);
    expect(byId.get('alpha/passes')?.remediation).to.equal(undefined);
    expect(byId.get('alpha/fails')).to.deep.include({ status: 'failed', message: 'expected 10.96.0.5, seen nothing', details: 'nslookup: timed out', remediation: 'check CoreDNS' });
    expect(byId.get('alpha/skips')).to.deep.include({ status: 'skipped', message: 'no default StorageClass' });
    expect(byId.get('alpha/warns')).to.deep.include({ status: 'warn', message: 'gp2 is deprecated', remediation: 'use gp3' });
    expect(cleanups).to.deep.equal(['second', 'first', 'skip']);
  });

  it('GIVEN a check that overruns its deadline THEN it fails naming the timeout and its cleanup still runs', async () => {
    let aborted = false;
    let cleaned = false;
    const { suites } = await fakeRun(() => {
      suite({ name: 'beta', title: 'Beta' }, () => {
        check('beta/hangs', 'hangs', async (t) => {
          t.defer('cleanup', async () => void (cleaned = true));
          t.signal.addEventListener('abort', () => void (aborted = true));
          await new Promise(() => undefined);
        }, ro);
      });
    }, { timeoutScale: 0.0001 }); // check budget 300s -> 30ms
    const result = suites[0]?.checks[0];
    expect(result?.status).to.equal('failed');
    expect(result?.message).to.equal('the check did not finish within 30ms (timeout check)');
    expect(aborted).to.equal(true);
    expect(cleaned).to.equal(true);
  });

  it('GIVEN waits that time out, give up or are refused THEN each check fails with the wait\'s sentence and its last state, no stack', async () => {
    const { suites } = await fakeRun(() => {
      suite({ name: 'waits', title: 'Waits' }, () => {
        check('waits/timeout', 'times out', async () => {
          throw new WaitTimeoutError('podStart', 'timed out after 2m (timeout podStart) waiting for pod ns/p to be Running; last seen: Pending', 'Pending\nevent: Scheduled');
        }, ro);
        check('waits/abandoned', 'gives up', async () => {
          throw new WaitAbandonedError('pod ns/p to be Running', 'container probe is ErrImageNeverPull', 'Pending');
        }, ro);
        check('waits/refused', 'is refused', async () => {
          throw new WaitRefusedError(403, 'cannot watch pods in namespace ns (403 Forbidden): the identity lacks "watch pods"', { details: 'while waiting for x; last state seen:\nnone' });
        }, ro);
      });
    });
    const byId = new Map(suites[0]?.checks.map((c) => [c.id, c]));
    expect(byId.get('waits/timeout')).to.deep.include({
      status: 'failed',
      message: 'timed out after 2m (timeout podStart) waiting for pod ns/p to be Running; last seen: Pending',
      details: 'last state seen:\nPending\nevent: Scheduled',
    });
    expect(byId.get('waits/abandoned')).to.deep.include({
      status: 'failed',
      message: 'gave up waiting for pod ns/p to be Running: container probe is ErrImageNeverPull',
      details: 'last state seen:\nPending',
    });
    expect(byId.get('waits/refused')).to.deep.include({
      status: 'failed',
      message: 'cannot watch pods in namespace ns (403 Forbidden): the identity lacks "watch pods"',
      details: 'while waiting for x; last state seen:\nnone',
    });
  });

  it('GIVEN the run is interrupted THEN the check in flight fails as interrupted after its cleanup', async () => {
    const interrupt = new AbortController();
    let cleaned = false;
    const { suites } = await fakeRun(() => {
      suite({ name: 'gamma', title: 'Gamma' }, () => {
        check('gamma/long', 'long', async (t) => {
          t.defer('cleanup', async () => void (cleaned = true));
          setImmediate(() => interrupt.abort(new InterruptedError('SIGINT')));
          await new Promise(() => undefined);
        }, { ...ro, remediation: 'not relevant when interrupted' });
      });
    }, { interrupt });
    expect(suites[0]?.checks[0]).to.deep.include({ status: 'failed', message: 'interrupted by SIGINT' });
    expect(suites[0]?.checks[0]?.remediation).to.equal(undefined);
    expect(cleaned).to.equal(true);
  });

  it('GIVEN a failing suite setup THEN setup is a failed check and its checks are reported skipped, not lost', async () => {
    let setupCleaned = false;
    const { suites } = await fakeRun(() => {
      suite({ name: 'delta', title: 'Delta' }, () => {
        beforeSuite('probe topology', async (s) => {
          s.defer('remove topology', async () => void (setupCleaned = true));
          throw new Error('cannot create namespace x');
        });
        check('delta/one', 'one', async () => undefined, ro);
        check('delta/two', 'two', async () => undefined, ro);
      });
    });
    const checks = suites[0]?.checks ?? [];
    expect(checks.map((c) => [c.id, c.status])).to.deep.equal([
      ['delta/setup', 'failed'],
      ['delta/one', 'skipped'],
      ['delta/two', 'skipped'],
    ]);
    expect(checks[0]?.message).to.equal('cannot create namespace x');
    expect(checks[1]?.message).to.match(/^not run: "before all" hook: probe topology/);
    expect(setupCleaned).to.equal(true);
  });

  it('GIVEN --grep THEN only matching checks run and totals count only them', async () => {
    const { suites, events } = await fakeRun(() => {
      suite({ name: 'eps', title: 'Epsilon' }, () => {
        check('eps/dns-a', 'resolves a', async () => undefined, ro);
        check('eps/routing', 'routes', async () => undefined, ro);
      });
    }, { grep: /dns/ });
    expect(suites[0]?.checks.map((c) => c.id)).to.deep.equal(['eps/dns-a']);
    expect(events[0]).to.deep.equal({ type: 'run-start', suites: ['eps'], totalChecks: 1 });
  });

  it('emits progress events in order: run, suite, check, step, result', async () => {
    const { events } = await fakeRun(() => {
      suite({ name: 'zeta', title: 'Zeta' }, () => {
        check('zeta/one', 'one', async (t) => t.step('first step'), ro);
      });
    });
    expect(events.map((e) => e.type)).to.deep.equal(['run-start', 'suite-start', 'check-start', 'step', 'check-end', 'suite-end']);
    expect(events[3]).to.deep.equal({ type: 'step', suite: 'zeta', id: 'zeta/one', text: 'first step' });
  });

  it('GIVEN a suite spread over several spec files THEN it starts and ends once with all its checks', async () => {
    const { suites, events } = await fakeRun(() => {
      suite({ name: 'iota', title: 'Iota' }, () => check('iota/a', 'a', async () => undefined, ro));
      suite({ name: 'iota', title: 'Iota' }, () => check('iota/b', 'b', async () => undefined, ro));
    });
    expect(events.filter((e) => e.type === 'suite-start')).to.deep.equal([{ type: 'suite-start', suite: 'iota', title: 'Iota', totalChecks: 2 }]);
    expect(events.filter((e) => e.type === 'suite-end')).to.have.length(1);
    expect(events.at(-1)?.type).to.equal('suite-end');
    expect(suites.map((s) => [s.name, s.checks.length])).to.deep.equal([['iota', 2]]);
  });

  it('GIVEN a plain mocha test THEN its ID comes from the title', async () => {
    const { suites } = await fakeRun(() => {
      suite({ name: 'eta', title: 'Eta' }, () => {
        it('eta/raw a raw mocha test', () => undefined);
        it('no id here', () => undefined);
      });
    });
    expect(suites[0]?.checks.map((c) => [c.id, c.title])).to.deep.equal([
      ['eta/raw', 'a raw mocha test'],
      ['eta/no-id-here', 'no id here'],
    ]);
  });

  it('refuses IDs that are not stable-ID shaped, outside their suite or declared twice', () => {
    const meta = { title: 't', suite: 'theta', tags: [], namespace: false, podSecurity: 'baseline' as const, timeout: 'check' as const };
    expect(() => registerCheck({ ...meta, id: 'Theta/Bad ID' })).to.throw(/not stable-ID shaped/);
    expect(() => registerCheck({ ...meta, id: 'other/x' })).to.throw(/must start with its suite name "theta\/"/);
    registerCheck({ ...meta, id: 'theta/once' });
    expect(() => registerCheck({ ...meta, id: 'theta/once' })).to.throw(/declared twice/);
  });
});
