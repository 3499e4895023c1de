// What a credential broker (kube2iam, kiam) hands tenant pods by their role annotation, as pure
// functions: the probe cases, the script a probe pod runs, its parser, and the verdict of
// iam/role-annotation-scoping. The script prints only status codes, the role name and the access
// key id already masked (imds.ts): secrets and session tokens never leave the pod.
import { CREDENTIALS_PATH, describeStatus, imdsProbePrelude, parseFetchFields, parseImdsProbe, type CredentialsProbe, type FetchedCredentials } from './imds.js';

/** The pod annotation both brokers read the role from. */
export const ROLE_ANNOTATION = 'iam.amazonaws.com/role';
/** kiam's namespace allow-list: one regular expression. */
export const PERMITTED_ANNOTATION = 'iam.amazonaws.com/permitted';
/** kube2iam's namespace allow-list (its default --namespace-key): a JSON list of patterns. */
export const ALLOWED_ROLES_ANNOTATION = 'iam.amazonaws.com/allowed-roles';

/** The role the check's allow-list namespace permits (its whole allow-list). */
export const PERMITTED_ROLE = 'kassay-probe-app';
/** A role no namespace of the check permits. */
export const OTHER_ROLE = 'kassay-probe-other';
/** The unanchored-pattern trap: `kassay-probe-app` read as a regular expression matches it too. */
export const TRAP_ROLE = `${PERMITTED_ROLE}-admin`;

/** The annotations the check puts on its allow-list namespace (both brokers' forms, one pattern). */
export function allowListAnnotations(): Record<string, string> {
  return { [PERMITTED_ANNOTATION]: PERMITTED_ROLE, [ALLOWED_ROLES_ANNOTATION]: JSON.stringify([PERMITTED_ROLE]) };
}

export type BrokerNamespace = 'allow-list' | 'no allow-list';

export interface BrokerCase {
  /** Pod name prefix and row label. */
  pod: 'permitted' | 'not-permitted' | 'unanchored-trap' | 'unannotated' | 'no-allow-list';
  namespace: BrokerNamespace;
  /** The role annotation, if any. */
  role?: string;
  /** Another role's credentials the pod also asks for (kube2iam answers 403). */
  ask?: string;
  expect: 'exactly' | 'refused' | 'no role';
}

export const BROKER_CASES: readonly BrokerCase[] = [
  { pod: 'permitted', namespace: 'allow-list', role: PERMITTED_ROLE, ask: OTHER_ROLE, expect: 'exactly' },
  { pod: 'not-permitted', namespace: 'allow-list', role: OTHER_ROLE, expect: 'refused' },
  { pod: 'unanchored-trap', namespace: 'allow-list', role: TRAP_ROLE, expect: 'refused' },
  { pod: 'unannotated', namespace: 'allow-list', expect: 'no role' },
  { pod: 'no-allow-list', namespace: 'no allow-list', role: PERMITTED_ROLE, expect: 'refused' },
];

/** The probe script: the credentials listing and the role it names (IMDSv1: brokers answer the
 *  credential paths themselves, without tokens), then `ask`'s credentials when given. Prints
 *  `v1 list STATUS ROLE`, `v1 creds STATUS KEYHEAD KEYTAIL yes|no` and `v1 ask ...` likewise. */
export function brokerProbeScript(ask?: string): string {
  if (ask !== undefined && !/^[A-Za-z0-9+=,.@_/-]+$/.test(ask)) throw new Error(`not a role name: ${ask}`);
  return [...imdsProbePrelude(), 'creds v1 ""', ...(ask === undefined ? [] : [`fetch v1 ask ${ask} ""`]), 'exit 0'].join('\n');
}

export interface BrokerObservation {
  listing: CredentialsProbe;
  ask?: FetchedCredentials;
}

export function parseBrokerProbe(output: string): BrokerObservation {
  const askLine = output.split('\n').map((l) => l.trim().split(/\s+/)).find(([way, kind]) => way === 'v1' && kind === 'ask');
  return {
    listing: parseImdsProbe(output).v1,
    ...(askLine === undefined ? {} : { ask: parseFetchFields(askLine[2], askLine.slice(3)) }),
  };
}

export interface BrokerCaseResult {
  case: BrokerCase;
  /** The namespace the pod ran in. */
  namespace: string;
  observation: BrokerObservation;
}

/** Credentials came back: a 200 carrying a secret (the role name alone is not a hand-out). */
function gotCredentials(status: CredentialsProbe['creds'], secretSeen: boolean): boolean {
  return status === 200 && secretSeen;
}

export function received(o: BrokerObservation): string | undefined {
  return gotCredentials(o.listing.creds, o.listing.secretSeen) ? o.listing.role : undefined;
}

/** The role the listing names (kube2iam names only a permitted one; kiam names the annotation). */
export function named(o: BrokerObservation): string | undefined {
  return o.listing.list === 200 ? o.listing.role : undefined;
}

