// Storage: the StorageClass audit. Exactly one default class; parameters that suit their
// provisioner; zonal volumes bound only once the pod is scheduled; reclaim and expansion shown.
// The checks are data (suites/storage/checks.yaml), judged by the check engine.
import { declareCatalogueChecks, loadCatalogue, suiteCataloguePath } from '../../src/checks/index.js';
import { suite } from '../../src/harness/index.js';
import storage from './suite.js';
import { storageCollectors, storagePredicates } from '../../src/storage/class-checks.js';

suite(storage, () => {
  const catalogue = loadCatalogue(suiteCataloguePath('storage'), { predicates: storagePredicates, sources: Object.keys(storageCollectors) });
  declareCatalogueChecks(catalogue, { collectors: storageCollectors, predicates: storagePredicates });
});
