// Storage: the StorageClass audit. Exactly one default class; parameters that suit their
// provisioner; zonal volumes bound only once the pod is scheduled; reclaim and expansion shown.
import { check, suite } from '../../src/harness/index.js';
import storage from './suite.js';
import { CheckFailure } from '../../src/harness/errors.js';
import { auditDefaultClass, auditStorageClass, classTableRow, CLASS_TABLE_COLUMNS, findingsOf } from '../../src/storage/class-audit.js';
import { listStorageClasses } from '../../src/storage/facts.js';

suite(storage, () => {
  check(
    'storage/default-class',
    'Exactly one StorageClass is the default',
    async (t) => {
      t.step('list StorageClasses');
      const classes = await listStorageClasses(t.clients);
      const verdict = auditDefaultClass(classes);
      t.attachTable('StorageClasses', ['class', 'provisioner', 'default'], classes.map((c) => [c.metadata?.name ?? '?', c.provisioner, verdict.defaults.includes(c.metadata?.name ?? '') ? 'yes' : '']));
      if (!verdict.ok) throw new CheckFailure(verdict.message);
    },
    {
      namespace: false,
      tags: ['storage', 'audit'],
      remediation: 'Annotate exactly one StorageClass with storageclass.kubernetes.io/is-default-class: "true" (and remove the annotation from the others); a fresh EKS cluster may need a class such as gp3 created first.',
    },
  );

  check(
    'storage/class-parameters',
    'StorageClass parameters suit their provisioner and zonal classes wait for the first consumer',
    async (t) => {
      t.step('audit StorageClasses');
      const classes = await listStorageClasses(t.clients);
      if (classes.length === 0) t.skip('the cluster has no StorageClass to audit (storage/default-class fails on that)');
      const audits = classes.map(auditStorageClass);
      t.attachTable('StorageClass audit: reclaim policy, binding mode, expansion and findings', CLASS_TABLE_COLUMNS, audits.map(classTableRow));
      for (const warning of findingsOf(audits, 'warn')) t.warn(warning);
      const failures = findingsOf(audits, 'fail');
      if (failures.length > 0) throw new CheckFailure(`${failures.length} invalid StorageClass parameter(s): ${failures.join('; ')}`);
    },
    {
      namespace: false,
      tags: ['storage', 'audit', 'aws'],
      remediation:
        'EBS classes: type one of gp2, gp3, io1, io2, st1, sc1; io1/io2 need iopsPerGB as a quoted string within the type\'s ratio (io1: 50, io2: 1000 IOPS per GiB); zonal classes should use volumeBindingMode: WaitForFirstConsumer. StorageClass parameters cannot be edited: create a corrected class and move claims to it.',
    },
  );
});
