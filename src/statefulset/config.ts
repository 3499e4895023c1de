// The statefulset suite's config section (declared with the suite in suites/statefulset/suite.ts).
import { settingsOf, type SuiteConfigSection, type SuiteSource } from '../harness/suite-definition.js';
import { DEFAULT_VOLUME_SIZE } from '../storage/claims.js';
import { sizeProperty } from '../storage/config.js';

export interface StatefulSetConfig {
  /** StorageClass of the volumeClaimTemplate; undefined means the cluster's default class. */
  storageClass?: string;
  /** Requested size of each replica's volume (Kubernetes quantity). */
  size: string;
}

export const STATEFULSET_CONFIG: SuiteConfigSection<StatefulSetConfig> = {
  description: 'Options of the statefulset suite.',
  properties: {
    storageClass: {
      description: "StorageClass of the StatefulSet's volumeClaimTemplate (default: the cluster's default class).",
      type: 'string',
      minLength: 1,
    },
    size: sizeProperty(`Requested size of each replica's volume as a Kubernetes quantity (default: ${DEFAULT_VOLUME_SIZE}).`),
  },
  resolve: (section) => ({
    storageClass: typeof section.storageClass === 'string' ? section.storageClass : undefined,
    size: typeof section.size === 'string' ? section.size : DEFAULT_VOLUME_SIZE,
  }),
};

export function statefulSetSettings(source: SuiteSource): StatefulSetConfig {
  return settingsOf(source, 'statefulset', STATEFULSET_CONFIG);
}
