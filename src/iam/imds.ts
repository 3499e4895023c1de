// What a pod receives from the instance metadata service (IMDS), as pure functions: the shell
// script a probe pod runs, the parser of its output and the verdicts of the metadata checks.
// The script runs every request one after another (the testbed's mock, and any IMDS proxy that
// shares its weakness, may crash on concurrent token requests) and prints only status codes, the
// role name and the access key id already masked: secrets and session tokens never leave the pod.

export const IMDS_ADDRESS = '169.254.169.254';
export const CREDENTIALS_PATH = '/latest/meta-data/iam/security-credentials/';
/** Seconds a probe waits for each metadata request (connect and reply). */
export const IMDS_WAIT_SECONDS = 3;

/** A status code, or how the request failed without one. */
export type ImdsStatus = number | 'refused' | 'no-reply';

export interface CredentialsProbe {
  /** GET of the credentials listing (it names the role). */
  list: ImdsStatus;
  role?: string;
  /** GET of the role's credentials, when the listing named one. */
  creds?: ImdsStatus;
  /** Masked access key id (`ASIA…XYZ`) when credentials came back. */
  accessKey?: string;
  secretSeen: boolean;
}

export interface ImdsObservation {
  v1: CredentialsProbe;
  /** The token PUT of IMDSv2. */
  token: ImdsStatus;
  /** IMDSv2 requests, when a token came back. */
  v2?: CredentialsProbe;
}

/** The shell functions every metadata probe script starts with (busybox sh and nc):
 *  `req METHOD PATH [HEADER]`, `status`, `body`, `fetch WAY KIND ROLE [HEADER]` (GET of the role's
 *  credentials, printing `WAY KIND STATUS KEYHEAD KEYTAIL yes|no`) and `creds WAY [HEADER]` (the
 *  listing, `WAY list STATUS ROLE`, then `fetch WAY creds ROLE`). */
export function imdsProbePrelude(address = IMDS_ADDRESS, port = 80): string[] {
  return [
    `A=${address}; N=${port}; P=${CREDENTIALS_PATH}; W=${IMDS_WAIT_SECONDS}`,
    // req METHOD PATH [HEADER]: one HTTP/1.0 request; prints the reply, or nc's error.
    // busybox nc's -w bounds only the connect; `timeout` bounds a reply that never comes (hop limit).
    'T=""; command -v timeout >/dev/null 2>&1 && T="timeout $W"',
    `req() { { printf '%s %s HTTP/1.0\\r\\nHost: %s\\r\\n' "$1" "$2" "$A"; [ -n "$3" ] && printf '%s\\r\\n' "$3"; printf '\\r\\n'; } | $T nc -w "$W" "$A" "$N" 2>&1; }`,
    `status() { case "$1" in HTTP/*) printf '%s\\n' "$1" | head -1 | cut -d' ' -f2 ;; *[Rr]efused*) echo refused ;; *) echo no-reply ;; esac; }`,
    `body() { printf '%s\\n' "$1" | tr -d '\\r' | sed '1,/^$/d'; }`,
    'fetch() {',
    '  c=$(req GET "$P$3" "$4"); s=$(status "$c"); k=""; sec=no',
    `  [ "$s" = 200 ] && k=$(body "$c" | grep -o '"AccessKeyId" *: *"[^"]*"' | sed 's/.*"\\([^"]*\\)"$/\\1/')`,
    `  [ "$s" = 200 ] && body "$c" | grep -q '"SecretAccessKey" *: *"[^"]' && sec=yes`,
    '  echo "$1 $2 $s $(printf %s "$k" | cut -c1-4) $(printf %s "$k" | tail -c 3) $sec"',
    '}',
    'creds() {',
    '  l=$(req GET "$P" "$2"); s=$(status "$l"); role=""',
    `  [ "$s" = 200 ] && role=$(body "$l" | head -1 | tr -cd 'A-Za-z0-9+=,.@_/-')`,
    '  echo "$1 list $s $role"',
    '  [ -n "$role" ] || return 0',
    '  fetch "$1" creds "$role" "$2"',
    '}',
  ];
}

/** The probe script. Prints lines `v1|v2 list STATUS ROLE`, `v1|v2 creds STATUS KEYHEAD KEYTAIL
 *  yes|no` and `v2 token STATUS`. */
