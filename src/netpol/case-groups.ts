// Failing generated cases, grouped by what they have in common, so that forty failures read as
// "every case with a named port that resolves on no pod" instead of forty tables. A trait is
// one dimension value (e.g. port kind named-unserved), a named family of values (both
// unresolvable named-port kinds), or two of those at once. A group is reported when EVERY case
// with the trait failed;
// failures no such group explains are listed as "other". Pure, so unit-tested.
import { ACTION_KINDS, DIRECTION_KINDS, PEER_KINDS, PORT_KINDS, PORT_WORDS, PROTOCOL_ORDER, TARGET_KINDS, type CaseDimensions } from './generator.js';

export interface CaseTrait {
  key: string;
  words: string;
  has: (d: CaseDimensions) => boolean;
}

const FAMILIES: CaseTrait[] = [
  {
    key: 'port=unresolvable-named',
    words: 'a named port that resolves on no destination pod (no container port of that name, or only on the other protocol)',
    has: (d) => d.port === 'named-unserved' || d.port === 'named-wrong-protocol',
  },
  { key: 'port=named', words: 'a named port', has: (d) => d.port.startsWith('named') },
  { key: 'peer=ip-block-any', words: 'an ipBlock peer (with or without except)', has: (d) => d.peer.startsWith('ip-block') },
  { key: 'peer=named', words: 'a rule that names its peers (selectors or ipBlock)', has: (d) => d.peer !== 'any-peer' },
];

const PEER_TRAIT_WORDS: Record<(typeof PEER_KINDS)[number], string> = {
  'pod-selector': 'a podSelector peer',
  'namespace-selector': 'a namespaceSelector peer',
  'pod-and-namespace-selector': 'a peer with namespaceSelector AND podSelector',
  'ip-block': 'an ipBlock peer',
  'ip-block-except': 'an ipBlock peer with except',
  'any-peer': 'a rule open to any peer',
};

function dimensionTraits(): CaseTrait[] {
  const traits: CaseTrait[] = [];
  for (const port of PORT_KINDS) traits.push({ key: `port=${port}`, words: PORT_WORDS[port], has: (d) => d.port === port });
  for (const peer of PEER_KINDS) traits.push({ key: `peer=${peer}`, words: PEER_TRAIT_WORDS[peer], has: (d) => d.peer === peer });
  for (const direction of DIRECTION_KINDS) traits.push({ key: `direction=${direction}`, words: `direction ${direction}`, has: (d) => d.direction === direction });
  for (const target of TARGET_KINDS) traits.push({ key: `target=${target}`, words: `target ${target}`, has: (d) => d.target === target });
  for (const action of ACTION_KINDS) traits.push({ key: `action=${action}`, words: `action ${action}`, has: (d) => d.action === action });
  for (const protocol of PROTOCOL_ORDER) traits.push({ key: `protocol=${protocol}`, words: `protocol ${protocol}`, has: (d) => d.protocol === protocol });
  return traits;
}

/** Dimension values first: where a family explains exactly the same cases, the plainer trait is named. */
export const CASE_TRAITS: readonly CaseTrait[] = [...dimensionTraits(), ...FAMILIES];

/** Both traits at once, e.g. "a named port that resolves on no pod and a rule that names its peers". */
function conjunction(a: CaseTrait, b: CaseTrait): CaseTrait {
  return { key: `${a.key}+${b.key}`, words: `${a.words} and ${b.words}`, has: (d) => a.has(d) && b.has(d) };
}

export interface CaseOutcome {
  id: string;
  dimensions: CaseDimensions;
  failed: boolean;
}

export interface FailureGroup {
  trait: CaseTrait;
  /** Failing case IDs with the trait (all cases with it, for a complete group). */
  cases: string[];
  /** How many cases of the run have the trait. */
  total: number;
}

export interface GroupedFailures {
  /** Complete groups, largest first, each explaining failures no earlier group explained. */
  groups: FailureGroup[];
  /** Failing cases no complete group explains. */
  other: string[];
  failed: number;
  total: number;
}

/**
 * Greedy cover: repeatedly take the complete trait (every case with it failed, at least two
 * such cases) explaining the most failures not yet explained; ties go to the earlier trait. What remains is `other`.
 */
export function groupFailures(outcomes: readonly CaseOutcome[], traits: readonly CaseTrait[] = CASE_TRAITS): GroupedFailures {
  const failing = outcomes.filter((o) => o.failed);
  // Single traits first, then pairs: a pair is named only where no single trait explains as much.
  const pairs: CaseTrait[] = [];
  for (const [i, a] of traits.entries()) for (const b of traits.slice(i + 1)) pairs.push(conjunction(a, b));
  const complete = [...traits, ...pairs]
    .map((trait) => {
      const withTrait = outcomes.filter((o) => trait.has(o.dimensions));
      return { trait, withTrait };
    })
    .filter(({ withTrait }) => withTrait.length >= 2 && withTrait.every((o) => o.failed))
    .map(({ trait, withTrait }) => ({ trait, cases: withTrait.map((o) => o.id), total: withTrait.length }));
  const explained = new Set<string>();
  const groups: FailureGroup[] = [];
  for (;;) {
    let best: FailureGroup | undefined;
    let bestGain = 0;
    for (const group of complete) {
      const gain = group.cases.filter((id) => !explained.has(id)).length;
      if (gain > bestGain) {
        best = group;
        bestGain = gain;
      }
    }
    if (best === undefined) break;
    groups.push(best);
    for (const id of best.cases) explained.add(id);
  }
  return { groups, other: failing.map((o) => o.id).filter((id) => !explained.has(id)), failed: failing.length, total: outcomes.length };
}

/** `every case with a named port that resolves on no destination pod failed (4 of 4)`. */
export function groupSentence(group: FailureGroup): string {
  return `every case with ${group.trait.words} failed (${group.cases.length} of ${group.total})`;
}

/** The grouped failures as text: one line per group, then the others. */
export function formatGroupedFailures(grouped: GroupedFailures): string {
  const lines = [`${grouped.failed} of ${grouped.total} generated cases differ from the policies.`];
  for (const group of grouped.groups) lines.push(`- ${groupSentence(group)}: ${group.cases.join(', ')}`);
  if (grouped.other.length > 0) lines.push(`- ${grouped.groups.length > 0 ? 'other failing cases' : 'failing cases with nothing in common'} (${grouped.other.length}): ${grouped.other.join(', ')}`);
  return lines.join('\n');
}
