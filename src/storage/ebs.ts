// Validation of EBS StorageClass parameters (in-tree kubernetes.io/aws-ebs and the EBS CSI
// driver ebs.csi.aws.com). Pure: it sees only the provisioner name and the parameters map, so
// the same rules apply to a live class and to a manifest read from a file (where a YAML number
// can still appear before the API server would reject it).

export type Severity = 'fail' | 'warn' | 'info';

export interface Finding {
  severity: Severity;
  message: string;
  /** The parameter key the finding is about, as the class spells it (absent for findings about
   *  several keys), so the check engine can tell findings its data rules already make. */
  parameter?: string;
}

export const EBS_PROVISIONERS = ['kubernetes.io/aws-ebs', 'ebs.csi.aws.com'] as const;

/** Volume types a class may ask for: general purpose SSD (gp2, gp3), provisioned IOPS SSD
 *  (io1, io2), throughput HDD (st1) and cold HDD (sc1). `standard` (previous-generation
 *  magnetic) is deliberately not accepted. */
export const EBS_VOLUME_TYPES = ['gp2', 'gp3', 'io1', 'io2', 'st1', 'sc1'] as const;

/** Largest IOPS-per-GiB ratio AWS accepts, per type that takes provisioned IOPS.
 *  io1: 50 IOPS per GiB (AWS EBS volume types documentation; aws-ebs-csi-driver
 *  pkg/cloud/cloud.go `io1MaxIOPSPerGB = 50`).
 *  io2: 1000 IOPS per GiB: every io2 volume is now io2 Block Express, whose ratio is 1000:1
 *  (AWS EBS documentation; aws-ebs-csi-driver pkg/cloud/cloud.go `io2MaxIOPSPerGB = 1000`, which
 *  was 500 before io2 became Block Express; EC2 itself rejects "greater than ... 1000:1 IOPS:GB
 *  ratio").
 *  gp3: 500 IOPS per GiB (aws-ebs-csi-driver `gp3MaxIOPSPerGB = 500`). */
export const MAX_IOPS_PER_GIB: Readonly<Record<string, number>> = { io1: 50, io2: 1000, gp3: 500 };

/** Types for which iopsPerGB (or, with the CSI driver, iops) must be given. */
const PROVISIONED_IOPS_TYPES = ['io1', 'io2'];

const DEFAULT_TYPE: Record<string, string> = { 'ebs.csi.aws.com': 'gp3', 'kubernetes.io/aws-ebs': 'gp2' };

export function isEbsProvisioner(provisioner: string): boolean {
  return (EBS_PROVISIONERS as readonly string[]).includes(provisioner);
}

/** Both the in-tree plugin and the CSI driver read parameter keys case-insensitively. */
function lookup(parameters: Record<string, unknown>, key: string): { key: string; value: unknown }[] {
  return Object.entries(parameters)
    .filter(([k]) => k.toLowerCase() === key.toLowerCase())
    .map(([k, value]) => ({ key: k, value }));
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return `"${value}"`;
  return `the ${typeof value} ${JSON.stringify(value)}`;
}

export function validateEbsParameters(provisioner: string, parameters: Record<string, unknown> | undefined): Finding[] {
  const params = parameters ?? {};
  const findings: Finding[] = [];
  const typeEntries = lookup(params, 'type');
  const iopsPerGbEntries = lookup(params, 'iopsPerGB');
  for (const [name, entries] of [['type', typeEntries], ['iopsPerGB', iopsPerGbEntries]] as const) {
    if (entries.length > 1) findings.push({ severity: 'fail', message: `parameter ${name} is given ${entries.length} times with different spelling (${entries.map((e) => e.key).join(', ')}): the driver reads keys case-insensitively, so which one wins is undefined` });
  }

  let type: string | undefined;
  const typeEntry = typeEntries[0];
  if (typeEntry === undefined) {
    type = DEFAULT_TYPE[provisioner];
    findings.push({ severity: 'info', message: `type is not set: ${provisioner} creates ${type ?? 'its default type'} volumes` });
  } else if (typeof typeEntry.value !== 'string') {
    findings.push({ severity: 'fail', parameter: typeEntry.key, message: `type must be a quoted string, got ${describeValue(typeEntry.value)}` });
  } else if ((EBS_VOLUME_TYPES as readonly string[]).includes(typeEntry.value)) {
    type = typeEntry.value;
  } else if ((EBS_VOLUME_TYPES as readonly string[]).includes(typeEntry.value.toLowerCase())) {
    type = typeEntry.value.toLowerCase();
    findings.push({ severity: 'warn', parameter: typeEntry.key, message: `type "${typeEntry.value}" should be written in lower case ("${type}") as AWS names it` });
  } else {
    findings.push({ severity: 'fail', parameter: typeEntry.key, message: `type "${typeEntry.value}" is not an EBS volume type: use one of ${EBS_VOLUME_TYPES.join(', ')}` });
  }

  const iopsPerGb = iopsPerGbEntries[0];
  // The CSI driver also accepts a fixed `iops` instead of a ratio; the in-tree plugin does not
  // (and classes of the in-tree name are served by the CSI driver through CSI migration, which
  // passes parameters through, so the rule is the same for both names).
  const iops = lookup(params, 'iops')[0];
  if (type !== undefined && PROVISIONED_IOPS_TYPES.includes(type) && iopsPerGb === undefined) {
    if (iops === undefined) {
      findings.push({ severity: 'fail', parameter: 'iopsPerGB', message: `type ${type} needs iopsPerGB (provisioned IOPS per GiB, a quoted string such as "10", at most ${MAX_IOPS_PER_GIB[type] ?? '?'})` });
    } else {
      findings.push({ severity: 'info', parameter: iops.key, message: `type ${type} sets a fixed iops ${describeValue(iops.value)} instead of iopsPerGB` });
    }
  }
  if (iopsPerGb !== undefined) findings.push(...validateIopsPerGb(type, iopsPerGb.value).map((f) => ({ ...f, parameter: iopsPerGb.key })));
  return findings;
}

function validateIopsPerGb(type: string | undefined, value: unknown): Finding[] {
  if (typeof value !== 'string') {
    return [{ severity: 'fail', message: `iopsPerGB must be a quoted string (e.g. iopsPerGB: "10"), got ${describeValue(value)}` }];
  }
  if (!/^[1-9][0-9]*$/.test(value)) {
    return [{ severity: 'fail', message: `iopsPerGB "${value}" is not a positive whole number of IOPS per GiB` }];
  }
  if (type === undefined) return [];
  const max = MAX_IOPS_PER_GIB[type];
  if (max === undefined) {
    return [{ severity: 'warn', message: `iopsPerGB "${value}" has no effect on type ${type} (only io1, io2 and gp3 take provisioned IOPS)` }];
  }
  if (Number(value) > max) {
    return [{ severity: 'fail', message: `iopsPerGB "${value}" exceeds the ${type} maximum of ${max} IOPS per GiB: volumes of this class cannot get the IOPS it asks for` }];
  }
  return [];
}
