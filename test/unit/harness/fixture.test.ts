// Fixtures are exercised through runtimes and check ids only (no suite()/check() declarations),
// so these tests hold whatever shape the suite declaration takes.
import { expect } from 'chai';
import { suiteFixture } from '../../../src/harness/fixture.js';
import { setRuntime, type HarnessRuntime } from '../../../src/harness/runtime.js';
import { enforcementFinding } from '../../../src/netpol/cluster-lab.js';
import { volumeLedger } from '../../../src/storage/ledger.js';

/** A distinct run: fixtures only use the runtime's identity. */
const newRun = (): HarnessRuntime => ({ runId: `run-${Math.random()}` }) as unknown as HarnessRuntime;

describe('suite fixtures', () => {
  const writers = suiteFixture('fixt', 'list of writers', () => [] as string[]);
  afterEach(() => setRuntime(undefined));

  it('GIVEN a writer and a later reader of one suite in one run THEN the reader sees what the writer wrote', () => {
    setRuntime(newRun());
    writers.of({ id: 'fixt/writer' }).push('fixt/writer');
    expect(writers.of({ id: 'fixt/reader' })).to.deep.equal(['fixt/writer']);
  });

  it('GIVEN a second run THEN it starts from a fresh value, not what the first run left', () => {
    setRuntime(newRun());
    writers.of({ id: 'fixt/writer' }).push('first run');
    setRuntime(newRun());
    expect(writers.of({ id: 'fixt/reader' })).to.deep.equal([]);
  });

  it('GIVEN a check of another suite THEN using the fixture fails and names both', () => {
    setRuntime(newRun());
    expect(() => writers.of({ id: 'other/borrows' })).to.throw(
      'other/borrows cannot use the list of writers of suite fixt: a suite fixture is shared only by the checks of its own suite');
    expect(() => writers.of({ id: 'fixtures/x' }), 'a suite whose name merely starts the same').to.throw(/cannot use/);
  });

  it('GIVEN no run THEN there is no value to hand out', () => {
    expect(() => writers.of({ id: 'fixt/x' })).to.throw(/only under `kube-assay run`/);
  });

  it('GIVEN the storage ledger and the netpol enforcement finding THEN each belongs to its suite and starts empty in every run', () => {
    expect([volumeLedger.suite, enforcementFinding.suite]).to.deep.equal(['storage', 'netpol']);
    setRuntime(newRun());
    volumeLedger.of({ id: 'storage/dynamic-provisioning' }).recordClaim({ checkId: 'c', namespace: 'n', claim: 'c', claimUid: 'u', storageClass: 's' });
    enforcementFinding.of({ id: 'netpol/enforcement' }).current = { state: 'enforced', effectMs: 5 };
    expect(volumeLedger.of({ id: 'storage/cleanup-leaves-nothing' }).all()).to.have.length(1);
    expect(enforcementFinding.of({ id: 'netpol/no-policy' }).current).to.deep.equal({ state: 'enforced', effectMs: 5 });
    setRuntime(newRun());
    expect(volumeLedger.of({ id: 'storage/cleanup-leaves-nothing' }).all()).to.deep.equal([]);
    expect(enforcementFinding.of({ id: 'netpol/no-policy' }).current).to.deep.equal({ state: 'not-checked' });
  });
});
