// iam/pod-identity as pure functions: the requests a pod makes to the EKS Pod Identity agent
// (169.254.170.23, GET /v1/credentials, the token in the Authorization header) and the verdict on
// what the associated and an unassociated pod received. The request script runs in the pod and
// prints status codes and a masked access key only: credentials never leave the pod.
import { tokenClaims } from './jwt.js';
import { POD_IDENTITY_ENV, POD_IDENTITY_TOKEN_FILE, type PodCredentialView } from './pod-credentials.js';

export const POD_IDENTITY_ADDRESS = '169.254.170.23';
export const POD_IDENTITY_URI = `http://${POD_IDENTITY_ADDRESS}/v1/credentials`;
export const POD_IDENTITY_AUDIENCE = 'pods.eks.amazonaws.com';
const AGENT_WAIT_SECONDS = 3;

/** The ways a pod asks the agent: without a token, with the token of the given file, and with that
 *  token but another Host header (the agent must only answer for its own address). */
export type AgentWay = 'no token' | 'own token' | 'wrong host';

export interface AgentAnswer {
  way: AgentWay;
  /** HTTP status, or `no-reply` / `refused` when no answer came. */
  status: number | 'no-reply' | 'refused';
  /** Masked access key id when credentials came back. */
  accessKey?: string;
  secretSeen: boolean;
}

/** busybox sh and nc: one HTTP/1.0 request per way, printing `agent WAY STATUS KEYHEAD KEYTAIL yes|no`. */
export function agentProbeScript(tokenFile: string): string {
  return [
    `A=${POD_IDENTITY_ADDRESS}; W=${AGENT_WAIT_SECONDS}; F='${tokenFile}'`,
    'T=""; command -v timeout >/dev/null 2>&1 && T="timeout $W"',
    // ask WAY HOST [token-file]
    'ask() {',
    `  r=$({ printf 'GET /v1/credentials HTTP/1.0\\r\\nHost: %s\\r\\n' "$2"; [ -n "$3" ] && [ -r "$3" ] && printf 'Authorization: %s\\r\\n' "$(tr -d '\\n' < "$3")"; printf '\\r\\n'; } | $T nc -w "$W" "$A" 80 2>&1)`,
    `  case "$r" in HTTP/*) s=$(printf '%s\\n' "$r" | head -1 | cut -d' ' -f2) ;; *[Rr]efused*) s=refused ;; *) s=no-reply ;; esac`,
    `  k=""; sec=no`,
    `  [ "$s" = 200 ] && k=$(printf '%s' "$r" | grep -o '"AccessKeyId" *: *"[^"]*"' | sed 's/.*"\\([^"]*\\)"$/\\1/')`,
    `  [ "$s" = 200 ] && printf '%s' "$r" | grep -q '"SecretAccessKey" *: *"[^"]' && sec=yes`,
    `  echo "agent $1 $s $(printf %s "$k" | cut -c1-4) $(printf %s "$k" | tail -c 3) $sec"`,
    '}',
    'ask no-token "$A"',
    'ask own-token "$A" "$F"',
    'ask wrong-host kube-assay.invalid "$F"',
    'exit 0',
  ].join('\n');
}

export function parseAgentProbe(output: string): AgentAnswer[] {
  const answers: AgentAnswer[] = [];
  for (const line of output.split('\n')) {
    const [kind, way, status, ...rest] = line.trim().split(/\s+/);
    if (kind !== 'agent' || way === undefined) continue;
    const code = Number(status);
    const parsed: AgentAnswer['status'] = status === 'refused' ? 'refused' : Number.isInteger(code) && status !== '' ? code : 'no-reply';
    const fields = rest.filter((x) => x !== '');
    answers.push({
      way: way.replace('-', ' ') as AgentWay,
      status: parsed,
      secretSeen: fields.at(-1) === 'yes',
      ...(fields.length === 3 ? { accessKey: `${fields[0]}…${fields[1]}` } : {}),
    });
  }
  return answers;
}

export function describeAnswer(a: AgentAnswer | undefined): string {
  if (a === undefined) return '-';
  if (a.status === 'no-reply') return `no reply in ${AGENT_WAIT_SECONDS}s`;
  if (a.status === 'refused') return 'connection refused';
  return a.status === 200 ? `200${a.accessKey === undefined ? '' : ` (${a.accessKey})`}` : String(a.status);
}

