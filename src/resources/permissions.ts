// Rights of the resources suite beyond the harness's own: the objects its live checks create and
// read back, and what its read-only audits list across the cluster.
import { grant, type Permission } from '../cluster/permissions.js';

export const RESOURCES_PERMISSIONS: readonly Permission[] = [
  ...grant('', 'resourcequotas', ['create', 'get', 'list', 'watch']),
  ...grant('', 'limitranges', ['create', 'list']),
  ...grant('autoscaling', 'horizontalpodautoscalers', ['create', 'list', 'watch']),
  ...grant('apiregistration.k8s.io', 'apiservices', ['get']),
  ...grant('metrics.k8s.io', 'nodes', ['list']),
  ...grant('metrics.k8s.io', 'pods', ['get']),
  // The audits read workloads and their pods in every audited namespace.
  ...grant('', 'pods', ['list']),
  ...grant('apps', 'deployments', ['get', 'list']),
  ...grant('apps', 'statefulsets', ['list']),
  ...grant('apps', 'daemonsets', ['list']),
  ...grant('apps', 'replicasets', ['list', 'watch']),
  ...grant('batch', 'cronjobs', ['list']),
  ...grant('batch', 'jobs', ['list']),
];
