// Rights every suite that provisions volumes needs (storage and statefulset): claims it creates
// and deletes, the volumes and classes behind them, and what the diagnosis of an unbound claim
// reads (CSIDrivers, provisioner Deployments and pods in any namespace).
import { grant, type Permission } from '../cluster/permissions.js';

export const STORAGE_PERMISSIONS: readonly Permission[] = [
  ...grant('', 'persistentvolumeclaims', ['create', 'get', 'list', 'watch', 'delete']),
  ...grant('', 'persistentvolumes', ['get', 'list', 'watch']),
  ...grant('storage.k8s.io', 'storageclasses', ['list']),
  ...grant('storage.k8s.io', 'csidrivers', ['get']),
  ...grant('apps', 'deployments', ['list']),
  ...grant('', 'pods', ['list']),
];