function answeredAlike(a: BrokerObservation, b: BrokerObservation): boolean {
  return a.listing.list === b.listing.list && a.listing.role === b.listing.role;
}

function answered(o: BrokerObservation): boolean {
  return typeof o.listing.list === 'number';
}

export const BROKER_TABLE_COLUMNS = ['pod', 'namespace', 'annotation', 'allow-list', 'expected', 'listing', 'credentials', 'received', 'verdict'];

type Mark = 'ok' | 'bad' | null;

export interface BrokerVerdict {
  kind: 'verdict';
  rows: string[][];
  marks: Mark[][];
  findings: string[];
  warnings: string[];
  probeFailures: string[];
  /** The role unannotated pods got, when the broker hands out a default one. */
  defaultRoleSeen?: string;
}

export type BrokerOutcome = { kind: 'skip'; reason: string; rows: string[][] } | BrokerVerdict;

export interface BrokerSettings {
  defaultRole?: string;
}

function resultOf(results: readonly BrokerCaseResult[], pod: BrokerCase['pod']): BrokerCaseResult {
  const r = results.find((x) => x.case.pod === pod);
  if (r === undefined) throw new Error(`no result for probe pod ${pod}`);
  return r;
}

function describeListing(o: BrokerObservation): string {
  return `${describeStatus(o.listing.list)}${o.listing.role === undefined ? '' : ` ${o.listing.role}`}`;
}

function describeCredentials(status: CredentialsProbe['creds'], accessKey: string | undefined): string {
  return `${describeStatus(status)}${accessKey === undefined ? '' : ` ${accessKey}`}`;
}

function tableRows(results: readonly BrokerCaseResult[], bad: ReadonlySet<string>): { rows: string[][]; marks: Mark[][] } {
  const rows: string[][] = [];
  const marks: Mark[][] = [];
  const mark = (key: string): Mark[] => [null, null, null, null, null, null, null, null, bad.has(key) ? 'bad' : 'ok'];
  for (const { case: c, namespace, observation: o } of results) {
    const annotation = c.role === undefined ? '(none)' : `${ROLE_ANNOTATION}: ${c.role}`;
    const allowList = c.namespace === 'allow-list' ? PERMITTED_ROLE : '(none)';
    const expected = c.expect === 'exactly' ? `exactly ${c.role ?? '?'}` : c.expect;
    rows.push([c.pod, namespace, annotation, allowList, expected, describeListing(o), describeCredentials(o.listing.creds, o.listing.accessKey),
      received(o) ?? '-', bad.has(c.pod) ? 'FINDING' : 'ok']);
    marks.push(mark(c.pod));
    if (c.ask !== undefined && o.ask !== undefined) {
      const got = gotCredentials(o.ask.status, o.ask.secretSeen);
      rows.push([`${c.pod} (asks for ${c.ask})`, namespace, annotation, allowList, 'refused (not its role)', '-',
        describeCredentials(o.ask.status, o.ask.accessKey), got ? c.ask : '-', bad.has(`${c.pod}:ask`) ? 'FINDING' : 'ok']);
      marks.push(mark(`${c.pod}:ask`));
    }
  }
  return { rows, marks };
}

/** iam/role-annotation-scoping over what the probe pods got. `daemonSets` are the kube2iam/kiam
 *  DaemonSets found by name, label or image. */
