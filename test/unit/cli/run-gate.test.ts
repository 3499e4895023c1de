// run --baseline/--waivers: what the run prepares before touching the cluster, and the gate at
// its end, without a cluster.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { prepareGate } from '../../../src/cli/run-gate.js';
import { UsageError } from '../../../src/errors.js';
import { renderJson } from '../../../src/report/json.js';
import { baselineReport, currentReport, findCheck } from '../gate/gate-fixtures.js';

describe('run --baseline and --waivers', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ka-run-gate-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('GIVEN a baseline that is not a report THEN preparing the run fails with a usage error (exit 2) before any check runs', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '[]');
    expect(() => prepareGate({ baseline: bad })).to.throw(UsageError, `baseline report ${bad} is not a kube-assay report`);
  });

  it('GIVEN --fail-on without --baseline THEN it is a usage error, not silently ignored', () => {
    expect(() => prepareGate({ failOn: 'any' })).to.throw(UsageError, '--fail-on any needs --baseline');
  });

  it('GIVEN a baseline THEN the exit code of the run follows --fail-on', async () => {
    const baseline = join(dir, 'before.json');
    writeFileSync(baseline, renderJson(baselineReport()));
    const out = new PassThrough();
    out.resume();
    expect(await prepareGate({ baseline }).compare(currentReport(), dir, out)).to.equal(1);
    expect(await prepareGate({ baseline, failOn: 'none' }).compare(currentReport(), dir, out)).to.equal(0);
    expect(await prepareGate({ baseline }).compare(baselineReport(), dir, out), 'only known failures').to.equal(0);
    expect(await prepareGate({}).compare(currentReport(), dir, out), 'no baseline, no gate').to.equal(undefined);
  });

  it('GIVEN --waivers THEN the report the writers get has the waivers applied, with the clock the run uses', () => {
    const waivers = join(dir, 'w.yaml');
    writeFileSync(waivers, 'waivers:\n  - {check: conformance/dns-service, reason: r, owner: o, expires: 2026-06-30}\n');
    const before = prepareGate({ waivers }, () => new Date('2026-06-30T10:00:00Z')).finish(baselineReport());
    expect(findCheck(before, 'conformance/dns-service').status).to.equal('waived');
    const after = prepareGate({ waivers }, () => new Date('2026-07-01T10:00:00Z'));
    const report = after.finish(baselineReport());
    expect(findCheck(report, 'conformance/dns-service').status).to.equal('failed');
    expect(after.notes(report)[0]).to.match(/^waiver conformance\/dns-service \(owner o\) expired on 2026-06-30/);
  });
});
