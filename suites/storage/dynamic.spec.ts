// Storage: persistent volumes. Dynamic provisioning for the default class and each listed
// class, and expansion where allowed and opted in. This file sorts before ephemeral.spec.ts on
// purpose: the namespaces of these checks are deleted (claims, then volumes) while the ephemeral
// checks run, so teardown.spec.ts, last, finds the deletion mostly done.
import { setMaxListeners } from 'node:events';
import { check, suite } from '../../src/harness/index.js';
import storage from './suite.js';
import { CheckFailure } from '../../src/harness/errors.js';
import { DetailedError } from '../../src/errors.js';
import { formatDuration } from '../../src/cluster/timeouts.js';
import { expansionPlan, growVolume } from '../../src/storage/expansion.js';
import { listStorageClasses } from '../../src/storage/facts.js';
import { volumeLedger } from '../../src/storage/ledger.js';
import { provisionAndPersist, provisioningTargets } from '../../src/storage/provisioning.js';

suite(storage, () => {
  check(
    'storage/dynamic-provisioning',
    'Claims of the default and listed classes bind, and data survives replacing the pod on nodes the volume allows',
    async (t) => {
      const { size, classes } = storage.settings(t);
      const { targets, problems } = provisioningTargets(await listStorageClasses(t.clients), classes);
      const ledger = volumeLedger.of(t);
      // Classes are independent: provision them all at once (each flow listens on the signal).
      setMaxListeners(16 + 8 * targets.length, t.signal);
      const outcomes = await Promise.allSettled(targets.map((target) => provisionAndPersist(t, t.namespace, target, size, ledger)));
      const rows = outcomes.map((o, i) => {
        const label = targets[i]?.label ?? '?';
        if (o.status === 'rejected') return [label, '', '', '', '', `FAILED: ${o.reason instanceof Error ? o.reason.message : String(o.reason)}`];
        const r = o.value;
        return [label, `${r.claim} -> ${r.volume}`, formatDuration(r.bindMs), `writer ${r.writer.node}, reader ${r.reader.node}`, r.zones.join(', ') || '(no zone constraint)', `${r.bytes} bytes intact; ${r.reader.reason}`];
      });
      t.attachTable(`dynamic provisioning (${size} claims)`, ['class', 'claim -> volume', 'bound after', 'pods ran on', 'volume zones', 'result'], rows);
      const failures = [...problems, ...outcomes.flatMap((o, i) => (o.status === 'rejected' ? [`${targets[i]?.label ?? '?'}: ${o.reason instanceof Error ? o.reason.message : String(o.reason)}`] : []))];
      if (failures.length > 0) {
        const details = outcomes.flatMap((o) => (o.status === 'rejected' && o.reason instanceof DetailedError && o.reason.details ? [o.reason.details] : [])).join('\n\n');
        throw new CheckFailure(failures.join('; '), { details: details || undefined });
      }
    },
    {
      tags: ['storage', 'provisioning'],
      remediation:
        'The message names the cause: for "no provisioner running" or "provisioner down" start or repair the provisioner of the class (for EBS the ebs-csi-controller Deployment and its IAM permissions); for "no default StorageClass" annotate one class as default; for an affinity mismatch check the node zone labels.',
    },
  );

  check(
    'storage/volume-expansion',
    'A claim in use grows when its class allows expansion (opt-in)',
    async (t) => {
      const { size, classes, expansion } = storage.settings(t);
      const { targets } = provisioningTargets(await listStorageClasses(t.clients), classes);
      const plan = expansionPlan(expansion, targets.map((x) => x.storageClass));
      const ledger = volumeLedger.of(t);
      if (plan.skipReason !== undefined) t.skip(plan.skipReason);
      const results = await Promise.all(plan.classes.map((sc) => growVolume(t, t.namespace, sc, size, ledger)));
      t.attachTable('volume expansion', ['class', 'from', 'to', 'claim capacity', 'file system in the pod'], results.map((r) => [r.storageClass, r.from, r.to, r.capacity, r.fileSystem]));
    },
    { tags: ['storage', 'expansion'], remediation: 'Expansion needs allowVolumeExpansion: true on the class, a provisioner (CSI resizer sidecar) that supports it, and the kubelet to grow the file system: check the claim\'s conditions and events.' },
  );
});
