// The statefulset suite: stable names, ordered start, per-replica DNS and volumes that follow
// their replica through replacement, scaling and deletion.
import { grant } from '../../src/cluster/permissions.js';
import { defineSuite } from '../../src/harness/suite-definition.js';
import { STATEFULSET_CONFIG } from '../../src/statefulset/config.js';
import { STATEFULSET_TIMEOUTS } from '../../src/statefulset/timeouts.js';
import { STORAGE_PERMISSIONS } from '../../src/storage/permissions.js';

export default defineSuite({
  name: 'statefulset',
  title: 'StatefulSet identity: names, order, DNS and volumes',
  config: STATEFULSET_CONFIG,
  timeouts: STATEFULSET_TIMEOUTS,
  permissions: [
    ...grant('apps', 'statefulsets', ['create', 'get', 'list', 'watch', 'patch', 'delete']),
    ...STORAGE_PERMISSIONS,
  ],
});
