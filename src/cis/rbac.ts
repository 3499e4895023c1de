// RBAC facts for the CIS 5.1 checks: one fact per binding (ClusterRoleBinding or RoleBinding),
// resolved to the rules of the role it grants and summed up as the capabilities CIS asks about
// (wildcards, bind/escalate/impersonate, nodes/proxy, CSR approval, webhook configuration writes,
// token creation, persistent volume creation, secrets, cluster-admin, system:masters). Matching
// RBAC rules (wildcards, resourceNames, subresources) is code; which capability is a finding, and
// where, is data in the catalogue. Built-in objects (label kubernetes.io/bootstrapping=
// rbac-defaults) are recognised and marked, so the catalogue leaves them out instead of counting
// them; so are kube-assay's own objects (`kube-assay rbac`), which hold get nodes/proxy for configz.
import type { RbacV1Subject as V1Subject, V1ClusterRole, V1ClusterRoleBinding, V1PolicyRule, V1Role, V1RoleBinding } from '@kubernetes/client-node';
import type { Collector } from '../checks/sources.js';
import type { Fact } from '../checks/types.js';
import type { ClusterClients } from '../cluster/client.js';

export const BOOTSTRAP_LABEL = 'kubernetes.io/bootstrapping';
/** The label `kube-assay rbac` puts on its ClusterRole and binding. */
export const OWN_RBAC_LABEL = { key: 'app.kubernetes.io/name', value: 'kube-assay' };

/** One right asked of a rule: verb on group/resource[/subresource]. */
export interface Ask {
  verbs: string[];
  group: string;
  resource: string;
}

const CAPABILITIES = {
  wildcard: undefined,
  bind: [{ verbs: ['bind'], group: 'rbac.authorization.k8s.io', resource: 'clusterroles' }, { verbs: ['bind'], group: 'rbac.authorization.k8s.io', resource: 'roles' }],
  escalate: [{ verbs: ['escalate'], group: 'rbac.authorization.k8s.io', resource: 'clusterroles' }, { verbs: ['escalate'], group: 'rbac.authorization.k8s.io', resource: 'roles' }],
  impersonate: [
    { verbs: ['impersonate'], group: '', resource: 'users' },
    { verbs: ['impersonate'], group: '', resource: 'groups' },
    { verbs: ['impersonate'], group: '', resource: 'serviceaccounts' },
  ],
  nodesProxy: [{ verbs: ['get', 'create'], group: '', resource: 'nodes/proxy' }],
  csrApproval: [{ verbs: ['update', 'patch'], group: 'certificates.k8s.io', resource: 'certificatesigningrequests/approval' }],
  webhookWrite: [
    { verbs: ['create', 'update', 'patch', 'delete'], group: 'admissionregistration.k8s.io', resource: 'validatingwebhookconfigurations' },
    { verbs: ['create', 'update', 'patch', 'delete'], group: 'admissionregistration.k8s.io', resource: 'mutatingwebhookconfigurations' },
  ],
  tokenCreate: [{ verbs: ['create'], group: '', resource: 'serviceaccounts/token' }],
  pvCreate: [{ verbs: ['create'], group: '', resource: 'persistentvolumes' }],
  secretsRead: [{ verbs: ['get', 'list', 'watch'], group: '', resource: 'secrets' }],
  podCreate: [{ verbs: ['create'], group: '', resource: 'pods' }],
} as const satisfies Record<string, readonly Ask[] | undefined>;

export type Capability = keyof typeof CAPABILITIES;

const matches = (values: readonly string[] | undefined, wanted: string): boolean => (values ?? []).some((v) => v === '*' || v === wanted);

function ruleGrants(rule: V1PolicyRule, ask: Ask): boolean {
  // A rule limited to resourceNames grants only those objects; CIS asks about the broad right.
  if ((rule.resourceNames ?? []).length > 0) return false;
  return ruleMatches(rule, ask);
}

/** Whether the rule grants one of the verbs on the one named object (a rule without
 *  resourceNames covers every object), e.g. update on configmap kube-system/aws-auth. */
export function ruleGrantsObject(rule: V1PolicyRule, ask: Ask, name: string): boolean {
  const names = rule.resourceNames ?? [];
  return (names.length === 0 || names.includes(name)) && ruleMatches(rule, ask);
}

function ruleMatches(rule: V1PolicyRule, ask: Ask): boolean {
  const [resource, sub] = ask.resource.split('/');
  const resourceMatch = (rule.resources ?? []).some((r) => r === '*' || r === ask.resource || (sub !== undefined && r === `${resource}/*`) || (sub === undefined && r === resource));
  return matches(rule.apiGroups, ask.group) && resourceMatch && ask.verbs.some((v) => matches(rule.verbs, v));
}

/** Which capabilities a role's rules grant, and the rules that use '*'. */
export function capabilitiesOf(rules: readonly V1PolicyRule[]): Record<Capability, boolean> {
  const result = {} as Record<Capability, boolean>;
  for (const [name, asks] of Object.entries(CAPABILITIES) as Array<[Capability, readonly Ask[] | undefined]>) {
    result[name] = asks === undefined ? rules.some((r) => [r.verbs, r.resources, r.apiGroups].some((xs) => (xs ?? []).includes('*'))) : asks.some((ask) => rules.some((r) => ruleGrants(r, ask)));
  }
  return result;
}