export function brokerVerdict(results: readonly BrokerCaseResult[], daemonSets: readonly string[], settings: BrokerSettings): BrokerOutcome {
  const permitted = resultOf(results, 'permitted');
  const unannotated = resultOf(results, 'unannotated');
  const alike = answeredAlike(permitted.observation, unannotated.observation);
  if (alike && daemonSets.length === 0) {
    return {
      kind: 'skip',
      rows: tableRows(results, new Set()).rows,
      reason: 'no kube2iam or kiam broker: no DaemonSet is named, labelled or imaged kube2iam or kiam, and the metadata service answered '
        + `an annotated and an unannotated probe pod alike (listing ${describeListing(permitted.observation)})`,
    };
  }
  const bad = new Set<string>();
  const findings: string[] = [];
  const warnings: string[] = [];
  const probeFailures = results.filter((r) => !answered(r.observation))
    .map((r) => `probe pod ${r.namespace}/${r.case.pod}: ${describeStatus(r.observation.listing.list)} from ${CREDENTIALS_PATH}`);
  if (alike) {
    findings.push(`${daemonSets.join(', ')} run${daemonSets.length === 1 ? 's' : ''}, but the metadata service answered an annotated and an unannotated probe pod alike `
      + `(listing ${describeListing(permitted.observation)}): pod traffic to 169.254.169.254 does not reach the broker`);
    bad.add('permitted').add('unannotated');
  }
  const allowNs = permitted.namespace;
  const p = permitted.observation;
  if (!alike && answered(p)) {
    if (named(p) !== PERMITTED_ROLE) {
      findings.push(`pod permitted (annotated ${PERMITTED_ROLE}, which namespace ${allowNs} permits) got ${named(p) ?? `no role (listing ${describeStatus(p.listing.list)})`} instead of exactly ${PERMITTED_ROLE}`);
      bad.add('permitted');
    } else if (received(p) === undefined) {
      warnings.push(`the broker named ${PERMITTED_ROLE} for pod permitted but answered its credentials with ${describeStatus(p.listing.creds)} (on AWS: the role does not exist or does not trust the broker's role), so the hand-out itself is not proven`);
    }
  }
  if (p.ask !== undefined && gotCredentials(p.ask.status, p.ask.secretSeen)) {
    findings.push(`pod permitted (annotated ${PERMITTED_ROLE}) obtained the credentials of ${OTHER_ROLE} just by asking for them`);
    bad.add('permitted:ask');
  }
  const noAllowList = resultOf(results, 'no-allow-list');
  const notPermitted = resultOf(results, 'not-permitted');
  const trap = resultOf(results, 'unanchored-trap');
  const leaked = (r: BrokerCaseResult): boolean => received(r.observation) !== undefined;
  for (const r of [noAllowList, notPermitted, trap]) if (leaked(r)) bad.add(r.case.pod);
  if (leaked(noAllowList)) {
    const alsoIgnored = [notPermitted, trap].filter(leaked).map((r) => `pod ${r.case.pod} got ${r.case.role ?? '?'}`);
    findings.push(`namespace restrictions are off: pod no-allow-list in namespace ${noAllowList.namespace}, which has no allow-list annotation, got ${PERMITTED_ROLE}`
      + (alsoIgnored.length === 0 ? '' : `, and namespace ${allowNs}'s allow-list (${PERMITTED_ROLE}) was ignored too: ${alsoIgnored.join(', ')}`));
  } else {
    if (leaked(notPermitted)) {
      findings.push(`namespace ${allowNs} permits only ${PERMITTED_ROLE}, yet pod not-permitted got ${OTHER_ROLE}: the allow-list is not enforced`);
    }
    if (leaked(trap) && !leaked(notPermitted)) {
      findings.push(`the allow-list pattern "${PERMITTED_ROLE}" of namespace ${allowNs} let ${TRAP_ROLE} through: the broker matches it unanchored (a substring, as kube2iam's `
        + '--namespace-restriction-format regexp does), so a permit of "app" admits "app-admin"');
    }
  }
  const defaultRoleSeen = named(unannotated.observation);
  if (defaultRoleSeen !== undefined && !alike) {
    if (defaultRoleSeen === settings.defaultRole) {
      warnings.push(`pods without a role annotation get the default role ${defaultRoleSeen} (iam.defaultRole)`);
    } else {
      findings.push(`an unannotated pod got the default role ${defaultRoleSeen}: every pod without a role annotation in any namespace gets it`
        + `${settings.defaultRole === undefined ? '' : ` (iam.defaultRole is ${settings.defaultRole})`}`);
      bad.add('unannotated');
    }
  }
  return { kind: 'verdict', ...tableRows(results, bad), findings, warnings, probeFailures, ...(defaultRoleSeen === undefined || alike ? {} : { defaultRoleSeen }) };
}

/** A pod of an audited namespace and the role it asks for. */
export interface AuditedPod {
  namespace: string;
  name: string;
  role?: string;
}

/** `payments-app` and `arn:aws:iam::1:role/team/payments-app` name the same role. */
export function sameRole(a: string, b: string): boolean {
  const name = (r: string): string => (r.startsWith('arn:') ? r.slice(r.lastIndexOf('/') + 1) : r);
  return a === b || name(a) === name(b);
}

export const INTENDED_TABLE_COLUMNS = ['namespace', 'pod', 'role', 'from', 'intended (iam.intendedRoles)', 'verdict'];

/** iam.intendedRoles over the audited namespaces: a pod asking for (or defaulted to) a role
 *  outside its namespace's list is a finding. Namespaces without a list are not judged. */
export function intendedRoleAudit(pods: readonly AuditedPod[], intended: Readonly<Record<string, readonly string[]>>, defaultRoleSeen: string | undefined):
{ rows: string[][]; marks: Mark[][]; findings: string[] } {
  const rows: string[][] = [];
  const marks: Mark[][] = [];
  const findings: string[] = [];
  for (const pod of [...pods].sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`))) {
    const list = intended[pod.namespace];
    const role = pod.role ?? defaultRoleSeen;
    if (list === undefined || role === undefined) continue;
    const ok = list.some((r) => sameRole(r, role));
    const from = pod.role === undefined ? 'default role' : 'annotation';
    rows.push([pod.namespace, pod.name, role, from, list.join(', ') || '(none)', ok ? 'ok' : 'FINDING']);
    marks.push([null, null, null, null, null, ok ? 'ok' : 'bad']);
    if (!ok) findings.push(`pod ${pod.namespace}/${pod.name} ${pod.role === undefined ? 'gets the default role' : 'asks for'} ${role}, which is not among iam.intendedRoles.${pod.namespace} (${list.join(', ') || 'none'})`);
  }
  return { rows, marks, findings };
}
