// Cluster side of iam/irsa-injection: find the IRSA webhook by its MutatingWebhookConfiguration,
// start a pod of an annotated and one of an unannotated ServiceAccount in the check's namespace,
// read what each received, and fetch the cluster's JWKS to verify the token's signature.
import type { CheckContext } from '../harness/context.js';
import { CheckFailure } from '../harness/errors.js';
import { iamSettings } from './config.js';
import { createServiceAccount, listMutatingWebhooks, readCredentialView, startIdentityPod } from './identity-pods.js';
import { findIrsaWebhooks, IRSA_WEBHOOK_CONFIG, IRSA_WEBHOOK_NAME, judgeIrsa, ROLE_ARN_ANNOTATION, type IrsaJudgement, type IrsaWebhook } from './irsa.js';
import { parseJwks, type Jwks } from './jwt.js';
import { rawRequest } from './raw-request.js';

export const JWKS_PATH = '/openid/v1/jwks';

export async function clusterJwks(t: CheckContext): Promise<Jwks> {
  const answer = await rawRequest(t.clients.kc, 'GET', JWKS_PATH, { keepBody: true });
  if (answer.status !== 200 || answer.body === undefined) {
    throw new CheckFailure(`GET ${JWKS_PATH} answered ${answer.status}: the token's signature cannot be verified without the cluster's keys (kube-assay's identity needs get on that non-resource URL; system:service-account-issuer-discovery grants it)`);
  }
  try {
    return parseJwks(answer.body);
  } catch (err) {
    throw new CheckFailure(`GET ${JWKS_PATH}: ${(err as Error).message}`);
  }
}

export type IrsaRound = { kind: 'no-webhook' } | ({ kind: 'judged'; webhooks: IrsaWebhook[] } & IrsaJudgement);

export const NO_IRSA_WEBHOOK = `no IRSA webhook is installed: no MutatingWebhookConfiguration ${IRSA_WEBHOOK_CONFIG} and no webhook named ${IRSA_WEBHOOK_NAME}`;

export async function probeIrsa(t: CheckContext): Promise<IrsaRound> {
  const webhooks = findIrsaWebhooks(await listMutatingWebhooks(t));
  if (webhooks.length === 0) return { kind: 'no-webhook' };
  const { irsaRoleArn } = iamSettings(t);
  const ns = t.namespace;
  await createServiceAccount(t, ns, 'irsa', { [ROLE_ARN_ANNOTATION]: irsaRoleArn });
  await createServiceAccount(t, ns, 'plain');
  const annotatedPod = await startIdentityPod(t, { namespace: ns, prefix: 'irsa', serviceAccount: 'irsa' });
  const plainPod = await startIdentityPod(t, { namespace: ns, prefix: 'plain', serviceAccount: 'plain' });
  const jwks = await clusterJwks(t);
  const judged = judgeIrsa({
    annotated: { account: `${ns}/irsa`, roleArn: irsaRoleArn, pod: annotatedPod.pod, view: await readCredentialView(t, annotatedPod) },
    plain: { account: `${ns}/plain`, pod: plainPod.pod, view: await readCredentialView(t, plainPod) },
    webhooks,
    jwks,
  });
  return { kind: 'judged', webhooks, ...judged };
}
