// The cis suite: CIS Kubernetes / EKS hardening, every node from its effective configuration.
import { grant } from '../../src/cluster/permissions.js';
import { CIS_CONFIG } from '../../src/cis/config.js';
import { CIS_TIMEOUTS } from '../../src/cis/timeouts.js';
import { defineSuite } from '../../src/harness/suite-definition.js';

export default defineSuite({
  name: 'cis',
  title: 'CIS hardening: every node, policies verified live',
  config: CIS_CONFIG,
  timeouts: CIS_TIMEOUTS,
  permissions: [
    // The kubelet's effective configuration (configz) is read through the API server's node
    // proxy. CIS 5.1.10 flags this very right; the report says the run holds it.
    ...grant('', 'nodes', ['get'], 'proxy'),
  ],
});
