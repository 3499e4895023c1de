// What the storage catalogue (suites/storage/checks.yaml) needs from code: the StorageClass
// collector, and the two predicates data cannot say: "exactly one default across all classes"
// (a rule over the set) and the EBS IOPS rules (per-type ratio ceilings, quoting, and parameter
// keys the driver reads case-insensitively). Type-in-list and binding-mode rules are data.
import type { V1StorageClass } from '@kubernetes/client-node';
import { listCollector, type Collectors } from '../checks/sources.js';
import type { Fact, Finding, Offence, Predicates } from '../checks/types.js';
import { auditDefaultClass, className, DEFAULT_CLASS_ANNOTATION, isDefaultClass } from './class-audit.js';
import { EBS_VOLUME_TYPES, isEbsProvisioner, validateEbsParameters } from './ebs.js';
import { listStorageClasses } from './facts.js';

export const storageCollectors: Collectors = {
  storageclasses: listCollector('StorageClass', 'list StorageClasses', listStorageClasses),
};

/** Facts of the storageclasses collector carry V1StorageClass data (from the API, or a fixture). */
function storageClassOf(fact: Fact): V1StorageClass {
  return fact.data as V1StorageClass;
}

const defaultField = `metadata.annotations[${JSON.stringify(DEFAULT_CLASS_ANNOTATION)}]`;

function exactlyOneDefault(facts: readonly Fact[]): { message?: string; offences: Offence[] } {
  const classes = facts.map(storageClassOf);
  const verdict = auditDefaultClass(classes);
  if (verdict.ok) return { message: verdict.message, offences: [] };
  if (verdict.defaults.length === 0) {
    return { message: verdict.message, offences: [{ object: `all ${classes.length} StorageClass(es)`, field: defaultField, seen: 'no class marked "true"', expected: 'exactly one class marked "true"', severity: 'fail' }] };
  }
  const offences = classes.filter(isDefaultClass).map((sc): Offence => ({
    object: className(sc),
    field: defaultField,
    seen: `"true" (${verdict.defaults.length} classes)`,
    expected: 'exactly one class marked "true"',
    severity: 'fail',
  }));
  return { message: verdict.message, offences };
}

function expectedOf(parameter: string | undefined): string {
  if (parameter === undefined) return 'each parameter given once';
  if (parameter.toLowerCase() === 'iopspergb') return 'a quoted whole number within the type\'s IOPS-per-GiB ratio';
  if (parameter.toLowerCase() === 'type') return `one of ${EBS_VOLUME_TYPES.join(', ')}`;
  return 'a valid value';
}

/** The EBS findings the catalogue's data rules do not make: the data rules judge the key spelt
 *  `type`; everything about iopsPerGB/iops and about keys spelt otherwise comes from here. */
function ebsProvisionedIops(fact: Fact): Finding[] {
  const sc = storageClassOf(fact);
  if (!isEbsProvisioner(sc.provisioner)) return [];
  return validateEbsParameters(sc.provisioner, sc.parameters)
    .filter((f) => f.severity !== 'info' && f.parameter !== 'type')
    .map((f) => {
      const value = f.parameter === undefined ? undefined : sc.parameters?.[f.parameter];
      return {
        field: f.parameter === undefined ? 'parameters' : `parameters.${f.parameter}`,
        seen: value === undefined ? 'unset' : JSON.stringify(value),
        expected: expectedOf(f.parameter),
        severity: f.severity === 'warn' ? 'warn' : 'fail',
        because: f.message,
      };
    });
}

export const storagePredicates: Predicates = {
  'exactly-one-default-class': { scope: 'set', check: exactlyOneDefault },
  'ebs-provisioned-iops': { scope: 'object', check: ebsProvisionedIops },
};
