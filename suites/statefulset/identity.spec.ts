// StatefulSet identity: stable names, ordered start, hostnames, per-pod DNS, one volume per
// replica that survives pod deletion, scaling and set deletion, and a retention policy that
// removes claims when asked to. ORDER MATTERS: the checks act on one shared pair of sets (built by
// beforeSuite, handed to each check) and each starts from the state the previous one left (scaled,
// deleted, ...). Mocha runs them in declaration order, so keep them in the order of the README table.
import { beforeSuite, check, suite } from '../../src/harness/index.js';
import statefulset from './suite.js';
import { deployFixture, onFixture, type StatefulSetFixture } from '../../src/statefulset/fixture.js';
import { checkHostnames, checkOrderedStart, checkPeerDns, checkVolumeClaims } from '../../src/statefulset/identity.js';
import { checkClaimsCleanup, checkDeleteKeepsClaims, checkPodReplacement, checkRetentionPolicy, checkScaleDownUp } from '../../src/statefulset/lifecycle.js';

const SHARED: { namespace: false; tags: string[] } = { namespace: false, tags: ['statefulset'] };

suite(statefulset, () => {
  let fixture: StatefulSetFixture | undefined;

  beforeSuite('deploy headless Services and StatefulSets web (3 replicas) and ephemeral (2, claims deleted with the set)', async (s) => {
    fixture = await deployFixture(s);
  });

  check('statefulset/ordered-start', 'Replicas are named <set>-0..2 and each starts only after the previous one is Ready', (t) => onFixture(t, fixture, (f) => checkOrderedStart(t, f)), {
    ...SHARED,
    remediation: 'Ordered start is enforced by the StatefulSet controller in kube-controller-manager (podManagementPolicy OrderedReady): check its logs and that nothing overrides the policy (admission webhooks, a mutated manifest).',
  });

  check('statefulset/hostnames', 'Each replica\'s hostname is its pod name and its FQDN is <pod>.<service>.<namespace>.svc.<domain>', (t) => onFixture(t, fixture, (f) => checkHostnames(t, f)), {
    ...SHARED,
    remediation: 'The kubelet sets the hostname from spec.hostname and writes the FQDN into /etc/hosts when spec.subdomain names the headless Service; the StatefulSet controller fills both from serviceName.',
  });

  check('statefulset/peer-dns', 'From a peer, <set>-N.<service> and its full name resolve to that replica\'s pod IP', (t) => onFixture(t, fixture, (f) => checkPeerDns(t, f)), {
    ...SHARED,
    tags: ['statefulset', 'dns'],
    remediation:
      'Per-pod records of a headless Service come from cluster DNS (CoreDNS kubernetes plugin) reading EndpointSlices: check CoreDNS pods in kube-system (k8s-app=kube-dns) are Ready, the Service is headless (clusterIP: None) and named in serviceName, and the pods are Ready.',
  });

  check('statefulset/volume-claims', 'Claims are named <template>-<set>-N, Bound, one volume each, holding each replica\'s own identity', (t) => onFixture(t, fixture, (f) => checkVolumeClaims(t, f)), {
    ...SHARED,
    tags: ['statefulset', 'storage'],
    remediation: 'Claims come from the volumeClaimTemplate; if one is not Bound, see the storage suite\'s provisioning diagnosis for its class.',
  });

  check('statefulset/pod-replacement', 'A deleted replica returns with the same name, claim, volume and data, at its DNS name', (t) => onFixture(t, fixture, (f) => checkPodReplacement(t, f)), {
    ...SHARED,
    tags: ['statefulset', 'storage', 'dns'],
    remediation: 'The StatefulSet controller recreates the pod with the same claim; the kubelet must reattach the volume (on EBS, in the volume\'s zone) and DNS must follow the new pod IP.',
  });

  check('statefulset/scale-down-up', 'Scaling to 1 keeps the claims of the removed replicas; scaling back to 3 reuses the same volumes and data', (t) => onFixture(t, fixture, (f) => checkScaleDownUp(t, f)), {
    ...SHARED,
    tags: ['statefulset', 'storage'],
    remediation: 'With whenScaled: Retain (the default) the controller must leave claims of removed replicas alone and bind returning replicas to them: check the controller logs and the claims\' owner references.',
  });

  check('statefulset/delete-keeps-claims', 'Deleting a StatefulSet with the default retention policy keeps its claims', (t) => onFixture(t, fixture, (f) => checkDeleteKeepsClaims(t, f)), {
    ...SHARED,
    tags: ['statefulset', 'storage'],
    remediation: 'With whenDeleted: Retain the claims must have no owner reference to the set; if they were deleted, check the garbage collector and any policy engine that mutates StatefulSets.',
  });

  check('statefulset/claim-retention-policy', 'whenScaled and whenDeleted: Delete remove the claims (and Delete-policy volumes) of a second StatefulSet', (t) => onFixture(t, fixture, (f) => checkRetentionPolicy(t, f)), {
    ...SHARED,
    tags: ['statefulset', 'storage'],
    remediation: 'persistentVolumeClaimRetentionPolicy is GA since Kubernetes 1.32 (StatefulSetAutoDeletePVC); the controller sets owner references and the garbage collector deletes: check both in kube-controller-manager.',
  });

  check('statefulset/claims-cleanup', 'The suite\'s cleanup removes the claims it left and their Delete-policy volumes', (t) => onFixture(t, fixture, (f) => checkClaimsCleanup(t, f)), {
    ...SHARED,
    tags: ['statefulset', 'storage', 'cleanup'],
    remediation: 'Claims deleted while no pod uses them must disappear, and their volumes with reclaim policy Delete must be removed by the provisioner: check claims stuck Terminating (kubernetes.io/pvc-protection) and the provisioner logs.',
  });
});
