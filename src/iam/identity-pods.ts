// Cluster side shared by iam/irsa-injection and iam/pod-identity: ServiceAccounts of the check
// (annotated or not), one pod per identity on one node, and the credential view read inside it.
// The tokens the view holds stay in memory; a failing probe's message is redacted of them.
import { AdmissionregistrationV1Api } from '@kubernetes/client-node';
import { describeApiError } from '../cluster/api-errors.js';
import { createWithContext } from '../cluster/create.js';
import type { CheckContext } from '../harness/context.js';
import { CheckFailure } from '../harness/errors.js';
import { containerOf, execIn } from '../harness/probes.js';
import { probeNodes } from './imds-probe.js';
import { parsePodCredentials, podCredentialScript, tokensOf, type PodCredentialView } from './pod-credentials.js';
import { redact } from './secrets.js';
import { startTenantPods, type TenantPod, type TenantPodOptions } from './tenant-pods.js';

export async function createServiceAccount(t: CheckContext, namespace: string, name: string, annotations?: Record<string, string>): Promise<void> {
  await createWithContext('serviceaccount', `${namespace}/${name}`, () => t.clients.core.createNamespacedServiceAccount({
    namespace, body: { metadata: { name, namespace, labels: t.labels(), ...(annotations === undefined ? {} : { annotations }) } },
  }));
}

/** One pod of `serviceAccount` on the first probed node, meeting Pod Security restricted (it may
 *  run in a tenant's namespace). A pod outside the check's namespaces is deleted by a registered
 *  cleanup (its namespace is not ours to delete). */
export async function startIdentityPod(t: CheckContext, options: TenantPodOptions & { serviceAccount: string }): Promise<TenantPod> {
  const [node] = await probeNodes(t);
  if (node === undefined) throw new CheckFailure('no Ready node to probe from');
  const foreign = options.namespace !== t.namespace;
  if (foreign) {
    const name = `${options.prefix}-0`;
    t.defer(`delete pod ${options.namespace}/${name}`, async () => {
      await t.clients.core.deleteNamespacedPod({ namespace: options.namespace, name, gracePeriodSeconds: 0 }).catch(() => undefined);
    });
  }
  const [pod] = await startTenantPods(t, [node], { ...options, restricted: true });
  if (pod === undefined) throw new CheckFailure(`pod ${options.namespace}/${options.prefix}-0 did not start`);
  return pod;
}

/** Runs `script` in the pod; a non-zero exit fails the check with output redacted of `secrets`. */
export async function runInPod(t: CheckContext, pod: TenantPod, script: string, purpose: string, secrets: readonly string[] = []): Promise<string> {
  const r = await execIn(t, containerOf(pod.namespace, pod.pod), ['sh', '-c', script]);
  if (r.exitCode !== 0) {
    const said = redact(`${r.stderr} ${r.stdout}`, secrets).replace(/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, '[token]').trim().slice(0, 200);
    throw new CheckFailure(`${purpose} in ${pod.namespace}/${pod.pod} failed (exit ${r.exitCode}): ${said}`);
  }
  return r.stdout;
}

export async function readCredentialView(t: CheckContext, pod: TenantPod): Promise<PodCredentialView> {
  t.step(`read the credential environment and tokens of ${pod.namespace}/${pod.pod}`);
  const view = parsePodCredentials(await runInPod(t, pod, podCredentialScript(), 'reading the credential environment'));
  // Tokens are only ever compared and decoded; make sure nothing downstream can quote them.
  Object.defineProperty(view, 'toJSON', { value: () => ({ env: view.env, tokens: tokensOf(view).length }), enumerable: false });
  return view;
}

export async function listMutatingWebhooks(t: CheckContext): Promise<import('@kubernetes/client-node').V1MutatingWebhookConfiguration[]> {
  try {
    return (await t.clients.kc.makeApiClient(AdmissionregistrationV1Api).listMutatingWebhookConfiguration()).items;
  } catch (err) {
    throw new CheckFailure(describeApiError('list mutatingwebhookconfigurations', err));
  }
}
