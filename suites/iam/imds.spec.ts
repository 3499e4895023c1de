// IAM: the instance metadata service as a tenant pod sees it. One probe pass per run (tenant pods
// on the sampled nodes, host-network pods when opted in) feeds both checks.
import { check, suite, CheckFailure, type CheckContext } from '../../src/harness/index.js';
import iam from './suite.js';
import { observeImdsOnce, type ImdsRound } from '../../src/iam/imds-probe.js';
import { IMDS_TABLE_COLUMNS, imdsTable, nodeCredentialsVerdict, tokensRequiredVerdict, type Verdict } from '../../src/iam/imds-verdicts.js';

function conclude(t: CheckContext, verdict: Verdict): void {
  if (verdict.kind === 'skip') t.skip(verdict.reason);
  if (verdict.kind === 'fail') throw new CheckFailure(verdict.message);
  if (verdict.note !== undefined) t.attachText('note', verdict.note);
}

/** One metadata-service round (shared by the checks of a run), attached as the probe table. */
async function observeAndAttach(t: CheckContext): Promise<ImdsRound> {
  const round = await observeImdsOnce(t);
  const { rows, marks } = imdsTable(round.observations);
  t.attachTable('metadata service as seen from probe pods', IMDS_TABLE_COLUMNS, rows, marks);
  return round;
}

suite(iam, () => {
  check(
    'iam/imds-node-credentials',
    'A tenant pod on the pod network gets no node credentials from the metadata service (IMDSv1 or v2)',
    async (t) => {
      const round = await observeAndAttach(t);
      conclude(t, nodeCredentialsVerdict(round.observations, round.hostNetworkProbed));
    },
    {
      tags: ['iam', 'imds', 'security'],
      remediation:
        'Keep pods from the node\'s instance profile: require IMDSv2 with a PUT response hop limit of 1 (aws ec2 modify-instance-metadata-options --http-tokens required --http-put-response-hop-limit 1, or the launch template), '
        + 'deny egress to 169.254.169.254/32 with a NetworkPolicy in every tenant namespace, or drop pod traffic to it with iptables on the node; give pods their own roles (IRSA or EKS Pod Identity).',
    },
  );

  check(
    'iam/imds-tokens-required',
    'Where the metadata service answers, a request without a token (IMDSv1) gets no credentials',
    async (t) => {
      const round = await observeAndAttach(t);
      conclude(t, tokensRequiredVerdict(round.observations, round.hostNetworkProbed));
    },
    {
      tags: ['iam', 'imds', 'security'],
      remediation: 'Require IMDSv2 on every node: HttpTokens=required in the launch template or node group (aws ec2 modify-instance-metadata-options --http-tokens required); update SDKs older than IMDSv2 first.',
    },
  );
});
