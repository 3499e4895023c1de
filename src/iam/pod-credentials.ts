// What an AWS SDK in a pod would find: the credential environment variables an identity webhook
// injects and the projected tokens they point to. One script for both IRSA and Pod Identity; it
// prints the variables and the tokens, which stay in kube-assay's memory to be decoded and
// verified, and never reach a log or report (only their claims do). Pure.

export const IRSA_ENV = ['AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE'] as const;
export const POD_IDENTITY_ENV = ['AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE'] as const;
const REPORTED_ENV = [...IRSA_ENV, 'AWS_STS_REGIONAL_ENDPOINTS', ...POD_IDENTITY_ENV];
export const IRSA_TOKEN_FILE = '/var/run/secrets/eks.amazonaws.com/serviceaccount/token';
export const POD_IDENTITY_TOKEN_FILE = '/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token';

export interface PodCredentialView {
  /** The credential variables that are set, with their values (paths, ARNs, URLs: no secrets). */
  env: Record<string, string>;
  /** The web identity token (the variable's file, else the webhook's usual path), when readable. */
  irsaToken?: string;
  /** The Pod Identity token, likewise. */
  podIdentityToken?: string;
}

/** busybox sh: `env NAME VALUE` lines, then `token irsa|pod-identity JWT` for readable token files. */
export function podCredentialScript(): string {
  return [
    `for n in ${REPORTED_ENV.join(' ')}; do eval "v=\\\${$n-}"; [ -n "$v" ] && echo "env $n $v"; done`,
    `tok() { [ -r "$2" ] && echo "token $1 $(tr -d '\\n' < "$2")"; return 0; }`,
    `tok irsa "\${AWS_WEB_IDENTITY_TOKEN_FILE:-${IRSA_TOKEN_FILE}}"`,
    `tok pod-identity "\${AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE:-${POD_IDENTITY_TOKEN_FILE}}"`,
    'exit 0',
  ].join('\n');
}

export function parsePodCredentials(output: string): PodCredentialView {
  const view: PodCredentialView = { env: {} };
  for (const line of output.split('\n')) {
    const [kind, name, ...rest] = line.trim().split(' ');
    const value = rest.join(' ');
    if (kind === 'env' && name !== undefined && value !== '') view.env[name] = value;
    if (kind === 'token' && name === 'irsa' && value !== '') view.irsaToken = value;
    if (kind === 'token' && name === 'pod-identity' && value !== '') view.podIdentityToken = value;
  }
  return view;
}

/** The tokens of a view, for redacting any text that might quote the probe's output. */
export function tokensOf(view: PodCredentialView): string[] {
  return [view.irsaToken, view.podIdentityToken].filter((t): t is string => t !== undefined);
}
