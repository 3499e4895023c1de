// The storage suite's config section (declared with the suite in suites/storage/suite.ts), and
// the quantity pattern the statefulset suite's section shares.
import type { JsonSchema, SuiteConfigSection } from '../harness/suite-definition.js';
import { DEFAULT_VOLUME_SIZE } from './claims.js';

export interface StorageConfig {
  /** Classes to test dynamic provisioning with, besides the default class. */
  classes: string[];
  /** Opt-in: grow a volume of each tested class that allows expansion. */
  expansion: boolean;
  /** Requested size of test volumes (Kubernetes quantity). */
  size: string;
}

/** A Kubernetes quantity of bytes such as 1Gi or 500Mi. */
export function sizeProperty(description: string): JsonSchema {
  return { description, type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$' };
}

export const STORAGE_CONFIG: SuiteConfigSection<StorageConfig> = {
  description: 'Options of the storage suite.',
  properties: {
    classes: {
      description: 'StorageClasses to test dynamic provisioning with, in addition to the default class.',
      type: 'array',
      items: { type: 'string', minLength: 1 },
      uniqueItems: true,
    },
    expansion: {
      description: 'Also grow a volume of each class under test that allows expansion (default: false; on clouds this creates a real, larger volume that cannot be shrunk).',
      type: 'boolean',
    },
    size: sizeProperty(`Requested size of the test volumes as a Kubernetes quantity (default: ${DEFAULT_VOLUME_SIZE}).`),
  },
  resolve: (section) => ({
    classes: (section.classes as string[] | undefined) ?? [],
    expansion: section.expansion === true,
    size: typeof section.size === 'string' ? section.size : DEFAULT_VOLUME_SIZE,
  }),
};
