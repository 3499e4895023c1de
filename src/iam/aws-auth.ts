// Static audit of kube-system/aws-auth (EKS's mapping of IAM roles and users to Kubernetes users
// and groups), as a pure function of the ConfigMap's data. Each finding names the entry, the
// field, what was seen and why it matters; `fail` findings fail the check, `warn` ones warn.
import { load as loadYaml } from 'js-yaml';

export interface AwsAuthFinding {
  severity: 'fail' | 'warn';
  /** `mapRoles[0]`, `mapUsers[1]`, or the key that would not parse. */
  entry: string;
  field: string;
  seen: string;
  problem: string;
}

interface Mapping {
  arn: string;
  username: string;
  groups: string[];
}

const NODE_GROUPS = ['system:bootstrappers', 'system:nodes'];
const NODE_USERNAME = 'system:node:{{EC2PrivateDNSName}}';

function parseList(text: string | undefined, key: 'mapRoles' | 'mapUsers', findings: AwsAuthFinding[]): Array<Record<string, unknown>> {
  if (text === undefined || text.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = loadYaml(text);
  } catch (err) {
    findings.push({ severity: 'fail', entry: key, field: key, seen: 'unparsable YAML', problem: `EKS ignores a ${key} it cannot parse (${err instanceof Error ? err.message.split('\n')[0] : String(err)})` });
    return [];
  }
  if (!Array.isArray(parsed)) {
    findings.push({ severity: 'fail', entry: key, field: key, seen: typeof parsed, problem: `${key} must be a YAML list of mappings` });
    return [];
  }
  return parsed.filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null);
}

function mappingOf(entry: Record<string, unknown>, arnKey: 'rolearn' | 'userarn'): Mapping {
  const groups = Array.isArray(entry.groups) ? entry.groups.filter((g): g is string => typeof g === 'string') : [];
  return { arn: typeof entry[arnKey] === 'string' ? entry[arnKey] : '', username: typeof entry.username === 'string' ? entry.username : '', groups };
}

/** `arn:aws:iam::123456789012:role/some/path/name` has a path; EKS matches roles without it. */
function rolePath(arn: string): string | undefined {
  const m = /^arn:aws[a-z-]*:iam::[^:]*:role\/(.+)$/.exec(arn);
  const rest = m?.[1];
  return rest !== undefined && rest.includes('/') ? rest.slice(0, rest.lastIndexOf('/') + 1) : undefined;
}

export function auditAwsAuth(data: Record<string, string> | undefined): AwsAuthFinding[] {
  const findings: AwsAuthFinding[] = [];
  const roles = parseList(data?.mapRoles, 'mapRoles', findings).map((e) => mappingOf(e, 'rolearn'));
  const users = parseList(data?.mapUsers, 'mapUsers', findings).map((e) => mappingOf(e, 'userarn'));
  const all = [...roles.map((m, i) => ({ m, entry: `mapRoles[${i}]`, arnField: 'rolearn' })), ...users.map((m, i) => ({ m, entry: `mapUsers[${i}]`, arnField: 'userarn' }))];
  for (const { m, entry, arnField } of all) {
    if (m.groups.includes('system:masters')) {
      findings.push({ severity: 'fail', entry, field: 'groups', seen: `${m.arn} -> system:masters`, problem: 'system:masters bypasses RBAC entirely and cannot be revoked by any binding; map to a group bound to a ClusterRole instead' });
    }
    if (m.arn.includes('*')) {
      findings.push({ severity: 'fail', entry, field: arnField, seen: m.arn, problem: 'aws-auth does not support wildcards: this entry never matches anyone' });
    }
    const path = arnField === 'rolearn' ? rolePath(m.arn) : undefined;
    if (path !== undefined) {
      findings.push({ severity: 'fail', entry, field: arnField, seen: m.arn, problem: `role ARNs must be written without their path (${path}): as written, this entry never matches` });
    }
    if (m.groups.includes('system:nodes')) {
      const extra = m.groups.filter((g) => !NODE_GROUPS.includes(g));
      if (extra.length > 0) findings.push({ severity: 'fail', entry, field: 'groups', seen: extra.join(', '), problem: 'a node role carries groups beyond system:bootstrappers and system:nodes: every node (and whoever takes a node\'s credentials) gets them' });
      if (m.username !== NODE_USERNAME) findings.push({ severity: 'fail', entry, field: 'username', seen: m.username || '(none)', problem: `a node role must map to ${NODE_USERNAME}, or NodeRestriction cannot tell nodes apart` });
    }
  }
  if (users.length > 0) {
    findings.push({ severity: 'warn', entry: 'mapUsers', field: 'mapUsers', seen: `${users.length} user mapping(s)`, problem: 'long-lived IAM users are mapped; prefer roles (assumed with short-lived credentials)' });
  }
  for (const [field, values] of [['rolearn', roles.map((r, i): [string, string] => [r.arn, `mapRoles[${i}]`])], ['userarn', users.map((u, i): [string, string] => [u.arn, `mapUsers[${i}]`])]] as const) {
    findings.push(...duplicates(values, field));
  }
  const names = all.filter(({ m }) => m.username !== '' && m.username !== NODE_USERNAME).map(({ m, entry }) => [m.username, entry] as [string, string]);
  findings.push(...duplicates(names, 'username'));
  return findings;
}

function duplicates(values: ReadonlyArray<readonly [string, string]>, field: string): AwsAuthFinding[] {
  const seen = new Map<string, string[]>();
  for (const [value, entry] of values) if (value !== '') seen.set(value, [...(seen.get(value) ?? []), entry]);
  return [...seen].filter(([, entries]) => entries.length > 1).map(([value, entries]) => ({
    severity: 'fail' as const, entry: entries.join(', '), field, seen: value, problem: `the same ${field} is mapped ${entries.length} times: only one entry takes effect, and which one is not obvious`,
  }));
}
