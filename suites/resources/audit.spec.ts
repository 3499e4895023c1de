// Resources: the read-only audits. What workloads in the audited namespaces declare (requests,
// memory limits, image tags and pull policies), the namespaces' guard rails (ResourceQuota,
// LimitRange, quota headroom), HPAs and the cluster autoscaler. The checks are data
// (suites/resources/checks.yaml); the audited namespaces come from this run's config.
import { ClusterFactSource, declareCatalogueChecks, loadCatalogue, suiteCataloguePath } from '../../src/checks/index.js';
import { suite } from '../../src/harness/index.js';
import resources from './suite.js';
import { RESOURCE_COLLECTOR_NAMES, resourceCollectors, resourcePredicates } from '../../src/resources/audit-collectors.js';

suite(resources, () => {
  const catalogue = loadCatalogue(suiteCataloguePath('resources'), { predicates: resourcePredicates, sources: RESOURCE_COLLECTOR_NAMES });
  declareCatalogueChecks(catalogue, {
    collectors: resourceCollectors(resources.resolveSettings({}, (p) => p)),
    predicates: resourcePredicates,
    // The collectors read the namespaces this run's config audits.
    factSource: (t) => new ClusterFactSource(t.clients, resourceCollectors(resources.settings(t))),
  });
});
