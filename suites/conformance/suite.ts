// The conformance suite: a quick smoke of what every workload relies on. It needs only the
// harness's own rights and timeouts, and has no config section.
import { defineSuite } from '../../src/harness/suite-definition.js';

export default defineSuite({
  name: 'conformance',
  title: 'Conformance smoke test',
});
