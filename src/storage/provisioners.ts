// Where known provisioners run, so a stuck claim can be blamed on "no provisioner running" or
// "provisioner down" by looking at their pods. Unknown provisioners are judged by whether a
// CSIDriver of that name is registered and whether anything acted on the claim.

export interface KnownProvisioner {
  /** Provisioner names served by it (a StorageClass's `provisioner`). */
  names: string[];
  /** Label selector of its controller pods, searched in every namespace. */
  podSelector: string;
  /** What runs it, for messages. */
  runs: string;
}

export const KNOWN_PROVISIONERS: readonly KnownProvisioner[] = [
  { names: ['rancher.io/local-path'], podSelector: 'app=local-path-provisioner', runs: 'the local-path-provisioner Deployment' },
  {
    names: ['ebs.csi.aws.com', 'kubernetes.io/aws-ebs'],
    podSelector: 'app=ebs-csi-controller',
    // In-tree aws-ebs classes are served by the CSI driver through CSI migration.
    runs: 'the ebs-csi-controller Deployment of the EBS CSI driver',
  },
  { names: ['efs.csi.aws.com'], podSelector: 'app=efs-csi-controller', runs: 'the efs-csi-controller Deployment of the EFS CSI driver' },
];

export function knownProvisioner(name: string): KnownProvisioner | undefined {
  return KNOWN_PROVISIONERS.find((p) => p.names.includes(name));
}

/** `a=b,c=d` as a map; the selectors above use equality terms only. */
export function parseEqualitySelector(selector: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const term of selector.split(',')) {
    const [key, value] = term.split('=');
    if (key !== undefined && value !== undefined && key.trim() !== '') out[key.trim()] = value.trim();
  }
  return out;
}

/** True when a workload's matchLabels select at least the selector's pods (same key/values). */
export function selectorCovers(matchLabels: Record<string, string> | undefined, selector: string): boolean {
  if (matchLabels === undefined) return false;
  const wanted = parseEqualitySelector(selector);
  const keys = Object.keys(wanted);
  return keys.length > 0 && keys.every((k) => matchLabels[k] === wanted[k]);
}
