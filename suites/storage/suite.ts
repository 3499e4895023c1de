// The storage suite: classes, dynamic provisioning, persistence, expansion and ephemeral volumes.
import { grant } from '../../src/cluster/permissions.js';
import { defineSuite } from '../../src/harness/suite-definition.js';
import { STORAGE_CONFIG } from '../../src/storage/config.js';
import { STORAGE_PERMISSIONS } from '../../src/storage/permissions.js';
import { STORAGE_TIMEOUTS } from '../../src/storage/timeouts.js';

export default defineSuite({
  name: 'storage',
  title: 'Storage: classes, provisioning, persistence and ephemeral volumes',
  config: STORAGE_CONFIG,
  timeouts: STORAGE_TIMEOUTS,
  permissions: [
    ...STORAGE_PERMISSIONS,
    // Expansion grows a claim in place.
    ...grant('', 'persistentvolumeclaims', ['patch']),
    // Affinity: the node a volume allows is read back.
    ...grant('', 'nodes', ['get']),
  ],
});
