// Binds the cis catalogues (suites/cis/checks.<profile>.yaml) to the harness. One check per ID
// of either profile, in catalogue order; at run time each check judges the entry of the profile
// the run audits (chosen from the platform or forced in the config), and a check that profile
// does not have is skipped saying so, never passed.
import { remediationText, runCatalogueEntry, entryDetails } from '../checks/declare.js';
import { loadCatalogue, suiteCataloguePath } from '../checks/loader.js';
import { DerivedFactSource, sharedFacts, type Collectors, type Derivation } from '../checks/sources.js';
import type { Catalogue, CatalogueEntry, Predicates } from '../checks/types.js';
import { check } from '../harness/check.js';
import type { CheckContext } from '../harness/context.js';
import { cisSettings } from './config.js';
import { configzCollector, kubeletPredicates } from './kubelet.js';
import { collectKubeletFlags, flagDisagreements } from './kubelet-flags.js';
import { collectControlPlane, dataDirOwner, staticPodsCollector } from './control-plane.js';
import { collectorRan, nodeFilesCollector } from './node-files.js';
import { accessCollector, audited, namespacesCollector, podsCollector } from './policies.js';
import { violatorFindings, violatorsCollector } from './pss-violators.js';
import { rbacCollector } from './rbac.js';
import { chooseProfile, CIS_PROFILES, type CisProfile } from './profile.js';
import { cisDeadline } from './timeouts.js';

export const cisPredicates: Predicates = { ...kubeletPredicates, 'kubelet-flags-agree': { scope: 'object', check: flagDisagreements },
  'pss-violators': { scope: 'object', check: violatorFindings },
  'collector-ran': { scope: 'object', check: collectorRan },
  'data-dir-owner': { scope: 'object', check: dataDirOwner },
};

/** Sources computed from the collectors' facts: the kubelet's command line joined with its configz. */
export const CIS_DERIVED: Readonly<Record<string, Derivation>> = {
  'kubelet-flags': collectKubeletFlags,
  'control-plane': collectControlPlane,
};

/** The collectors of one run, shaped by its settings and deadlines. */
export function cisCollectors(t: CheckContext): Collectors {
  const settings = cisSettings(t);
  const scope = { excluded: settings.excludedNamespaces };
  return {
    'kubelet-configz': configzCollector({ concurrency: settings.nodeConcurrency, nodeTimeoutMs: cisDeadline(t.timeouts, 'nodeRead').ms }),
    'rbac-bindings': rbacCollector(settings.clusterAdminAllowList),
    'access-reviews': accessCollector(scope, settings.nodeConcurrency),
    namespaces: namespacesCollector(scope),
    pods: podsCollector(scope),
    'control-plane-pods': staticPodsCollector(),
    'pss-violators': violatorsCollector({ audited: (ns) => audited(ns, scope), concurrency: settings.nodeConcurrency, timeoutMs: cisDeadline(t.timeouts, 'namespaceRelabel').ms, signal: t.signal }),
    // The namespace belongs to the first check that collects (its cleanup deletes it); the
    // facts are shared by the suite's other checks.
    'node-files': nodeFilesCollector({
      namespace: () => t.createNamespace('nodes', { podSecurity: 'privileged' }),
      image: t.probeImage,
      pullPolicy: t.config.images.pullPolicy,
      labels: t.labels({ 'app.kubernetes.io/component': 'cis-node-collector' }),
      concurrency: settings.nodeConcurrency,
      deadline: t.deadline('podStart'),
      logDeadline: cisDeadline(t.timeouts, 'nodeRead'),
      signal: t.signal,
    }),
  };
}

export const CIS_SOURCES = ['kubelet-configz', 'rbac-bindings', 'access-reviews', 'namespaces', 'pods', 'node-files', 'control-plane-pods', 'pss-violators', ...Object.keys(CIS_DERIVED)];

export type CisCatalogues = Readonly<Record<CisProfile, Catalogue>>;

export function loadCisCatalogues(): CisCatalogues {
  const load = (profile: CisProfile): Catalogue => loadCatalogue(suiteCataloguePath('cis', profile), { predicates: cisPredicates, sources: CIS_SOURCES });
  return { 'cis-generic': load('cis-generic'), 'cis-eks': load('cis-eks') };
}

