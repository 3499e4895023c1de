// Facts for the CIS 5.x policy checks besides RBAC objects: who may read secrets or create pods
// (asked of the API server with SubjectAccessReviews, so every authorizer has its say, not only
// RBAC), the namespaces with their Pod Security labels and NetworkPolicy counts, and the pods.
// Namespaces listed in cis.excludedNamespaces are left out, and so are kube-assay's own (the
// namespaces of runs, which other suites fill with probe pods), which the facts say.
import type { V1Namespace, V1Pod } from '@kubernetes/client-node';
import type { Collector } from '../checks/sources.js';
import type { Fact } from '../checks/types.js';
import type { ClusterClients } from '../cluster/client.js';
import { CHECK_ID_ANNOTATION, isOwnedByKubeAssay, RUNNER_LABEL } from '../cluster/labels.js';
import { mapBounded } from './node-get.js';

export const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';
/** A user no binding names: what a review for it allows comes from its groups alone. */
export const REVIEW_USER = 'kube-assay:cis-review';

export interface NamespaceScope {
  excluded: readonly string[];
}

/** A namespace a kube-assay run made for one of its checks (it names the check) or runs in: full
 *  of probe pods of other suites. Carrying our labels alone does not make one: objects a test
 *  creates on purpose carry them too, so a crashed test's leftovers can be swept, and must be
 *  audited like anyone's. */
export function isRunNamespace(ns: V1Namespace): boolean {
  return isOwnedByKubeAssay(ns.metadata?.labels) && (ns.metadata?.annotations?.[CHECK_ID_ANNOTATION] !== undefined || ns.metadata?.labels?.[RUNNER_LABEL] !== undefined);
}

/** A namespace the policy audits judge: not excluded by the config, not one of kube-assay's runs. */
export function audited(ns: V1Namespace, scope: NamespaceScope): boolean {
  const name = ns.metadata?.name ?? '';
  return !scope.excluded.includes(name) && !isRunNamespace(ns);
}

/** Data of one `namespaces` fact. */
export interface NamespaceFact {
  metadata: { name: string; labels: Record<string, string> };
  networkPolicies: number;
  pods: number;
  /** Services other than the API server's own `kubernetes` in default. */
  services: number;
}

export function namespaceFacts(namespaces: readonly V1Namespace[], counts: { policies: Map<string, number>; pods: Map<string, number>; services: Map<string, number> }, scope: NamespaceScope): Fact[] {
  return namespaces.filter((ns) => audited(ns, scope)).map((ns) => {
    const name = ns.metadata?.name ?? '?';
    const data: NamespaceFact = { metadata: { name, labels: ns.metadata?.labels ?? {} }, networkPolicies: counts.policies.get(name) ?? 0, pods: counts.pods.get(name) ?? 0, services: counts.services.get(name) ?? 0 };
    return { kind: 'Namespace', name, data };
  });
}

const countBy = (items: ReadonlyArray<{ metadata?: { namespace?: string } }>, skip: (item: { metadata?: { namespace?: string; name?: string } }) => boolean = () => false): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const item of items) {
    if (skip(item)) continue;
    const ns = item.metadata?.namespace ?? '';
    counts.set(ns, (counts.get(ns) ?? 0) + 1);
  }
  return counts;
};

export function namespacesCollector(scope: NamespaceScope): Collector {
  return {
    description: 'list Namespaces, NetworkPolicies, Pods and Services',
    async collect(clients: ClusterClients): Promise<Fact[]> {
      const [namespaces, policies, pods, services] = await Promise.all([
        clients.core.listNamespace(),
        clients.networking.listNetworkPolicyForAllNamespaces(),
        clients.core.listPodForAllNamespaces(),
        clients.core.listServiceForAllNamespaces(),
      ]);
      return namespaceFacts(namespaces.items, {
        policies: countBy(policies.items),
        pods: countBy(pods.items),
        services: countBy(services.items, (s) => s.metadata?.namespace === 'default' && s.metadata.name === 'kubernetes'),
      }, scope);
    },
  };
}

/** A pod fact's data: the pod, plus the Pod Security level its namespace enforces ("none" when
 *  unlabelled), since a namespace labelled privileged admits host access by decision. */
export type PodFact = V1Pod & { podSecurityLevel: string };

export function podFacts(pods: readonly V1Pod[], levels: ReadonlyMap<string, string>): Fact[] {
  return pods
    .filter((p) => levels.has(p.metadata?.namespace ?? ''))
    .map((p) => {
      const namespace = p.metadata?.namespace ?? '?';
      const data: PodFact = { ...p, podSecurityLevel: levels.get(namespace) ?? 'none' };
      return { kind: 'Pod', name: p.metadata?.name ?? '?', namespace, data };
    });
}

export function podsCollector(scope: NamespaceScope): Collector {
  return {
    description: 'list Pods of the audited namespaces',
    async collect(clients: ClusterClients): Promise<Fact[]> {
      const [namespaces, pods] = await Promise.all([clients.core.listNamespace(), clients.core.listPodForAllNamespaces()]);
      const levels = new Map(namespaces.items.filter((ns) => audited(ns, scope)).map((ns) => [ns.metadata?.name ?? '', ns.metadata?.labels?.[ENFORCE_LABEL] ?? 'none']));
      return podFacts(pods.items, levels);
    },
  };
}

/** Data of one `access-reviews` fact: what a group may do cluster-wide. */
export interface GroupAccess {
  group: string;
  secrets: { get: boolean; list: boolean; watch: boolean };
  pods: { create: boolean };
}

export type AccessReview = (group: string, verb: string, resource: string) => Promise<boolean>;

export function sarReview(clients: ClusterClients): AccessReview {
  return async (group, verb, resource) => {
    const review = await clients.authz.createSubjectAccessReview({
      body: { spec: { user: REVIEW_USER, groups: [group], resourceAttributes: { verb, resource, group: '' } } },
    });
    return review.status?.allowed === true;
  };
}

/** The groups CIS 5.1.2 and 5.1.4 ask about: every authenticated identity, every service
 *  account, and the service accounts of each audited namespace. */
export function reviewedGroups(namespaces: readonly string[]): string[] {
  return ['system:authenticated', 'system:unauthenticated', 'system:serviceaccounts', ...namespaces.map((ns) => `system:serviceaccounts:${ns}`)];
}

export async function groupAccess(groups: readonly string[], review: AccessReview, concurrency: number): Promise<Fact[]> {
  return mapBounded(groups, concurrency, async (group): Promise<Fact> => {
    const [get, list, watch, create] = await Promise.all([review(group, 'get', 'secrets'), review(group, 'list', 'secrets'), review(group, 'watch', 'secrets'), review(group, 'create', 'pods')]);
    const data: GroupAccess = { group, secrets: { get, list, watch }, pods: { create } };
    return { kind: 'Group', name: group, data };
  });
}

export function accessCollector(scope: NamespaceScope, concurrency: number, review?: AccessReview): Collector {
  return {
    description: 'ask the API server (SubjectAccessReview) what each group may do with secrets and pods',
    async collect(clients: ClusterClients): Promise<Fact[]> {
      const namespaces = (await clients.core.listNamespace()).items.filter((ns) => audited(ns, scope)).map((ns) => ns.metadata?.name ?? '');
      return groupAccess(reviewedGroups(namespaces), review ?? sarReview(clients), concurrency);
    },
  };
}
