// The resources suite: QoS classes, quotas, LimitRange defaults, enforced limits, the metrics API
// and the HPA really work; and an audit of what workloads declare (requests, limits, images)
// and of the autoscalers.
import { grant } from '../../src/cluster/permissions.js';
import { defineSuite } from '../../src/harness/suite-definition.js';
import { RESOURCES_CONFIG } from '../../src/resources/config.js';
import { RESOURCES_PERMISSIONS } from '../../src/resources/permissions.js';
import { RESOURCES_TIMEOUTS } from '../../src/resources/timeouts.js';

export default defineSuite({
  name: 'resources',
  title: 'Resources: QoS, quotas, limits, metrics and autoscaling work; workloads declare what they use',
  config: RESOURCES_CONFIG,
  timeouts: RESOURCES_TIMEOUTS,
  permissions: [
    ...RESOURCES_PERMISSIONS,
    // metrics-api: the Service behind the metrics APIService names the pods that serve it.
    ...grant('', 'services', ['get']),
  ],
});
