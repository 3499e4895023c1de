// Does a node satisfy a PersistentVolume's node affinity? The same rules the scheduler applies
// (terms ORed, expressions within a term ANDed, an empty term matches nothing), so the check can
// show that the pods using a volume ran where the volume can be attached.
import type { V1NodeSelectorRequirement, V1NodeSelectorTerm, V1VolumeNodeAffinity } from '@kubernetes/client-node';

export interface NodeFacts {
  name: string;
  labels: Record<string, string>;
}

/** Zone label keys, newest first: the GA key, the deprecated beta key, and keys CSI drivers
 *  put on their volumes' affinity. */
export const ZONE_KEYS = ['topology.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/zone', 'topology.ebs.csi.aws.com/zone', 'topology.gke.io/zone'];

export function zoneOfNode(labels: Record<string, string>): string | undefined {
  return labels['topology.kubernetes.io/zone'] ?? labels['failure-domain.beta.kubernetes.io/zone'];
}

function requirementMatches(req: V1NodeSelectorRequirement, value: string | undefined): boolean {
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      const bound = Number.parseInt(values[0] ?? '', 10);
      const actual = value === undefined ? Number.NaN : Number.parseInt(value, 10);
      if (!Number.isInteger(bound) || !Number.isInteger(actual)) return false;
      return req.operator === 'Gt' ? actual > bound : actual < bound;
    }
    default:
      return false;
  }
}

export function termMatches(term: V1NodeSelectorTerm, node: NodeFacts): boolean {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return false;
  return (
    expressions.every((req) => requirementMatches(req, node.labels[req.key])) &&
    // metadata.name is the only field a node selector may match.
    fields.every((req) => requirementMatches(req, req.key === 'metadata.name' ? node.name : undefined))
  );
}

function describeRequirement(req: V1NodeSelectorRequirement): string {
  const values = req.values ?? [];
  return values.length > 0 ? `${req.key} ${req.operator} [${values.join(', ')}]` : `${req.key} ${req.operator}`;
}

export function describeAffinity(affinity: V1VolumeNodeAffinity | undefined): string {
  const terms = affinity?.required?.nodeSelectorTerms;
  if (terms === undefined) return 'none';
  return terms.map((t) => [...(t.matchExpressions ?? []), ...(t.matchFields ?? [])].map(describeRequirement).join(' and ') || '(empty term)').join(' or ');
}

export interface AffinityVerdict {
  matches: boolean;
  /** Human-readable: what the volume requires and what the node has. */
  reason: string;
}

export function nodeMatchesVolumeAffinity(affinity: V1VolumeNodeAffinity | undefined, node: NodeFacts): AffinityVerdict {
  const terms = affinity?.required?.nodeSelectorTerms;
  if (terms === undefined) return { matches: true, reason: 'the volume has no node affinity: every node can use it' };
  const matches = terms.some((term) => termMatches(term, node));
  const zone = zoneOfNode(node.labels);
  const where = `node ${node.name}${zone === undefined ? '' : ` (zone ${zone})`}`;
  return {
    matches,
    reason: matches ? `${where} satisfies the volume's affinity ${describeAffinity(affinity)}` : `${where} does not satisfy the volume's affinity ${describeAffinity(affinity)}`,
  };
}

/** Zones a volume is confined to by its affinity (values of `In` requirements on zone keys). */
export function volumeZones(affinity: V1VolumeNodeAffinity | undefined): string[] {
  const zones = new Set<string>();
  for (const term of affinity?.required?.nodeSelectorTerms ?? []) {
    for (const req of term.matchExpressions ?? []) {
      if (req.operator === 'In' && ZONE_KEYS.includes(req.key)) for (const v of req.values ?? []) zones.add(v);
    }
  }
  return [...zones];
}
