// IAM: the static audit of kube-system/aws-auth (EKS's IAM-to-Kubernetes mapping), when present.
import { check, suite, CheckFailure } from '../../src/harness/index.js';
import iam from './suite.js';
import { readAwsAuth } from '../../src/iam/aws-auth-read.js';
import { auditAwsAuth } from '../../src/iam/aws-auth.js';
import { readAwsAuthEditors } from '../../src/iam/aws-auth-editors.js';

suite(iam, () => {
  check(
    'iam/aws-auth',
    'kube-system/aws-auth maps no one to system:masters, has no dead (wildcard, path) or duplicate entries, and node roles get only node groups',
    async (t) => {
      const configMap = await readAwsAuth(t);
      if (configMap === undefined) return t.skip('there is no ConfigMap kube-system/aws-auth: the cluster does not map IAM identities through it (not EKS, or EKS access entries only)');
      const findings = auditAwsAuth(configMap.data);
      t.attachTable('aws-auth findings', ['entry', 'field', 'seen', 'problem', 'severity'], findings.map((f) => [f.entry, f.field, f.seen, f.problem, f.severity]));
      // Whoever may change the mapping decides who is cluster-admin: reported for the owner to judge.
      const editors = await readAwsAuthEditors(t.clients);
      t.attachTable('who may edit kube-system/aws-auth (RBAC)', ['subject', 'via', 'verbs', "Kubernetes' own"], editors.map((e) => [e.subject, e.via, e.verbs.join(', '), e.builtIn ? 'yes' : 'no']));
      for (const f of findings.filter((x) => x.severity === 'warn')) t.warn(`${f.entry}: ${f.problem}`);
      const failing = findings.filter((f) => f.severity === 'fail');
      if (failing.length > 0) throw new CheckFailure(`${failing.length} problem(s) in kube-system/aws-auth: ${failing.map((f) => `${f.entry} ${f.field} (${f.seen}): ${f.problem}`).join('; ')}`);
    },
    {
      namespace: false,
      retryable: true,
      tags: ['iam', 'aws', 'eks'],
      remediation: 'Edit kube-system/aws-auth (or move to EKS access entries): map roles, not users; never to system:masters (bind a group to a ClusterRole instead); write role ARNs without their path and without wildcards; one entry per role; node roles only to system:bootstrappers and system:nodes as system:node:{{EC2PrivateDNSName}}.',
    },
  );
});
