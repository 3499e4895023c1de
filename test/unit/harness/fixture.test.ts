import { expect } from 'chai';
import { suiteFixture } from '../../../src/harness/fixture.js';
import { check, suite } from '../../../src/harness/index.js';
import { enforcementFinding } from '../../../src/netpol/cluster-lab.js';
import { volumeLedger } from '../../../src/storage/ledger.js';
import { fakeRun } from './fake-run.js';

describe('suite fixtures', () => {
  const seen = suiteFixture('fixt', 'list of writers', () => [] as string[]);
  let run = 0;
  // Check IDs are registered once per process, so every run declares its own.
  const declare = (reads: string[][]) => () => {
    run += 1;
    suite('fixt', 'Fixtures', () => {
      check(`fixt/writer-${run}`, 'writes', async (t) => void seen.of(t).push(t.id), { namespace: false });
      check(`fixt/reader-${run}`, 'reads what the writer wrote', async (t) => void reads.push([...seen.of(t)]), { namespace: false });
    });
  };

  it('GIVEN a writer and a later reader of one suite THEN the reader sees what the writer wrote in this run', async () => {
    const reads: string[][] = [];
    const { suites } = await fakeRun(declare(reads));
    expect(suites[0]?.checks.map((c) => c.status)).to.deep.equal(['passed', 'passed']);
    expect(reads).to.deep.equal([[`fixt/writer-${run}`]]);
  });

  it('GIVEN a second run THEN it starts from a fresh value, not what the first run left', async () => {
    const reads: string[][] = [];
    await fakeRun(declare(reads));
    await fakeRun(declare(reads));
    expect(reads).to.deep.equal([[`fixt/writer-${run - 1}`], [`fixt/writer-${run}`]]);
  });

  it('GIVEN a check of another suite THEN using the fixture fails and names both', async () => {
    let message = '';
    await fakeRun(() => {
      suite('other', 'Other', () => {
        check('other/borrows', 'borrows', async (t) => {
          try {
            seen.of(t);
          } catch (err) {
            message = err instanceof Error ? err.message : String(err);
          }
        }, { namespace: false });
      });
    });
    expect(message).to.equal('other/borrows cannot use the list of writers of suite fixt: a suite fixture is shared only by the checks of its own suite');
  });

  it('GIVEN no run THEN there is no value to hand out', () => {
    expect(() => seen.of({ id: 'fixt/x' })).to.throw(/only under `kube-assay run`/);
  });

  it('GIVEN the storage ledger and the netpol enforcement finding THEN each belongs to its suite and starts empty', async () => {
    expect([volumeLedger.suite, enforcementFinding.suite]).to.deep.equal(['storage', 'netpol']);
    const found: unknown[] = [];
    await fakeRun(() => {
      suite('storage', 'Storage: classes, provisioning, persistence and ephemeral volumes', () => {
        check('storage/unit-fixture-probe', 'reads the ledger', async (t) => void found.push(volumeLedger.of(t).all()), { namespace: false });
      });
      suite('netpol', 'Network policy', () => {
        check('netpol/unit-fixture-probe', 'reads the finding', async (t) => void found.push(enforcementFinding.of(t).current), { namespace: false });
      });
    });
    expect(found).to.deep.equal([[], { state: 'not-checked' }]);
  });
});
