import { expect } from 'chai';
import { EventEmitter } from 'node:events';
import { exitCodeForSignal, installSignalHandlers } from '../../../src/cli/signals.js';
import { lostSuite } from '../../../src/cli/parallel.js';

describe('signals', () => {
  it('GIVEN Ctrl-C THEN the first stops gracefully and a second forces the exit', () => {
    const fake = new EventEmitter();
    const calls: string[] = [];
    const handling = installSignalHandlers((s) => calls.push(`first ${s}`), (s) => calls.push(`second ${s}`), fake as unknown as NodeJS.Process);
    fake.emit('SIGINT', 'SIGINT');
    fake.emit('SIGTERM', 'SIGTERM');
    expect(calls).to.deep.equal(['first SIGINT', 'second SIGTERM']);
    expect(handling.received()).to.equal('SIGINT');
    handling.dispose();
    expect(fake.listenerCount('SIGINT')).to.equal(0);
  });

  it('uses the shell conventions 130 and 143', () => {
    expect(exitCodeForSignal('SIGINT')).to.equal(130);
    expect(exitCodeForSignal('SIGTERM')).to.equal(143);
  });

  it('GIVEN a parallel suite process that died without results THEN the suite shows a failed check, not nothing', () => {
    const suite = lostSuite('netpol', 'the process exited with code 4 before reporting results');
    expect(suite.checks).to.deep.equal([
      { id: 'netpol/harness', title: 'suite process finished and reported its results', status: 'failed', durationMs: 0, tags: [], attachments: [], message: 'the process exited with code 4 before reporting results' },
    ]);
  });
});
