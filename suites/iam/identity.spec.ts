// IAM: the roles pods are meant to get (IRSA's web identity tokens, EKS Pod Identity's agent)
// reach exactly the pods of the ServiceAccounts they belong to, in the shape AWS publishes.
import { check, suite, CheckFailure } from '../../src/harness/index.js';
import iam from './suite.js';
import { NO_IRSA_WEBHOOK, probeIrsa } from '../../src/iam/irsa-check.js';
import { POD_IDENTITY_COLUMNS } from '../../src/iam/pod-identity.js';
import { probePodIdentity } from '../../src/iam/pod-identity-check.js';

suite(iam, () => {
  check(
    'iam/irsa-injection',
    'A pod of a ServiceAccount annotated with a role gets AWS_ROLE_ARN and a projected token for sts.amazonaws.com of its own identity, signed by the cluster and valid at most 24 h; an unannotated one gets none',
    async (t) => {
      const round = await probeIrsa(t);
      if (round.kind === 'no-webhook') return t.skip(NO_IRSA_WEBHOOK);
      t.attachTable('IRSA webhooks', ['MutatingWebhookConfiguration', 'webhook', 'failurePolicy'],
        round.webhooks.map((w) => [w.config, w.webhook, w.failurePolicy]), round.webhooks.map((w) => [null, null, w.failurePolicy === 'Ignore' ? 'bad' : 'ok']));
      t.attachTable('web identity token claims (read in the pod; the token itself is never reported)', ['pod', 'aud', 'sub', 'lifetime', 'signature'],
        round.claims.map((c) => [c.pod, c.aud, c.sub, c.lifetime, c.signature]));
      for (const w of round.warnings) t.warn(w);
      if (round.problems.length > 0) throw new CheckFailure(round.problems.join('; '));
    },
    {
      tags: ['iam', 'irsa', 'security'],
      remediation: 'Install amazon-eks-pod-identity-webhook with its defaults (audience sts.amazonaws.com, token expiration 86400 s or less) and failurePolicy Fail, so a pod never starts without its role; '
        + 'annotate only the ServiceAccounts meant to assume a role (eks.amazonaws.com/role-arn) and scope each role\'s trust policy to system:serviceaccount:NAMESPACE:NAME.',
    },
  );

  check(
    'iam/pod-identity',
    'Only ServiceAccounts with an EKS Pod Identity association get the agent\'s URI and token, and the agent refuses requests without a token, with another pod\'s token or through another address',
    async (t) => {
      const round = await probePodIdentity(t);
      if (round.kind === 'skip') return t.skip(round.reason);
      t.attachTable('Pod Identity as seen from pods', POD_IDENTITY_COLUMNS, round.rows);
      if (round.problems.length > 0) throw new CheckFailure(round.problems.join('; '));
    },
    {
      tags: ['iam', 'pod-identity', 'security'],
      remediation: 'Run the EKS Pod Identity agent add-on as published (it hands credentials only for tokens EKS Auth accepts) and create associations only for the ServiceAccounts meant to get a role (aws eks list-pod-identity-associations); '
        + 'never put a proxy in front of 169.254.170.23 that answers without checking the Authorization token.',
    },
  );
});
