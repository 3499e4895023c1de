// The storage catalogue (suites/storage/checks.yaml) against the per-class audit it replaced in
// the spec (src/storage/class-audit.ts): same verdict for every class fixture, and the lists
// that both spell out (zonal provisioners, EBS types) stay the same.
import type { V1StorageClass } from '@kubernetes/client-node';
import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateEntry } from '../../../src/checks/engine.js';
import { loadCatalogue, suiteCataloguePath } from '../../../src/checks/loader.js';
import type { CatalogueEntry, Rule } from '../../../src/checks/types.js';
import { packageRoot } from '../../../src/config/paths.js';
import { auditStorageClass, findingsOf, TOPOLOGY_BOUND_PROVISIONERS } from '../../../src/storage/class-audit.js';
import { storageCollectors, storagePredicates } from '../../../src/storage/class-checks.js';
import { EBS_VOLUME_TYPES } from '../../../src/storage/ebs.js';
import { classFixture, storageClass } from './fixture.js';

const catalogue = loadCatalogue(suiteCataloguePath('storage'), { predicates: storagePredicates, sources: Object.keys(storageCollectors) });
const entry = (id: string): CatalogueEntry => {
  const found = catalogue.entries.find((e) => e.id === id);
  if (found === undefined) throw new Error(`no entry ${id}`);
  return found;
};

function auditStatus(sc: V1StorageClass): string {
  const audit = auditStorageClass(sc);
  if (findingsOf([audit], 'fail').length > 0) return 'failed';
  return findingsOf([audit], 'warn').length > 0 ? 'warn' : 'passed';
}

function engineStatus(sc: V1StorageClass): string {
  return evaluateEntry(entry('storage/class-parameters'), [{ kind: 'StorageClass', name: sc.metadata?.name ?? '?', data: sc }], storagePredicates).status;
}

/** Values of every `in` comparison on `path` anywhere in the rule (including `when`s). */
function listedValues(rule: Rule, path: string): unknown[] {
  const own = rule.type === 'compare' && rule.path.text === path && rule.op === 'in' ? (rule.value as unknown[]) : [];
  const children = rule.type === 'all' || rule.type === 'any' ? rule.rules : [];
  return [...own, ...[...children, ...(rule.when === undefined ? [] : [rule.when])].flatMap((r) => listedValues(r, path))];
}

describe('storage: the class catalogue keeps the audit\'s verdicts', () => {
  const fixtures = readdirSync(join(packageRoot, 'fixtures', 'storage', 'classes')).filter((f) => f.endsWith('.yaml'));
  const built: Array<[string, V1StorageClass]> = [
    ['node-local, Immediate', storageClass('lp', { provisioner: 'rancher.io/local-path' })],
    ['node-local, WaitForFirstConsumer', storageClass('lp', { provisioner: 'rancher.io/local-path', bindingMode: 'WaitForFirstConsumer' })],
    ['nfs', storageClass('nfs', { provisioner: 'nfs.csi.k8s.io' })],
    ['EBS upper-case type', storageClass('up', { provisioner: 'ebs.csi.aws.com', bindingMode: 'WaitForFirstConsumer', parameters: { type: 'GP3' } })],
    ['EBS type spelt Type', storageClass('key', { provisioner: 'ebs.csi.aws.com', bindingMode: 'WaitForFirstConsumer', parameters: { Type: 'standard' } })],
    ['EBS io2 with a fixed iops', storageClass('iops', { provisioner: 'ebs.csi.aws.com', bindingMode: 'WaitForFirstConsumer', parameters: { type: 'io2', iops: '3000' } })],
    ['EBS st1 with iopsPerGB', storageClass('st1', { provisioner: 'kubernetes.io/aws-ebs', bindingMode: 'WaitForFirstConsumer', parameters: { type: 'st1', iopsPerGB: '10' } })],
    ['GCE PD, Immediate', storageClass('pd', { provisioner: 'pd.csi.storage.gke.io' })],
  ];
  const cases: Array<[string, V1StorageClass]> = [...fixtures.map((f): [string, V1StorageClass] => [f, classFixture(f)]), ...built];
  for (const [name, sc] of cases) {
    it(`GIVEN ${name} THEN storage/class-parameters ends as the audit's findings say (${auditStatus(sc)})`, () => {
      expect(engineStatus(sc)).to.equal(auditStatus(sc));
    });
  }

  it('GIVEN the catalogue THEN its zonal provisioners are exactly TOPOLOGY_BOUND_PROVISIONERS', () => {
    const listed = new Set(listedValues(entry('storage/class-parameters').rule, 'provisioner'));
    expect([...listed].sort()).to.deep.equal(Object.keys(TOPOLOGY_BOUND_PROVISIONERS).sort());
  });

  it('GIVEN the catalogue THEN its EBS volume types are exactly EBS_VOLUME_TYPES', () => {
    expect(listedValues(entry('storage/class-parameters').rule, 'parameters.type')).to.deep.equal([...EBS_VOLUME_TYPES]);
  });
});
