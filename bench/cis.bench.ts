// `npm run bench -- cis`: the cis suite's policy audit without a cluster, on synthetic objects:
// 5,000 pods in 100 namespaces and 2,000 RBAC objects (500 each of ClusterRoles, Roles,
// ClusterRoleBindings, RoleBindings). Builds the facts as the collectors do (bindings resolved
// to their roles, pods with their namespace's level) and judges every policy entry of the
// shipped cis-generic catalogue, 3 times. Prints wall time and peak RSS against the issue's
// targets (under 20 s, under 200 MB); measures, asserts nothing.
import type { V1ClusterRole, V1ClusterRoleBinding, V1Namespace, V1Pod, V1Role, V1RoleBinding } from '@kubernetes/client-node';
import { loadCisCatalogues, cisPredicates } from '../src/cis/checks.js';
import { namespaceFacts, podFacts } from '../src/cis/policies.js';
import { bindingFacts } from '../src/cis/rbac.js';
import { evaluateEntry } from '../src/checks/engine.js';
import type { Fact } from '../src/checks/types.js';
import { median, runBench } from './stats.js';

const PODS = 5_000;
const NAMESPACES = 100;
const EACH_RBAC = 500;
const RUNS = Number(process.env.KUBE_ASSAY_BENCH_RUNS ?? 3);

function pods(): V1Pod[] {
  return Array.from({ length: PODS }, (_, i) => ({
    metadata: { name: `pod-${i}`, namespace: `ns-${i % NAMESPACES}` },
    spec: {
      hostNetwork: i % 211 === 0,
      hostPID: i % 307 === 0,
      volumes: i % 101 === 0 ? [{ name: 'h', hostPath: { path: '/var/log' } }] : [{ name: 'e', emptyDir: {} }],
      securityContext: i % 3 === 0 ? {} : { seccompProfile: { type: 'RuntimeDefault' } },
      initContainers: i % 5 === 0 ? [{ name: 'init', image: 'x', securityContext: { allowPrivilegeEscalation: false } }] : undefined,
      containers: Array.from({ length: 1 + (i % 3) }, (_, c) => ({
        name: `c${c}`,
        image: 'registry.example.com/app',
        env: i % 13 === 0 ? [{ name: 'T', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] : [{ name: 'A', value: '1' }],
        ports: [{ containerPort: 8080, ...(i % 401 === 0 ? { hostPort: 8080 } : {}) }],
        securityContext: { privileged: i % 499 === 0, allowPrivilegeEscalation: i % 7 === 0 ? undefined : false, capabilities: { drop: ['ALL'], ...(i % 53 === 0 ? { add: ['NET_RAW'] } : {}) } },
      })),
    },
  }));
}

function rbac(): { clusterRoles: V1ClusterRole[]; roles: V1Role[]; clusterRoleBindings: V1ClusterRoleBinding[]; roleBindings: V1RoleBinding[] } {
  const rules = (i: number) => [
    { apiGroups: [''], resources: ['pods', 'services', i % 17 === 0 ? 'nodes/proxy' : 'configmaps'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: ['apps'], resources: ['deployments'], verbs: i % 23 === 0 ? ['*'] : ['get', 'update'] },
    ...(i % 29 === 0 ? [{ apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] }] : []),
  ];
  const builtIn = (i: number): Record<string, string> => (i % 4 === 0 ? { 'kubernetes.io/bootstrapping': 'rbac-defaults' } : {});
  const ref = (kind: string, name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind, name });
  return {
    clusterRoles: Array.from({ length: EACH_RBAC }, (_, i) => ({ metadata: { name: `cr-${i}`, labels: builtIn(i) }, rules: rules(i) })),
    roles: Array.from({ length: EACH_RBAC }, (_, i) => ({ metadata: { name: `r-${i}`, namespace: `ns-${i % NAMESPACES}` }, rules: rules(i + 1) })),
    clusterRoleBindings: Array.from({ length: EACH_RBAC }, (_, i) => ({
      metadata: { name: `crb-${i}`, labels: builtIn(i) },
      roleRef: ref('ClusterRole', i % 97 === 0 ? 'cluster-admin' : `cr-${i}`),
      subjects: [{ kind: 'ServiceAccount', name: `sa-${i}`, namespace: `ns-${i % NAMESPACES}` }],
    })),
    roleBindings: Array.from({ length: EACH_RBAC }, (_, i) => ({
      metadata: { name: `rb-${i}`, namespace: `ns-${i % NAMESPACES}` },
      roleRef: i % 2 === 0 ? ref('Role', `r-${i}`) : ref('ClusterRole', `cr-${i}`),
      subjects: [{ kind: 'User', name: `user-${i}` }],
    })),
  };
}

function namespaces(): V1Namespace[] {
  const labels = (i: number): Record<string, string> => (i % 10 === 0 ? {} : { 'pod-security.kubernetes.io/enforce': 'baseline' });
  return Array.from({ length: NAMESPACES }, (_, i) => ({ metadata: { name: `ns-${i}`, labels: labels(i) } }));
}

async function main(): Promise<number> {
  const catalogue = loadCisCatalogues()['cis-generic'];
  const entries = catalogue.entries.filter((e) => ['rbac-bindings', 'pods', 'namespaces'].includes(e.source));
  const objects = { pods: pods(), rbac: rbac(), namespaces: namespaces() };
  const times: number[] = [];
  let offences = 0;
  for (let run = 1; run <= RUNS; run++) {
    const started = process.hrtime.bigint();
    const levels = new Map(objects.namespaces.map((n) => [n.metadata?.name ?? '', n.metadata?.labels?.['pod-security.kubernetes.io/enforce'] ?? 'none']));
    const facts: Record<string, Fact[]> = {
      'rbac-bindings': bindingFacts(objects.rbac, []),
      pods: podFacts(objects.pods, levels),
      namespaces: namespaceFacts(objects.namespaces, { policies: new Map(), pods: new Map([['ns-1', 50]]), services: new Map() }, { excluded: [] }),
    };
    offences = entries.reduce((sum, entry) => sum + evaluateEntry(entry, facts[entry.source] ?? [], cisPredicates).offences.length, 0);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    times.push(ms);
    console.log(`run ${run}/${RUNS}: ${ms.toFixed(0)} ms, ${offences} offences`);
  }
  const rssMiB = process.resourceUsage().maxRSS / 1024;
  console.log('');
  console.log(`cis policy audit: ${entries.length} checks over ${PODS} pods, ${4 * EACH_RBAC} RBAC objects, ${NAMESPACES} namespaces x${RUNS}`);
  console.log(`  median wall time: ${median(times).toFixed(0)} ms (target < 20000 ms)`);
  console.log(`  offences found  : ${offences}`);
  console.log(`  peak RSS        : ${rssMiB.toFixed(0)} MiB (target < 200 MiB)`);
  return 0;
}

runBench(main);
