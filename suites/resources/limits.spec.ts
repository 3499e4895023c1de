// Resources: what requests and limits do. The QoS class follows from them; a ResourceQuota and a
// LimitRange enforce them per namespace; the kernel enforces memory and CPU limits.
import { check, suite } from '../../src/harness/index.js';
import resources from './suite.js';
import { CheckFailure } from '../../src/harness/errors.js';
import { runQosCases } from '../../src/resources/qos.js';
import { quotaEnforcement } from '../../src/resources/quota.js';
import { limitRangeDefaults } from '../../src/resources/limitrange.js';
import { limitsEnforced } from '../../src/resources/limits.js';
import { reportObservations } from '../../src/resources/observations.js';

suite(resources, () => {
  check(
    'resources/qos-classes',
    'Pods get the QoS class their requests and limits call for (BestEffort, Guaranteed, Burstable)',
    async (t) => {
      const seen = await runQosCases(t, t.namespace);
      t.attachTable('QoS class by spec', ['pod', 'spec', 'expected class', 'assigned class'], seen.map((o) => [o.case.name, o.spec, o.expected, o.assigned]));
      const wrong = seen.filter((o) => o.assigned !== o.expected);
      if (wrong.length > 0) throw new CheckFailure(`${wrong.length} of ${seen.length} pods got the wrong QoS class: ${wrong.map((o) => `${o.case.name} (${o.case.title}) is ${o.assigned}, expected ${o.expected}`).join('; ')}`);
    },
    { tags: ['resources', 'qos'], remediation: 'The API server computes status.qosClass on create from every container\'s requests and limits; a wrong class means a mutating webhook or an old API server changed the resources: compare the stored pod spec with the one sent.' },
  );

  check(
    'resources/quota-enforced',
    'A ResourceQuota on limits.cpu admits pods up to it and refuses the rest with its own message',
    async (t) => {
      const result = await quotaEnforcement(t, t.namespace, { quotaStatus: resources.deadline(t, 'quotaStatus'), quotaEvent: resources.deadline(t, 'quotaEvent') });
      if (result.eventMessage !== undefined) t.attachText('quota refusal recorded in the events', result.eventMessage);
      reportObservations(t, 'quota admission', result.rows);
    },
    { tags: ['resources', 'quota'], remediation: 'Enable the ResourceQuota admission plugin on the API server (--enable-admission-plugins) and check that kube-controller-manager runs its resourcequota controller, which computes the quota status admission relies on.' },
  );

  check(
    'resources/limitrange-defaults',
    'A LimitRange fills in missing requests and limits, leaves set ones alone and refuses values outside max/min',
    async (t) => reportObservations(t, 'LimitRange admission', await limitRangeDefaults(t, t.namespace)),
    { tags: ['resources', 'limitrange'], remediation: 'Enable the LimitRanger admission plugin on the API server (--enable-admission-plugins); without it LimitRanges are stored but never applied.' },
  );

  check(
    'resources/memory-limit-enforced',
    'A container past its memory limit is OOM-killed and restarted; a CPU-limited container is throttled',
    async (t) => {
      const result = await limitsEnforced(t, t.namespace, { oomKill: resources.deadline(t, 'oomKill'), throttle: resources.deadline(t, 'throttle') });
      for (const warning of result.warnings) t.warn(warning);
      reportObservations(t, 'limits enforced by the kernel', result.rows);
    },
    { tags: ['resources', 'limits'], remediation: 'Limits are enforced by the container runtime through cgroups: check that the kubelet and the runtime use the same cgroup driver, that the memory and cpu controllers are enabled on the nodes (cgroup v1: mounted; v2: in cgroup.subtree_control) and the runtime (runc/crun) version.' },
  );
});
