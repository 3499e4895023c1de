// CIS 5.2.1 proven live: Pod Security admission refuses what the restricted level forbids and
// admits what it allows (server-side dry-run; nothing is created).
import { CheckFailure } from '../../src/harness/errors.js';
import { check, suite } from '../../src/harness/index.js';
import { dryRunCreatePod, judgeProbe, privilegedPod, restrictedPod } from '../../src/cis/pod-security.js';
import cis from './suite.js';

suite(cis, () => {
  check(
    'cis/pss-admission-live',
    'Pod Security admission refuses a privileged pod in a restricted namespace and admits a compliant one',
    async (t) => {
      t.step(`submit a privileged pod with dry-run to ${t.namespace} (enforce=restricted)`);
      const privileged = await dryRunCreatePod(t.clients, t.namespace, privilegedPod('privileged-probe', t.probeImage, t.labels()));
      t.step(`submit a restricted-compliant pod with dry-run to ${t.namespace}`);
      const compliant = await dryRunCreatePod(t.clients, t.namespace, restrictedPod('compliant-probe', t.probeImage, t.labels()));
      t.attachTable('dry-run answers', ['pod', 'admitted', 'answer'], [
        ['privileged-probe', String(privileged.admitted), privileged.admitted ? '' : `${privileged.status ?? '?'}: ${privileged.message}`],
        ['compliant-probe', String(compliant.admitted), compliant.admitted ? '' : `${compliant.status ?? '?'}: ${compliant.message}`],
      ]);
      const problem = judgeProbe(privileged, compliant, t.namespace);
      if (problem !== undefined) throw new CheckFailure(problem);
    },
    {
      podSecurity: 'restricted',
      retryable: true,
      tags: ['cis', 'pod-security', 'policy'],
      remediation: 'Enable the PodSecurity admission plugin on the API server (on by default since 1.25) and do not exempt namespaces or users in its AdmissionConfiguration. (references: cis-generic 5.2.1; cis-eks 4.2.1)',
      details: { references: { 'cis-generic': ['5.2.1'], 'cis-eks': ['4.2.1'] }, rationale: 'Labels alone do not show that Pod Security admission runs; only a refused request does.', verification: 'server-side dry-run pod creations in a namespace labelled enforce=restricted' },
    },
  );
});