export function subjectText(s: V1Subject, bindingNamespace?: string): string {
  if (s.kind === 'ServiceAccount') return `ServiceAccount:${s.namespace ?? bindingNamespace ?? '?'}/${s.name}`;
  return `${s.kind}:${s.name}`;
}

/** Data of one `rbac-bindings` fact. */
export interface BindingFact {
  binding: string;
  kind: 'ClusterRoleBinding' | 'RoleBinding';
  namespace?: string;
  role: string;
  subjects: string[];
  /** The binding and its role are Kubernetes' own (rbac-defaults). */
  builtIn: boolean;
  /** The binding is kube-assay's own (`kube-assay rbac`), held for the run. */
  ownRun: boolean;
  /** Listed in cis.clusterAdminAllowList (by binding name or by every subject). */
  allowListed: boolean;
  /** The role the binding names does not exist (grants nothing). */
  roleMissing: boolean;
  capabilities: Record<Capability, boolean>;
  clusterAdmin: boolean;
}

export interface RbacObjects {
  clusterRoles: readonly V1ClusterRole[];
  roles: readonly V1Role[];
  clusterRoleBindings: readonly V1ClusterRoleBinding[];
  roleBindings: readonly V1RoleBinding[];
}

/** Bindings a distribution creates as part of the control plane, recognised like the built-in
 *  ones: kubeadm (1.29+) binds cluster-admin to the group of its admin.conf user instead of
 *  system:masters, and binds system:kubelet-api-admin (nodes/proxy, for exec, logs and
 *  port-forward) to the API server's kubelet client certificate. Matched by role and exact
 *  subjects (and name where given), so a binding granting anything else is still judged. */
const DISTRIBUTION_BINDINGS: ReadonlyArray<{ name?: string; role: string; subjects: string[] }> = [
  { name: 'kubeadm:cluster-admins', role: 'ClusterRole/cluster-admin', subjects: ['Group:kubeadm:cluster-admins'] },
  { role: 'ClusterRole/system:kubelet-api-admin', subjects: ['User:kube-apiserver-kubelet-client'] },
];

const labelled = (labels: Record<string, string> | undefined, key: string, value: string): boolean => labels?.[key] === value;

export function bindingFacts(objects: RbacObjects, allowList: readonly string[]): Fact[] {
  const clusterRoles = new Map(objects.clusterRoles.map((r) => [r.metadata?.name ?? '', r]));
  const roles = new Map(objects.roles.map((r) => [`${r.metadata?.namespace ?? ''}/${r.metadata?.name ?? ''}`, r]));
  const bindings: Array<{ b: V1ClusterRoleBinding | V1RoleBinding; kind: BindingFact['kind'] }> = [
    ...objects.clusterRoleBindings.map((b) => ({ b, kind: 'ClusterRoleBinding' as const })),
    ...objects.roleBindings.map((b) => ({ b, kind: 'RoleBinding' as const })),
  ];
  return bindings.map(({ b, kind }) => {
    const namespace = kind === 'RoleBinding' ? b.metadata?.namespace : undefined;
    const roleName = b.roleRef.name;
    const role = b.roleRef.kind === 'ClusterRole' ? clusterRoles.get(roleName) : roles.get(`${namespace ?? ''}/${roleName}`);
    const subjects = (b.subjects ?? []).map((s) => subjectText(s, namespace));
    const name = b.metadata?.name ?? '?';
    const data: BindingFact = {
      binding: name,
      kind,
      ...(namespace === undefined ? {} : { namespace }),
      role: `${b.roleRef.kind}/${roleName}`,
      subjects,
      builtIn:
        (labelled(b.metadata?.labels, BOOTSTRAP_LABEL, 'rbac-defaults') && (role === undefined || labelled(role.metadata?.labels, BOOTSTRAP_LABEL, 'rbac-defaults'))) ||
        (kind === 'ClusterRoleBinding' && DISTRIBUTION_BINDINGS.some((d) => (d.name ?? name) === name && d.role === `${b.roleRef.kind}/${roleName}` && d.subjects.join() === subjects.join())),
      ownRun: labelled(b.metadata?.labels, OWN_RBAC_LABEL.key, OWN_RBAC_LABEL.value),
      allowListed: allowList.includes(name) || (subjects.length > 0 && subjects.every((s) => allowList.includes(s))),
      roleMissing: role === undefined,
      capabilities: capabilitiesOf(role?.rules ?? []),
      clusterAdmin: b.roleRef.kind === 'ClusterRole' && roleName === 'cluster-admin',
    };
    return { kind, name, ...(namespace === undefined ? {} : { namespace }), data };
  });
}

export function rbacCollector(allowList: readonly string[]): Collector {
  return {
    description: 'list ClusterRoles, Roles, ClusterRoleBindings and RoleBindings',
    async collect(clients: ClusterClients): Promise<Fact[]> {
      const [clusterRoles, roles, clusterRoleBindings, roleBindings] = await Promise.all([
        clients.rbac.listClusterRole(),
        clients.rbac.listRoleForAllNamespaces(),
        clients.rbac.listClusterRoleBinding(),
        clients.rbac.listRoleBindingForAllNamespaces(),
      ]);
      return bindingFacts({ clusterRoles: clusterRoles.items, roles: roles.items, clusterRoleBindings: clusterRoleBindings.items, roleBindings: roleBindings.items }, allowList);
    },
  };
}
