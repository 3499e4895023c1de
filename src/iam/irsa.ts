// iam/irsa-injection as pure judgements: whether an IRSA webhook is installed (and fails open),
// and what a pod of an annotated and of an unannotated ServiceAccount really received.
import type { V1MutatingWebhookConfiguration } from '@kubernetes/client-node';
import { tokenClaims, tokenLifetime, verifyTokenSignature, type Jwks } from './jwt.js';
import { IRSA_ENV, type PodCredentialView } from './pod-credentials.js';

export const ROLE_ARN_ANNOTATION = 'eks.amazonaws.com/role-arn';
export const STS_AUDIENCE = 'sts.amazonaws.com';
/** The upstream webhook's default and the longest lifetime the check accepts. */
export const MAX_IRSA_LIFETIME_SECONDS = 86400;
/** The upstream webhook's configuration and webhook names (its deploy manifests). */
export const IRSA_WEBHOOK_CONFIG = 'pod-identity-webhook';
export const IRSA_WEBHOOK_NAME = 'iam-for-pods.amazonaws.com';

export interface IrsaWebhook {
  config: string;
  webhook: string;
  failurePolicy: string;
}

/** The IRSA webhooks among the cluster's mutating webhook configurations. */
export function findIrsaWebhooks(configs: readonly V1MutatingWebhookConfiguration[]): IrsaWebhook[] {
  return configs.flatMap((c) => (c.webhooks ?? [])
    .filter((w) => w.name === IRSA_WEBHOOK_NAME || c.metadata?.name === IRSA_WEBHOOK_CONFIG)
    .map((w) => ({ config: c.metadata?.name ?? '?', webhook: w.name, failurePolicy: w.failurePolicy ?? 'Fail' })));
}

export interface ClaimsRow {
  pod: string;
  aud: string;
  sub: string;
  lifetime: string;
  signature: string;
}

export interface IrsaJudgement {
  problems: string[];
  warnings: string[];
  /** Claims of the tokens seen (payload fields only), for the report's table. */
  claims: ClaimsRow[];
}

export interface IrsaObservation {
  /** `namespace/name` of the annotated ServiceAccount and what its pod saw. */
  annotated: { account: string; roleArn: string; pod: string; view: PodCredentialView };
  plain: { account: string; pod: string; view: PodCredentialView };
  webhooks: IrsaWebhook[];
  jwks: Jwks;
}

function hours(seconds: number): string {
  return `${(seconds / 3600).toFixed(seconds % 3600 === 0 ? 0 : 1)} h`;
}

export function judgeIrsa(o: IrsaObservation): IrsaJudgement {
  const problems: string[] = [];
  const warnings: string[] = [];
  const claims: ClaimsRow[] = [];
  const { annotated, plain } = o;
  const env = annotated.view.env;
  if (env.AWS_ROLE_ARN === undefined) problems.push(`pod ${annotated.pod} of the annotated ServiceAccount ${annotated.account} got no AWS_ROLE_ARN`);
  else if (env.AWS_ROLE_ARN !== annotated.roleArn) problems.push(`pod ${annotated.pod} got AWS_ROLE_ARN ${env.AWS_ROLE_ARN}, not its ServiceAccount's ${annotated.roleArn}`);
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE === undefined) problems.push(`pod ${annotated.pod} got no AWS_WEB_IDENTITY_TOKEN_FILE`);
  const token = annotated.view.irsaToken;
  if (token === undefined) {
    problems.push(`pod ${annotated.pod} has no readable web identity token${env.AWS_WEB_IDENTITY_TOKEN_FILE === undefined ? '' : ` at ${env.AWS_WEB_IDENTITY_TOKEN_FILE}`}`);
  } else {
    try {
      const c = tokenClaims(token);
      const lifetime = tokenLifetime(c);
      const signature = verifyTokenSignature(token, o.jwks);
      const expectedSub = `system:serviceaccount:${annotated.account.replace('/', ':')}`;
      claims.push({ pod: annotated.pod, aud: c.aud.join(',') || '(none)', sub: c.sub ?? '(none)', lifetime: lifetime === undefined ? '?' : hours(lifetime),
        signature: signature.valid ? `valid (kid ${signature.kid})` : `INVALID: ${signature.reason}` });
      if (c.aud.length !== 1 || c.aud[0] !== STS_AUDIENCE) problems.push(`the web identity token's aud is ${c.aud.join(',') || '(none)'}, expected only ${STS_AUDIENCE}${c.aud.length > 0 && !c.aud.includes(STS_AUDIENCE) ? ' (STS would refuse it, and any service accepting that audience would accept it)' : ''}`);
      if (c.sub !== expectedSub) problems.push(`the web identity token's sub is ${c.sub ?? '(none)'}, expected ${expectedSub}`);
      if (lifetime === undefined) problems.push('the web identity token carries no iat/exp, so its lifetime is unknown');
      else if (lifetime > MAX_IRSA_LIFETIME_SECONDS) problems.push(`the web identity token lives ${hours(lifetime)}, longer than ${hours(MAX_IRSA_LIFETIME_SECONDS)}`);
      if (!signature.valid) problems.push(`the web identity token does not verify against the cluster's JWKS: ${signature.reason}`);
    } catch (err) {
      problems.push(`the web identity token of pod ${annotated.pod} cannot be read: ${(err as Error).message}`);
    }
  }
  const leaked = [...IRSA_ENV.filter((n) => plain.view.env[n] !== undefined), ...(plain.view.irsaToken === undefined ? [] : ['a web identity token'])];
  if (leaked.length > 0) problems.push(`pod ${plain.pod} of the unannotated ServiceAccount ${plain.account} got ${leaked.join(', ')}`);
  for (const w of o.webhooks.filter((x) => x.failurePolicy === 'Ignore')) {
    warnings.push(`the IRSA webhook ${w.webhook} (MutatingWebhookConfiguration ${w.config}) has failurePolicy Ignore: while it is down, pods start without their role (failing open) and fall back to the node's credentials`);
  }
  return { problems, warnings, claims };
}
