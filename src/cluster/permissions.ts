// API rights: what the harness itself needs in every run, how a right is named in messages, and
// the least-privilege ClusterRole that grants a set of them (`kube-assay rbac`, the in-cluster Job).
// Every right is cluster-wide because checks create their namespaces at run time: a Role bound in
// advance cannot reach a namespace that does not exist yet.

/** One API right, as a SelfSubjectAccessReview and a ClusterRole rule see it. */
export interface Permission {
  verb: string;
  resource: string;
  /** API group; '' or undefined is the core group. */
  group?: string;
  subresource?: string;
}

/** The rights `verbs` on one resource, e.g. `grant('storage.k8s.io', 'storageclasses', ['list'])`. */
export const grant = (group: string, resource: string, verbs: readonly string[], subresource?: string): Permission[] =>
  verbs.map((verb) => ({ verb, resource, ...(group === '' ? {} : { group }), ...(subresource === undefined ? {} : { subresource }) }));

/** What every suite needs: its own namespaces with pods, services and workloads in them, the
 *  failure dumps (events, logs) and the end-of-run wait until the namespaces are gone. */
export const HARNESS_PERMISSIONS: readonly Permission[] = [
  ...grant('', 'namespaces', ['create', 'delete', 'get', 'list', 'watch', 'patch']),
  ...grant('', 'nodes', ['list']),
  ...grant('', 'pods', ['create', 'delete', 'get', 'list', 'watch']),
  // Exec over WebSocket is a GET; newer API servers also require create (both are asked).
  ...grant('', 'pods', ['create', 'get'], 'exec'),
  ...grant('', 'pods', ['get'], 'log'),
  ...grant('', 'services', ['create']),
  ...grant('', 'configmaps', ['create']),
  ...grant('', 'secrets', ['create']),
  ...grant('', 'events', ['list']),
  ...grant('', 'serviceaccounts', ['list', 'watch']),
  ...grant('apps', 'deployments', ['create', 'patch', 'list', 'watch']),
  ...grant('batch', 'jobs', ['create', 'list', 'watch']),
  ...grant('discovery.k8s.io', 'endpointslices', ['list', 'watch']),
];

/** Rights the harness uses but does not ask preflight about: the reviews preflight itself is
 *  made of (every authenticated identity has them through system:basic-user, but a role meant
 *  to stand alone should say so). */
export const HARNESS_EXTRA_RIGHTS: readonly Permission[] = [
  ...grant('authorization.k8s.io', 'selfsubjectaccessreviews', ['create']),
  ...grant('authentication.k8s.io', 'selfsubjectreviews', ['create']),
];

export function describePermission(p: Permission): string {
  const resource = p.subresource === undefined ? p.resource : `${p.resource}/${p.subresource}`;
  return `${p.verb} ${p.group ? `${resource}.${p.group}` : resource}`;
}

export function permissionKey(p: Permission): string {
  return `${p.group ?? ''}|${p.resource}|${p.subresource ?? ''}|${p.verb}`;
}

/** A ClusterRole rule (rbac.authorization.k8s.io/v1 PolicyRule, resource rules only). */
export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

/** The one rule that grants exactly `p`, as written in a ClusterRole. */
export function ruleFor(p: Permission): PolicyRule {
  return { apiGroups: [p.group ?? ''], resources: [p.subresource === undefined ? p.resource : `${p.resource}/${p.subresource}`], verbs: [p.verb] };
}

export function formatRule(rule: PolicyRule): string {
  const list = (xs: string[]): string => `[${xs.map((x) => JSON.stringify(x)).join(', ')}]`;
  return `{apiGroups: ${list(rule.apiGroups)}, resources: ${list(rule.resources)}, verbs: ${list(rule.verbs)}}`;
}

/** Least-privilege rules for a set of rights: one rule per API group and resource with the verbs
 *  it needs, sorted so the output is stable and diffs stay small. */
export function rulesFor(permissions: readonly Permission[]): PolicyRule[] {
  const byResource = new Map<string, { group: string; resource: string; verbs: Set<string> }>();
  for (const p of permissions) {
    const resource = p.subresource === undefined ? p.resource : `${p.resource}/${p.subresource}`;
    const group = p.group ?? '';
    const key = `${group}|${resource}`;
    const entry = byResource.get(key) ?? { group, resource, verbs: new Set<string>() };
    entry.verbs.add(p.verb);
    byResource.set(key, entry);
  }
  return [...byResource.values()]
    .sort((a, b) => a.group.localeCompare(b.group) || a.resource.localeCompare(b.resource))
    .map((e) => ({ apiGroups: [e.group], resources: [e.resource], verbs: [...e.verbs].sort() }));
}
