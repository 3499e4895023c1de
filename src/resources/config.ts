// The resources suite's config section (declared with the suite in suites/resources/suite.ts):
// which namespaces the audits judge, which of them must pin images by digest, and the region
// ECR images should come from.
import type { SuiteConfigSection } from '../harness/suite-definition.js';

export interface ResourcesConfig {
  /** Namespaces the audits judge; empty means every namespace but the excluded ones. */
  namespaces: string[];
  /** Namespaces never audited unless listed in `namespaces`. */
  excludeNamespaces: string[];
  /** Opt-in: namespaces whose containers must name their image by digest. */
  requireDigestNamespaces: string[];
  /** The region ECR images should be pulled from; default: the nodes' region label. */
  region?: string;
}

/** Namespaces of the control plane and of common add-ons (kind's and the testbed's storage
 *  provisioner lives in local-path-storage): their workloads are the platform's, not the
 *  tenants' whose declarations the audits are about. */
export const DEFAULT_EXCLUDED_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage'];

const namespaceList = (description: string): Record<string, unknown> => ({
  description,
  type: 'array',
  items: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 },
  uniqueItems: true,
});

export const RESOURCES_CONFIG: SuiteConfigSection<ResourcesConfig> = {
  description: 'Options of the resources suite (its audits of requests, limits, quotas, autoscalers and images).',
  properties: {
    namespaces: namespaceList(
      'Namespaces the audits judge. Default: every namespace except excludeNamespaces and the namespaces kube-assay itself creates during a run.',
    ),
    excludeNamespaces: namespaceList(`Namespaces the audits skip unless listed in namespaces (default: ${DEFAULT_EXCLUDED_NAMESPACES.join(', ')}).`),
    requireDigestNamespaces: namespaceList('Namespaces whose containers must name their image by digest (image@sha256:...); default: none.'),
    region: { description: 'AWS region ECR images should be pulled from (default: the nodes\' topology.kubernetes.io/region label).', type: 'string', pattern: '^[a-z]{2}(-[a-z]+)+-[0-9]+$' },
  },
  resolve: (section) => ({
    namespaces: (section.namespaces as string[] | undefined) ?? [],
    excludeNamespaces: (section.excludeNamespaces as string[] | undefined) ?? DEFAULT_EXCLUDED_NAMESPACES,
    requireDigestNamespaces: (section.requireDigestNamespaces as string[] | undefined) ?? [],
    ...(typeof section.region === 'string' ? { region: section.region } : {}),
  }),
};
