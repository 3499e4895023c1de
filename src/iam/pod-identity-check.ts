// Cluster side of iam/pod-identity: a pod of the check's own ServiceAccount (no association, but
// holding a token of the agent's audience) asks the agent without a token, with its own token
// and through another Host; then one pod per configured associated ServiceAccount, started in
// that account's namespace, shows what the webhook injected and that the agent serves it.
import type { CheckContext } from '../harness/context.js';
import { CheckFailure } from '../harness/errors.js';
import { apiStatusCode, describeApiError } from '../cluster/api-errors.js';
import { dnsLabel } from '../cluster/names.js';
import { iamSettings } from './config.js';
import { createServiceAccount, readCredentialView, runInPod, startIdentityPod } from './identity-pods.js';
import { POD_IDENTITY_TOKEN_FILE } from './pod-credentials.js';
import { agentAnswered, agentProbeScript, judgePodIdentity, parseAgentProbe, POD_IDENTITY_ADDRESS, POD_IDENTITY_AUDIENCE, type PodIdentityJudgement, type PodIdentityPodSeen } from './pod-identity.js';
import { TENANT_TOKEN_FILE } from './tenant-pods.js';

export type PodIdentityRound = { kind: 'skip'; reason: string } | ({ kind: 'judged' } & PodIdentityJudgement);

export const NO_ASSOCIATION = 'iam.podIdentityServiceAccounts names no ServiceAccount with a Pod Identity association (associations live in the EKS API, which a cluster cannot list); name one to run this check';

async function requireServiceAccount(t: CheckContext, ref: string): Promise<void> {
  const [namespace, name] = ref.split('/') as [string, string];
  try {
    await t.clients.core.readNamespacedServiceAccount({ namespace, name });
  } catch (err) {
    if (apiStatusCode(err) === 404) throw new CheckFailure(`iam.podIdentityServiceAccounts names ServiceAccount ${ref}, which does not exist`);
    throw new CheckFailure(describeApiError(`get serviceaccount ${ref}`, err));
  }
}

export async function probePodIdentity(t: CheckContext): Promise<PodIdentityRound> {
  const accounts = iamSettings(t).podIdentityServiceAccounts;
  if (accounts.length === 0) return { kind: 'skip', reason: NO_ASSOCIATION };
  for (const ref of accounts) await requireServiceAccount(t, ref);
  await createServiceAccount(t, t.namespace, 'unassociated');
  const otherPod = await startIdentityPod(t, { namespace: t.namespace, prefix: 'unassociated', serviceAccount: 'unassociated', token: true, tokenAudience: POD_IDENTITY_AUDIENCE });
  t.step(`ask the agent at ${POD_IDENTITY_ADDRESS} from ${otherPod.namespace}/${otherPod.pod}`);
  const otherAnswers = parseAgentProbe(await runInPod(t, otherPod, agentProbeScript(TENANT_TOKEN_FILE), 'asking the Pod Identity agent'));
  if (!agentAnswered(otherAnswers)) {
    return { kind: 'skip', reason: `no Pod Identity agent answers at ${POD_IDENTITY_ADDRESS}:80 from a pod (${otherAnswers.map((a) => `${a.way}: ${a.status}`).join(', ') || 'no output'})` };
  }
  const other: PodIdentityPodSeen = { account: `${t.namespace}/unassociated`, pod: otherPod.pod, view: await readCredentialView(t, otherPod), answers: otherAnswers };
  const associated: PodIdentityPodSeen[] = [];
  for (const [i, ref] of accounts.entries()) {
    const [namespace, name] = ref.split('/') as [string, string];
    const pod = await startIdentityPod(t, { namespace, prefix: dnsLabel('ka-pod-identity', `${t.runId}\u0000${i}`, 50), serviceAccount: name });
    const view = await readCredentialView(t, pod);
    t.step(`ask the agent from ${pod.namespace}/${pod.pod}`);
    const answers = parseAgentProbe(await runInPod(t, pod, agentProbeScript(view.env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE ?? POD_IDENTITY_TOKEN_FILE), 'asking the Pod Identity agent'));
    associated.push({ account: ref, pod: pod.pod, view, answers });
  }
  return { kind: 'judged', ...judgePodIdentity(associated, other) };
}