/** Something answered at the agent's address (any HTTP status). */
export function agentAnswered(answers: readonly AgentAnswer[]): boolean {
  return answers.some((a) => typeof a.status === 'number');
}

const handedCredentials = (a: AgentAnswer | undefined): boolean => a?.status === 200 && a.secretSeen;

export interface PodIdentityPodSeen {
  /** `namespace/name` of the ServiceAccount. */
  account: string;
  pod: string;
  view: PodCredentialView;
  answers: AgentAnswer[];
}

export interface PodIdentityJudgement {
  problems: string[];
  rows: string[][];
}

/** `associated`: pods of the configured associated ServiceAccounts; `other`: a pod of the check's
 *  own ServiceAccount (no association) holding a token of audience pods.eks.amazonaws.com. */
export function judgePodIdentity(associated: readonly PodIdentityPodSeen[], other: PodIdentityPodSeen): PodIdentityJudgement {
  const problems: string[] = [];
  const rows: string[][] = [];
  const row = (p: PodIdentityPodSeen, association: string, aud: string): void => {
    const by = (w: AgentWay): AgentAnswer | undefined => p.answers.find((a) => a.way === w);
    rows.push([p.account, association, POD_IDENTITY_ENV.filter((n) => p.view.env[n] !== undefined).join(', ') || '(none)', aud,
      describeAnswer(by('no token')), describeAnswer(by('own token')), describeAnswer(by('wrong host'))]);
  };
  for (const p of associated) {
    const env = p.view.env;
    let aud = '(no token)';
    if (env.AWS_CONTAINER_CREDENTIALS_FULL_URI !== POD_IDENTITY_URI) {
      problems.push(`pod ${p.pod} of the associated ServiceAccount ${p.account} got AWS_CONTAINER_CREDENTIALS_FULL_URI ${env.AWS_CONTAINER_CREDENTIALS_FULL_URI ?? '(unset)'}, expected ${POD_IDENTITY_URI}`);
    }
    if (env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE === undefined) problems.push(`pod ${p.pod} of ${p.account} got no AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`);
    if (p.view.podIdentityToken === undefined) {
      problems.push(`pod ${p.pod} of ${p.account} has no readable Pod Identity token`);
    } else {
      try {
        const c = tokenClaims(p.view.podIdentityToken);
        aud = c.aud.join(',') || '(none)';
        if (c.aud.length !== 1 || c.aud[0] !== POD_IDENTITY_AUDIENCE) problems.push(`the Pod Identity token of ${p.account} has aud ${aud}, expected only ${POD_IDENTITY_AUDIENCE}`);
      } catch (err) {
        problems.push(`the Pod Identity token of pod ${p.pod} cannot be read: ${(err as Error).message}`);
      }
    }
    const own = p.answers.find((a) => a.way === 'own token');
    if (!handedCredentials(own)) problems.push(`the agent gave the associated ServiceAccount ${p.account} no credentials (${describeAnswer(own)}), so its refusals below prove nothing`);
    row(p, 'yes', aud);
  }
  const injected = [...POD_IDENTITY_ENV.filter((n) => other.view.env[n] !== undefined), ...(other.view.podIdentityToken === undefined ? [] : [`a token at ${POD_IDENTITY_TOKEN_FILE}`])];
  if (injected.length > 0) problems.push(`pod ${other.pod} of ${other.account}, which has no association, got ${injected.join(', ')}`);
  const accepted: Array<[AgentWay, string]> = [
    ['no token', 'a request without a token'],
    ['own token', `a request with the token of pod ${other.pod} (ServiceAccount ${other.account}, no association)`],
    ['wrong host', 'a request addressed to another Host'],
  ];
  for (const [way, what] of accepted) {
    const a = other.answers.find((x) => x.way === way);
    if (a?.status === 200) problems.push(`the agent answered ${what} with credentials${a.accessKey === undefined ? '' : ` (${a.accessKey})`}`);
  }
  row(other, 'no', '(check\'s own token)');
  return { problems, rows };
}

export const POD_IDENTITY_COLUMNS = ['ServiceAccount', 'association', 'credential env', 'token aud', 'agent: no token', 'agent: own token', 'agent: wrong Host'];
