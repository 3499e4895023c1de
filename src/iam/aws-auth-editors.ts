// Who may edit kube-system/aws-auth: whoever can change it decides who is cluster-admin on EKS.
// Read from RBAC (the API has no "who can" request): every ClusterRoleBinding, and every
// RoleBinding in kube-system, whose role grants update, patch or delete on configmaps (by name
// or on all of them). Reported as a table for the owner to judge; Kubernetes' own bindings
// (rbac-defaults, e.g. system:masters through cluster-admin) are marked.
import type { V1PolicyRule } from '@kubernetes/client-node';
import { BOOTSTRAP_LABEL, ruleGrantsObject, subjectText, type Ask, type RbacObjects } from '../cis/rbac.js';
import type { ClusterClients } from '../cluster/client.js';
import { AWS_AUTH } from './aws-auth-read.js';

const EDIT: Ask = { verbs: ['update', 'patch', 'delete'], group: '', resource: 'configmaps' };
const EDIT_VERBS = ['update', 'patch', 'delete'];

export interface AwsAuthEditor {
  subject: string;
  /** `ClusterRoleBinding/x -> ClusterRole/y` or `RoleBinding kube-system/x -> Role/y`. */
  via: string;
  verbs: string[];
  /** Kubernetes' own binding and role (label kubernetes.io/bootstrapping=rbac-defaults). */
  builtIn: boolean;
}

function editVerbs(rules: readonly V1PolicyRule[]): string[] {
  const granting = rules.filter((r) => ruleGrantsObject(r, EDIT, AWS_AUTH.name));
  return EDIT_VERBS.filter((v) => granting.some((r) => (r.verbs ?? []).some((x) => x === '*' || x === v)));
}

export function awsAuthEditors(objects: RbacObjects): AwsAuthEditor[] {
  const clusterRoles = new Map(objects.clusterRoles.map((r) => [r.metadata?.name ?? '', r]));
  const roles = new Map(objects.roles.filter((r) => r.metadata?.namespace === AWS_AUTH.namespace).map((r) => [r.metadata?.name ?? '', r]));
  const bindings = [
    ...objects.clusterRoleBindings.map((b) => ({ b, namespace: undefined as string | undefined })),
    ...objects.roleBindings.filter((b) => b.metadata?.namespace === AWS_AUTH.namespace).map((b) => ({ b, namespace: AWS_AUTH.namespace as string | undefined })),
  ];
  const editors: AwsAuthEditor[] = [];
  for (const { b, namespace } of bindings) {
    const role = b.roleRef.kind === 'ClusterRole' ? clusterRoles.get(b.roleRef.name) : roles.get(b.roleRef.name);
    if (role === undefined) continue;
    const verbs = editVerbs(role.rules ?? []);
    if (verbs.length === 0) continue;
    const builtIn = b.metadata?.labels?.[BOOTSTRAP_LABEL] === 'rbac-defaults' && role.metadata?.labels?.[BOOTSTRAP_LABEL] === 'rbac-defaults';
    const via = `${namespace === undefined ? 'ClusterRoleBinding/' : `RoleBinding ${namespace}/`}${b.metadata?.name ?? '?'} -> ${b.roleRef.kind}/${b.roleRef.name}`;
    for (const s of b.subjects ?? []) editors.push({ subject: subjectText(s, namespace), via, verbs, builtIn });
  }
  return editors.sort((x, y) => Number(x.builtIn) - Number(y.builtIn) || x.subject.localeCompare(y.subject));
}

export async function readAwsAuthEditors(clients: ClusterClients): Promise<AwsAuthEditor[]> {
  const [clusterRoles, roles, clusterRoleBindings, roleBindings] = await Promise.all([
    clients.rbac.listClusterRole(),
    clients.rbac.listNamespacedRole({ namespace: AWS_AUTH.namespace }),
    clients.rbac.listClusterRoleBinding(),
    clients.rbac.listNamespacedRoleBinding({ namespace: AWS_AUTH.namespace }),
  ]);
  return awsAuthEditors({ clusterRoles: clusterRoles.items, roles: roles.items, clusterRoleBindings: clusterRoleBindings.items, roleBindings: roleBindings.items });
}
