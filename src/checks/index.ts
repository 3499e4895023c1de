// The declarative check engine. Specs import from here; see docs/checks.md.
export { declareCatalogueChecks, runCatalogueEntry, type CatalogueBinding, type EntryContext } from './declare.js';
export { evaluateEntry, type EntryStatus, type EntryVerdict } from './engine.js';
export { CATALOGUE_FILE, loadCatalogue, parseCatalogue, suiteCataloguePath, type LoadOptions } from './loader.js';
export { ClusterFactSource, CollectorError, InMemoryFactSource, listCollector, sharedFacts, type Collector, type Collectors } from './sources.js';
export type { Catalogue, CatalogueEntry, Fact, FactSource, Finding, ObjectPredicate, Offence, Predicate, Predicates, SetPredicate } from './types.js';
