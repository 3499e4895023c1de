// Storage, last check of the suite: proof that deleting the checks' namespaces left no claim and
// no volume with reclaim policy Delete. ORDER MATTERS: it reads the volume ledger that the checks
// of dynamic.spec.ts fill, so it must run after them. Spec files of a suite run in file-name order
// (src/harness/discover.ts sorts them) and this file sorts last; keep it so when adding files.
import { check, suite } from '../../src/harness/index.js';
import storage from './suite.js';
import { verifyNothingLeft } from '../../src/storage/cleanup.js';
import { volumeLedger } from '../../src/storage/ledger.js';

suite(storage, () => {
  check(
    'storage/cleanup-leaves-nothing',
    'Deleting the checks\' namespaces leaves no claim and no volume with reclaim policy Delete',
    async (t) => {
      const ledger = volumeLedger.of(t).all();
      if (ledger.length === 0) t.skip('no earlier check of this run created a claim, so there is nothing to verify');
      const verdict = await verifyNothingLeft(t, 'storage', ledger);
      t.attachTable('claims and volumes of this suite', ['check', 'claim', 'volume', 'class', 'reclaim policy', 'now'], ledger.map((e) => [e.checkId, `${e.namespace}/${e.claim}`, e.volume ?? '(never bound)', e.storageClass, e.reclaimPolicy ?? '', e.volume === undefined ? 'claim deleted' : verdict.retained.some((r) => r.startsWith(e.volume ?? '')) ? 'retained (by policy)' : 'deleted']));
      for (const r of verdict.retained) t.warn(`volume ${r} outlives its claim by its reclaim policy: delete it by hand when done`);
    },
    { namespace: false, tags: ['storage', 'cleanup'], remediation: 'Volumes with reclaim policy Delete are removed by their provisioner after the claim is gone: check the provisioner logs (for local-path its teardown helper pod) and PersistentVolumes stuck in Released or Failed.' },
  );
});
