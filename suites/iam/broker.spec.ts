// IAM: a credential broker (kube2iam, kiam) that hands pods roles by annotation hands each pod
// exactly the role its annotation names and its namespace permits, and nothing to anyone else.
import { check, suite, CheckFailure } from '../../src/harness/index.js';
import iam from './suite.js';
import { BROKER_TABLE_COLUMNS, brokerVerdict, INTENDED_TABLE_COLUMNS, intendedRoleAudit } from '../../src/iam/broker.js';
import { auditedPods, observeBroker } from '../../src/iam/broker-probe.js';
import { iamSettings } from '../../src/iam/config.js';

suite(iam, () => {
  check(
    'iam/role-annotation-scoping',
    'A kube2iam/kiam broker hands a pod exactly the role its annotation names and its namespace permits; other roles, unannotated pods and namespaces without an allow-list get none',
    async (t) => {
      const settings = iamSettings(t);
      const round = await observeBroker(t);
      const verdict = brokerVerdict(round.results, round.daemonSets, settings);
      if (verdict.kind === 'skip') {
        t.attachTable('pod -> annotation -> role received', BROKER_TABLE_COLUMNS, verdict.rows);
        return t.skip(verdict.reason);
      }
      t.attachTable('pod -> annotation -> role received', BROKER_TABLE_COLUMNS, verdict.rows, verdict.marks);
      const { pods, notAudited } = await auditedPods(t);
      const audit = intendedRoleAudit(pods, settings.intendedRoles, verdict.defaultRoleSeen);
      if (audit.rows.length > 0) t.attachTable('pods of the audited namespaces and their intended roles', INTENDED_TABLE_COLUMNS, audit.rows, audit.marks);
      if (notAudited.length > 0) t.warn(`iam.intendedRoles names namespaces that are not audited (absent, excluded or not in iam.namespaces): ${notAudited.join(', ')}`);
      for (const w of verdict.warnings) t.warn(w);
      if (verdict.probeFailures.length > 0) throw new CheckFailure(`the probe failed: ${verdict.probeFailures.join('; ')}`);
      const findings = [...verdict.findings, ...audit.findings];
      if (findings.length > 0) throw new CheckFailure(findings.join('; '));
    },
    {
      tags: ['iam', 'imds', 'kube2iam', 'kiam', 'security'],
      remediation:
        'Run the broker with namespace restrictions (kube2iam --namespace-restrictions; kiam always) and give every namespace an allow-list of exactly its roles; '
        + 'anchor regular expressions (^payments-app$) or use kube2iam\'s glob format; drop --default-role (or make it a role with no rights); '
        + 'better, move to IRSA or EKS Pod Identity, which tie a role to a ServiceAccount instead of a source IP.',
    },
  );
});
