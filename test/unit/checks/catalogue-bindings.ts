// The predicates of every suite that has a catalogue (suites/<suite>/checks.yaml), so the
// generic catalogue test can load each one as its spec does. A catalogue without an entry here
// fails that test, so a new suite cannot ship untested checks.
import type { Predicates } from '../../../src/checks/types.js';
import { cisPredicates } from '../../../src/cis/checks.js';
import { resourcePredicates } from '../../../src/resources/audit-collectors.js';
import { storagePredicates } from '../../../src/storage/class-checks.js';

export const SUITE_PREDICATES: Readonly<Record<string, Predicates>> = {
  cis: cisPredicates,
  resources: resourcePredicates,
  storage: storagePredicates,
};
