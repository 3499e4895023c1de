// The netpol suite: NetworkPolicy enforced exactly as written, plus a read-only audit of the
// cluster's own namespaces and, opt-in, the user's expectations.
import { grant } from '../../src/cluster/permissions.js';
import { defineSuite } from '../../src/harness/suite-definition.js';
import { NETPOL_CONFIG } from '../../src/netpol/config.js';
import { NETPOL_TIMEOUTS } from '../../src/netpol/timeouts.js';

export default defineSuite({
  name: 'netpol',
  title: 'Network policy',
  config: NETPOL_CONFIG,
  timeouts: NETPOL_TIMEOUTS,
  permissions: [
    // Scenario policies in the lab namespaces, and the audit of every namespace's policies.
    ...grant('networking.k8s.io', 'networkpolicies', ['create', 'get', 'update', 'delete', 'list']),
    // The audit reads every namespace and pod; the expectations file may name user namespaces.
    ...grant('', 'pods', ['list']),
    // Generated cases relabel lab pods (namespaces: the harness's own patch right).
    ...grant('', 'pods', ['patch']),
    // A lab's pods are deleted at once, without grace, as soon as no job is left for the lab.
    ...grant('', 'pods', ['deletecollection']),
    ...grant('', 'namespaces', ['get', 'list']),
    // The in-pod probe agents get their scripts from ConfigMaps.
    ...grant('', 'configmaps', ['get', 'delete']),
  ],
});
