// The spec API. Specs import only from here:
//   import { suite, check } from '../../src/harness/index.js';
export { suite, check, beforeSuite, type CheckBody, type SetupBody } from './check.js';
export type { CheckContext, SetupContext } from './context.js';
export type { CheckOptions } from './registry.js';
export { CheckFailure } from './errors.js';
export { suiteFixture, type SuiteFixture } from './fixture.js';
