// CIS hardening: the catalogues suites/cis/checks.cis-generic.yaml and checks.cis-eks.yaml,
// judged by the check engine against the profile this run audits.
import { declareCisChecks, loadCisCatalogues } from '../../src/cis/checks.js';
import { suite } from '../../src/harness/index.js';
import cis from './suite.js';

suite(cis, () => {
  declareCisChecks(loadCisCatalogues());
});
