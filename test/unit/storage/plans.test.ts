import { expect } from 'chai';
import { expansionPlan, parseDfTotalBytes } from '../../../src/storage/expansion.js';
import { judgeWrite } from '../../../src/storage/ephemeral.js';
import { provisioningTargets } from '../../../src/storage/provisioning.js';
import { parseEqualitySelector, selectorCovers } from '../../../src/storage/provisioners.js';
import { storageClass } from './fixture.js';

describe('storage: what the checks test', () => {
  describe('provisioning targets', () => {
    const lp = storageClass('local-path', { isDefault: true });
    const gp3 = storageClass('gp3', { provisioner: 'ebs.csi.aws.com' });

    it('GIVEN a default class and listed classes THEN the default comes first, the listed ones follow, none twice', () => {
      const { targets, problems } = provisioningTargets([lp, gp3], ['gp3', 'local-path']);
      expect(targets.map((t) => [t.label, t.requested])).to.deep.equal([
        ['default class (local-path)', undefined],
        ['class gp3', 'gp3'],
      ]);
      expect(problems).to.deep.equal([]);
    });

    it('GIVEN no default and an unknown listed class THEN both are problems, the known listed class is still tested', () => {
      const { targets, problems } = provisioningTargets([gp3], ['gp3', 'fast']);
      expect(targets.map((t) => t.label)).to.deep.equal(['class gp3']);
      expect(problems).to.deep.equal([
        'default class: no default StorageClass: a claim that names no class stays Pending (classes: gp3)',
        'class fast: StorageClass not found: fast is listed in storage.classes but does not exist',
      ]);
    });

    it('GIVEN two defaults THEN the newest is tested, as admission would pick it', () => {
      const older = storageClass('older', { isDefault: true, created: '2025-01-01T00:00:00Z' });
      const newer = storageClass('newer', { isDefault: true, created: '2026-01-01T00:00:00Z' });
      expect(provisioningTargets([older, newer], []).targets[0]?.label).to.equal('default class (newer)');
    });
  });

  describe('expansion plan', () => {
    const growing = storageClass('gp3', { expansion: true });
    const fixed = storageClass('local-path');

    it('GIVEN not opted in THEN skipped with how to opt in, and why classes would refuse anyway', () => {
      expect(expansionPlan(false, [fixed]).skipReason).to.equal(
        'volume expansion is opt-in: set storage.expansion: true in the config file to grow a real volume; besides, local-path does not allow volume expansion (allowVolumeExpansion is not true)',
      );
      expect(expansionPlan(false, [growing]).skipReason).to.equal('volume expansion is opt-in: set storage.expansion: true in the config file to grow a real volume');
    });

    it('GIVEN opted in and no class allows it THEN skipped naming the classes', () => {
      expect(expansionPlan(true, [fixed, storageClass('other')]).skipReason).to.equal('local-path, other do not allow volume expansion (allowVolumeExpansion is not true)');
    });

    it('GIVEN opted in THEN exactly the classes that allow expansion are grown', () => {
      const plan = expansionPlan(true, [fixed, growing]);
      expect(plan.skipReason).to.equal(undefined);
      expect(plan.classes.map((c) => c.metadata?.name)).to.deep.equal(['gp3']);
    });

    it('GIVEN no class under test THEN skipped', () => {
      expect(expansionPlan(true, []).skipReason).to.match(/^no StorageClass is under test/);
    });

    it('GIVEN df -k output (also wrapped) THEN the total is read in bytes', () => {
      expect(parseDfTotalBytes('Filesystem           1K-blocks      Used Available Use% Mounted on\n/dev/vda             264212084  35487044  60014220  37% /data\n')).to.equal(264212084 * 1024);
      expect(parseDfTotalBytes('Filesystem 1K-blocks Used Available Use% Mounted on\n/dev/mapper/very-long-name\n  2031616 24 1925208 1% /data\n')).to.equal(2031616 * 1024);
      expect(parseDfTotalBytes('df: /data: No such file or directory')).to.equal(undefined);
    });
  });

  describe('read-only root file system', () => {
    it('GIVEN a write expected to fail THEN only a read-only error counts, not any failure', () => {
      expect(judgeWrite('/x', 'read-only', 1, "sh: can't create /x: Read-only file system").ok).to.equal(true);
      expect(judgeWrite('/x', 'read-only', 1, "sh: can't create /x: nonexistent directory").ok).to.equal(false);
      expect(judgeWrite('/x', 'read-only', 0, 'probe').ok).to.equal(false);
    });

    it('GIVEN a write to the volume THEN it must succeed', () => {
      expect(judgeWrite('/data/x', 'writable', 0, 'probe').ok).to.equal(true);
      expect(judgeWrite('/data/x', 'writable', 1, 'Read-only file system').ok).to.equal(false);
    });
  });

  describe('provisioner selectors', () => {
    it('GIVEN an equality selector THEN it parses and matches workloads whose matchLabels contain it', () => {
      expect(parseEqualitySelector('app=a, tier = b')).to.deep.equal({ app: 'a', tier: 'b' });
      expect(selectorCovers({ app: 'local-path-provisioner' }, 'app=local-path-provisioner')).to.equal(true);
      expect(selectorCovers({ app: 'other' }, 'app=local-path-provisioner')).to.equal(false);
      expect(selectorCovers(undefined, 'app=x')).to.equal(false);
      expect(selectorCovers({ app: 'x' }, '')).to.equal(false);
    });
  });
});
