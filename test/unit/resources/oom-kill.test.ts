import { expect } from 'chai';
import type { V1Pod } from '@kubernetes/client-node';
import { judgeOomKill, oomKill, oomKillSettled } from '../../../src/resources/limits.js';
import { PROBE_CONTAINER } from '../../../src/cluster/pods.js';

function pod(restartCount: number, terminated: { reason?: string; exitCode: number } | undefined): V1Pod {
  return {
    status: {
      containerStatuses: [
        { name: PROBE_CONTAINER, restartCount, image: 'probe', imageID: '', ready: false, ...(terminated === undefined ? {} : { lastState: { terminated } }) },
      ],
    },
  };
}

describe('resources: judging the OOM kill of a container past its memory limit', () => {
  it('GIVEN no termination yet THEN the wait goes on and the verdict is wrong', () => {
    const kill = oomKill(pod(0, undefined));
    expect(oomKillSettled(kill)).to.equal(false);
    expect(judgeOomKill(kill).row).to.deep.include({ ok: false, observed: 'no termination recorded' });
  });

  it('GIVEN reason OOMKilled and one restart THEN the wait ends and it passes without warning', () => {
    const kill = oomKill(pod(1, { reason: 'OOMKilled', exitCode: 137 }));
    expect(oomKillSettled(kill)).to.equal(true);
    const verdict = judgeOomKill(kill);
    expect(verdict.row.ok).to.equal(true);
    expect(verdict.warning).to.equal(undefined);
  });

  it('GIVEN a first SIGKILL with reason Error THEN the wait goes on for the next kill', () => {
    expect(oomKillSettled(oomKill(pod(1, { reason: 'Error', exitCode: 137 })))).to.equal(false);
  });

  it('GIVEN SIGKILL with reason Error on two kills THEN it passes with a warning naming the missing reason', () => {
    const kill = oomKill(pod(2, { reason: 'Error', exitCode: 137 }));
    expect(oomKillSettled(kill)).to.equal(true);
    const verdict = judgeOomKill(kill);
    expect(verdict.row.ok).to.equal(true);
    expect(verdict.row.observed).to.contain('the runtime did not record the reason');
    expect(verdict.warning).to.match(/recorded reason Error instead of OOMKilled/);
  });

  it('GIVEN the allocation fitting (exit 0, Completed) THEN the wait ends at once and the verdict is wrong', () => {
    const kill = oomKill(pod(1, { reason: 'Completed', exitCode: 0 }));
    expect(oomKillSettled(kill)).to.equal(true);
    expect(judgeOomKill(kill).row).to.deep.include({ ok: false, observed: 'terminated with reason Completed (exit code 0), restarted 1 time(s)' });
  });

  it('GIVEN another signal (SIGTERM, exit 143) twice THEN it is wrong', () => {
    expect(judgeOomKill(oomKill(pod(2, { reason: 'Error', exitCode: 143 }))).row.ok).to.equal(false);
  });
});
