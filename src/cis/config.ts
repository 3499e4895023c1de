// The cis suite's config section (declared with the suite in suites/cis/suite.ts): which
// benchmark profile to audit against, who may hold cluster-admin, which namespaces the policy
// audits leave out, and how many nodes are read at once.
import { settingsOf, type SuiteConfigSection, type SuiteSource } from '../harness/suite-definition.js';
import { CIS_PROFILES, type CisProfile } from './profile.js';

export interface CisConfig {
  /** Forced profile; `auto` picks it from the platform (EKS nodes: cis-eks, else cis-generic). */
  profile: CisProfile | 'auto';
  /** Subjects allowed to hold cluster-admin besides the built-in ones: `Kind:name` or
   *  `ServiceAccount:namespace/name`, or a ClusterRoleBinding name. */
  clusterAdminAllowList: string[];
  /** Namespaces the policy audits (pods, network policies, Pod Security) leave out. */
  excludedNamespaces: string[];
  /** Nodes whose configuration is read at the same time. */
  nodeConcurrency: number;
}

export const DEFAULT_NODE_CONCURRENCY = 20;

export const CIS_CONFIG: SuiteConfigSection<CisConfig> = {
  description: 'Options of the cis hardening suite.',
  properties: {
    profile: {
      description: 'Benchmark profile to audit against (default: auto, which picks cis-eks on EKS nodes and cis-generic elsewhere).',
      enum: ['auto', ...CIS_PROFILES],
    },
    clusterAdminAllowList: {
      description: 'Who may hold cluster-admin besides the built-in system:masters binding: ClusterRoleBinding names, or subjects as Kind:name (ServiceAccount:namespace/name).',
      type: 'array',
      items: { type: 'string', minLength: 1 },
      uniqueItems: true,
    },
    excludedNamespaces: {
      description: 'Namespaces the policy audits leave out (default: none; kube-system is audited like any other).',
      type: 'array',
      items: { type: 'string', minLength: 1 },
      uniqueItems: true,
    },
    nodeConcurrency: {
      description: `Nodes read at the same time (default: ${DEFAULT_NODE_CONCURRENCY}).`,
      type: 'integer',
      minimum: 1,
      maximum: 100,
    },
  },
  resolve: (section) => ({
    profile: (section.profile as CisProfile | 'auto' | undefined) ?? 'auto',
    clusterAdminAllowList: (section.clusterAdminAllowList as string[] | undefined) ?? [],
    excludedNamespaces: (section.excludedNamespaces as string[] | undefined) ?? [],
    nodeConcurrency: (section.nodeConcurrency as number | undefined) ?? DEFAULT_NODE_CONCURRENCY,
  }),
};

/** For code in src/cis that has a context but not the suite's declaration. */
export const cisSettings = (source: SuiteSource): CisConfig => settingsOf(source, 'cis', CIS_CONFIG);