export function imdsProbeScript(address = IMDS_ADDRESS, port = 80): string {
  return [
    ...imdsProbePrelude(address, port),
    'creds v1 ""',
    `t=$(req PUT /latest/api/token 'X-aws-ec2-metadata-token-ttl-seconds: 60'); s=$(status "$t"); echo "v2 token $s"`,
    `[ "$s" = 200 ] && creds v2 "X-aws-ec2-metadata-token: $(body "$t" | head -1)"`,
    'exit 0',
  ].join('\n');
}

export function parseStatus(text: string | undefined): ImdsStatus {
  if (text === 'refused' || text === undefined || text === '') return text === 'refused' ? 'refused' : 'no-reply';
  const code = Number(text);
  return Number.isInteger(code) ? code : 'no-reply';
}

/** What one `fetch` line says: the status, whether a secret came back, the masked key id. */
export interface FetchedCredentials {
  status: ImdsStatus;
  secretSeen: boolean;
  accessKey?: string;
}

/** The fields after `WAY KIND` of a `fetch` line: `STATUS yes|no` without a key id, `STATUS HEAD
 *  TAIL yes|no` with one. */
export function parseFetchFields(status: string | undefined, fields: ReadonlyArray<string | undefined>): FetchedCredentials {
  const rest = fields.filter((x): x is string => x !== undefined && x !== '');
  return { status: parseStatus(status), secretSeen: rest.at(-1) === 'yes', ...(rest.length === 3 ? { accessKey: `${rest[0]}…${rest[1]}` } : {}) };
}

/** Parses the script's output. Unknown lines are ignored; a missing v1 listing is no reply. */
export function parseImdsProbe(output: string): ImdsObservation {
  const probes: Record<'v1' | 'v2', CredentialsProbe | undefined> = { v1: undefined, v2: undefined };
  let token: ImdsStatus = 'no-reply';
  for (const line of output.split('\n')) {
    const [way, kind, status, a, b, c] = line.trim().split(/\s+/);
    if (way !== 'v1' && way !== 'v2') continue;
    if (kind === 'token') token = parseStatus(status);
    if (kind === 'list') probes[way] = { list: parseStatus(status), role: a || undefined, secretSeen: false };
    if (kind === 'creds' && probes[way] !== undefined) {
      const fetched = parseFetchFields(status, [a, b, c]);
      Object.assign(probes[way], { creds: fetched.status, secretSeen: fetched.secretSeen, ...(fetched.accessKey === undefined ? {} : { accessKey: fetched.accessKey }) });
    }
  }
  return { v1: probes.v1 ?? { list: 'no-reply', secretSeen: false }, token, ...(probes.v2 === undefined ? {} : { v2: probes.v2 }) };
}

/** A way that handed out credentials: v1 or v2, with the role and masked key it exposed. */
export interface CredentialLeak {
  way: 'IMDSv1' | 'IMDSv2';
  role: string;
  accessKey?: string;
}

function gotCredentials(probe: CredentialsProbe | undefined): boolean {
  return probe !== undefined && probe.creds === 200 && probe.secretSeen;
}

export function credentialLeaks(o: ImdsObservation): CredentialLeak[] {
  const leaks: CredentialLeak[] = [];
  for (const [way, probe] of [['IMDSv1', o.v1], ['IMDSv2', o.v2]] as const) {
    if (gotCredentials(probe)) leaks.push({ way, role: probe?.role ?? '?', ...(probe?.accessKey === undefined ? {} : { accessKey: probe.accessKey }) });
  }
  return leaks;
}

/** Something answered at the metadata address at all (any HTTP status). */
export function imdsAnswered(o: ImdsObservation): boolean {
  return typeof o.v1.list === 'number' || typeof o.token === 'number';
}

export function describeStatus(s: ImdsStatus | undefined): string {
  if (s === undefined) return '-';
  if (s === 'no-reply') return `no reply in ${IMDS_WAIT_SECONDS}s`;
  if (s === 'refused') return 'connection refused';
  return String(s);
}

/** IMDSv1 without a token: refused when no v1 request got a 200 for the credentials. */
export function v1Accepted(o: ImdsObservation): boolean {
  return o.v1.creds === 200;
}