/** Every ID of any profile, once, in the order the profiles list them. */
export function checkOrder(catalogues: CisCatalogues): Array<{ id: string; entries: Partial<Record<CisProfile, CatalogueEntry>> }> {
  const rows = new Map<string, Partial<Record<CisProfile, CatalogueEntry>>>();
  for (const profile of CIS_PROFILES) {
    for (const entry of catalogues[profile].entries) rows.set(entry.id, { ...rows.get(entry.id), [profile]: entry });
  }
  return [...rows.entries()].map(([id, entries]) => ({ id, entries }));
}

/** References of every profile's version of a check, so reports show all its CIS numbers. */
function mergedReferences(entries: Partial<Record<CisProfile, CatalogueEntry>>): Record<string, string[]> {
  const merged: Record<string, string[]> = {};
  for (const entry of Object.values(entries)) {
    for (const [profile, sections] of Object.entries(entry.references)) merged[profile] ??= sections;
  }
  return merged;
}

/** The entry a run judges for one check, or why it has none. */
export function entryForRun(entries: Partial<Record<CisProfile, CatalogueEntry>>, id: string, t: Pick<CheckContext, 'config' | 'timeouts' | 'cluster'>): { entry: CatalogueEntry; profile: CisProfile; reason: string } | { skip: string } {
  const choice = chooseProfile(t.cluster.platform, cisSettings(t).profile);
  const entry = entries[choice.profile];
  if (entry === undefined) return { skip: `${id} is not a recommendation of profile ${choice.profile} (${choice.reason})` };
  return { entry, profile: choice.profile, reason: choice.reason };
}

/** Declares the suite's checks. Call it inside suite(). */
export function declareCisChecks(catalogues: CisCatalogues): void {
  const shared = sharedFacts((t: CheckContext) => cisCollectors(t));
  const facts = (t: CheckContext) => new DerivedFactSource(shared(t), CIS_DERIVED);
  for (const { id, entries } of checkOrder(catalogues)) {
    const shown = (entries['cis-generic'] ?? entries['cis-eks']) as CatalogueEntry;
    const references = mergedReferences(entries);
    const described = { ...shown, references };
    check(
      id,
      shown.title,
      async (t) => {
        const chosen = entryForRun(entries, id, t);
        if ('skip' in chosen) return t.skip(chosen.skip);
        t.step(`profile ${chosen.profile} (${chosen.reason})`);
        await runCatalogueEntry(t, chosen.entry, facts(t), { predicates: cisPredicates, profiles: [chosen.profile] });
      },
      { namespace: false, retryable: true, tags: shown.tags, remediation: remediationText(described), details: entryDetails(described, cisCollectorDescriptions[shown.source]) },
    );
  }
}

const cisCollectorDescriptions: Readonly<Record<string, string>> = {
  'kubelet-configz': "every node's kubelet /configz, read through the API server (GET /api/v1/nodes/NAME/proxy/configz)",
  'rbac-bindings': 'every ClusterRoleBinding and RoleBinding, resolved to the rules of its role; built-in and kube-assay objects marked',
  'access-reviews': 'SubjectAccessReviews asking what system:authenticated, system:unauthenticated and the service account groups may do',
  namespaces: 'every namespace outside cis.excludedNamespaces and kube-assay runs, with its labels and NetworkPolicy, pod and service counts',
  pods: 'every pod of those namespaces',
  'kubelet-flags': "every node's kubelet command line (from the collector pod) next to its configz, setting by setting where both show one",
  'control-plane-pods': "kube-system's pods labelled component=kube-apiserver, kube-controller-manager, kube-scheduler or etcd (static pods)",
  'control-plane': "the API server, controller manager, scheduler and etcd as processes the collector pod saw on a node (their flags, the user each runs as, the modes and owners of the files they name, and the structure of the API server's encryption configuration: resources and provider types in order, never a key), else as static pods in kube-system (their flags)",
  'pss-violators': 'every audited namespace relabelled with server-side dry-run (its own level as another, equal version; restricted where it enforces none): the pods Pod Security admission names in its warnings; nothing is changed',
  'node-files': 'a collector pod on every node (hostPID, the host root mounted read-only, every taint tolerated, in a run namespace labelled privileged): the kubelet command line, and stat of the files it names',
};
