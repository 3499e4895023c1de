// The built-in suite declarations, for tests that resolve configs with suite sections.
import cis from '../../../suites/cis/suite.js';
import conformance from '../../../suites/conformance/suite.js';
import iam from '../../../suites/iam/suite.js';
import netpol from '../../../suites/netpol/suite.js';
import resources from '../../../suites/resources/suite.js';
import statefulset from '../../../suites/statefulset/suite.js';
import storage from '../../../suites/storage/suite.js';
import type { AnySuiteDefinition } from '../../../src/harness/suite-definition.js';

export const BUILT_IN_SUITES: readonly AnySuiteDefinition[] = [cis, conformance, iam, netpol, resources, statefulset, storage];
