// Enforcement detection: when a CNI accepts NetworkPolicy objects but does not enforce them
// (no NetworkPolicy support, or the enforcer is down), every cell the policies must block comes
// back allowed. Dozens of mismatching cells then say less than one sentence naming the cause.
import type { Probe } from './probe.js';
import type { PolicyRef } from './simulator.js';
import type { CellComparison } from './truth-table.js';

export interface NonEnforcementFinding {
  /** The one sentence for the failing check. */
  sentence: string;
  /** The first cell that policies must block but that was allowed. */
  probe: Probe;
  /** The policy responsible for blocking that cell, when the cells carry explanations. */
  policy?: PolicyRef;
  /** How many cells the policies must block (all of which were allowed). */
  mustBlock: number;
}

/**
 * Returns a finding when at least one compared cell must be blocked and EVERY such cell with a
 * definite observation was observed allowed; undefined otherwise (including when any of them
 * was blocked: then enforcement works at least in part and the normal mismatch report applies).
 * Cells from several scenarios may be passed together; ignored (loopback), probe-failed and
 * unknown cells never count either way.
 */
export function detectNonEnforcement(cells: readonly CellComparison[]): NonEnforcementFinding | undefined {
  const mustBlock = cells.filter((c) => c.status !== 'ignored' && c.expected === 'blocked' &&
    (c.observed === 'allowed' || c.observed === 'blocked'));
  if (mustBlock.length === 0 || mustBlock.some((c) => c.observed === 'blocked')) return undefined;
  const first = mustBlock[0] as CellComparison;
  const policy = first.explanation?.blockedBy[0];
  const { from, to, port, protocol } = first.probe;
  const others = mustBlock.length - 1;
  const tail = others === 0 ? '' : `, as were all ${others} other cells the policies must block`;
  const blocker = policy ? `policy ${policy.display}` : 'the policies';
  return {
    sentence: `NetworkPolicy objects are accepted but not enforced: traffic that ${blocker} must block was allowed from ${from} to ${to} on ${port}/${protocol}${tail}.`,
    probe: first.probe,
    ...(policy ? { policy } : {}),
    mustBlock: mustBlock.length,
  };
}
