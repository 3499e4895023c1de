// StorageClass audit, pure: which class is the default (exactly one should be), and per class
// whether its parameters suit its provisioner, whether topology-bound volumes wait for their
// first consumer, and what happens to volumes (reclaim policy, expansion).
import type { V1StorageClass } from '@kubernetes/client-node';
import { isEbsProvisioner, validateEbsParameters, type Finding } from './ebs.js';

export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
/** Still honoured by the DefaultStorageClass admission plugin, but deprecated. */
export const BETA_DEFAULT_CLASS_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class';

export function className(sc: V1StorageClass): string {
  return sc.metadata?.name ?? '?';
}

/** The admission plugin compares the annotation with exactly "true". */
export function isDefaultClass(sc: V1StorageClass): boolean {
  const a = sc.metadata?.annotations ?? {};
  return a[DEFAULT_CLASS_ANNOTATION] === 'true' || a[BETA_DEFAULT_CLASS_ANNOTATION] === 'true';
}

function created(sc: V1StorageClass): number {
  const t = sc.metadata?.creationTimestamp;
  return t === undefined ? 0 : new Date(t).getTime();
}

export interface DefaultClassVerdict {
  ok: boolean;
  /** Names of the classes marked default, oldest first. */
  defaults: string[];
  message: string;
}

export function auditDefaultClass(classes: readonly V1StorageClass[]): DefaultClassVerdict {
  const all = classes.map(className);
  const defaults = classes.filter(isDefaultClass).sort((a, b) => created(a) - created(b));
  const names = defaults.map(className);
  if (classes.length === 0) {
    return { ok: false, defaults: [], message: 'the cluster has no StorageClass: claims can only bind to PersistentVolumes created by hand, so dynamic provisioning is impossible' };
  }
  if (defaults.length === 0) {
    return {
      ok: false,
      defaults: [],
      message: `none of the ${all.length} StorageClass(es) (${all.join(', ')}) is the default (annotation ${DEFAULT_CLASS_ANNOTATION}: "true"): claims that name no class stay Pending`,
    };
  }
  if (defaults.length > 1) {
    return {
      ok: false,
      defaults: names,
      message: `${defaults.length} StorageClasses are marked default (${names.join(', ')}), expected exactly one: claims that name no class silently get the newest (${names[names.length - 1] ?? '?'})`,
    };
  }
  const only = defaults[0] as V1StorageClass;
  const beta = only.metadata?.annotations?.[DEFAULT_CLASS_ANNOTATION] !== 'true';
  return {
    ok: true,
    defaults: names,
    message: `${className(only)} is the only default class${beta ? ` (marked only by the deprecated ${BETA_DEFAULT_CLASS_ANNOTATION})` : ''}`,
  };
}

/** Provisioners whose volumes can be used only from some nodes (one zone, or one node). With
 *  Immediate binding the volume is created before the scheduler has picked a node, possibly
 *  where the pod cannot run. */
export const TOPOLOGY_BOUND_PROVISIONERS: Readonly<Record<string, string>> = {
  'kubernetes.io/aws-ebs': 'EBS volumes live in one availability zone',
  'ebs.csi.aws.com': 'EBS volumes live in one availability zone',
  'kubernetes.io/gce-pd': 'persistent disks are zonal',
  'pd.csi.storage.gke.io': 'persistent disks are zonal',
  'kubernetes.io/azure-disk': 'managed disks are zonal',
  'disk.csi.azure.com': 'managed disks are zonal',
  'rancher.io/local-path': 'volumes are directories on one node',
  'kubernetes.io/no-provisioner': 'local volumes belong to one node',
};

export interface ClassAudit {
  name: string;
  provisioner: string;
  isDefault: boolean;
  reclaimPolicy: string;
  bindingMode: string;
  allowsExpansion: boolean;
  findings: Finding[];
}

export function auditStorageClass(sc: V1StorageClass): ClassAudit {
  const provisioner = sc.provisioner;
  const bindingMode = sc.volumeBindingMode ?? 'Immediate';
  const findings: Finding[] = [];
  if (isEbsProvisioner(provisioner)) findings.push(...validateEbsParameters(provisioner, sc.parameters));
  const why = TOPOLOGY_BOUND_PROVISIONERS[provisioner] ?? ((sc.allowedTopologies?.length ?? 0) > 0 ? 'the class restricts allowedTopologies' : undefined);
  if (why !== undefined && bindingMode !== 'WaitForFirstConsumer') {
    findings.push({
      severity: 'warn',
      message: `volumeBindingMode is ${bindingMode} although ${why}: the volume is created before the pod is scheduled and may land where the pod cannot run; use WaitForFirstConsumer`,
    });
  }
  if (provisioner === 'kubernetes.io/no-provisioner') {
    findings.push({ severity: 'info', message: 'kubernetes.io/no-provisioner never provisions: only PersistentVolumes created by hand bind' });
  }
  const reclaimPolicy = sc.reclaimPolicy ?? 'Delete';
  if (reclaimPolicy === 'Retain') {
    findings.push({ severity: 'info', message: 'reclaim policy Retain: volumes outlive their claims and must be deleted by hand' });
  }
  return { name: className(sc), provisioner, isDefault: isDefaultClass(sc), reclaimPolicy, bindingMode, allowsExpansion: sc.allowVolumeExpansion === true, findings };
}

export const CLASS_TABLE_COLUMNS = ['class', 'default', 'provisioner', 'reclaim policy', 'binding mode', 'expansion', 'findings'];

export function classTableRow(a: ClassAudit): string[] {
  const findings = a.findings.map((f) => `${f.severity}: ${f.message}`).join('\n');
  return [a.name, a.isDefault ? 'yes' : '', a.provisioner, a.reclaimPolicy, a.bindingMode, a.allowsExpansion ? 'allowed' : 'not allowed', findings || 'ok'];
}

/** One line per finding of a given severity, prefixed with the class name. */
export function findingsOf(audits: readonly ClassAudit[], severity: Finding['severity']): string[] {
  return audits.flatMap((a) => a.findings.filter((f) => f.severity === severity).map((f) => `${a.name}: ${f.message}`));
}
