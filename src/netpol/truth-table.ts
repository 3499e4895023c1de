// Expected versus observed reachability as truth tables (rows = from, columns = to, one table
// per port/protocol), the comparison with counts, the list of differing cells with a command
// to reproduce each, and the tables as report TableAttachments (which the report writers render,
// as aligned text too: src/report/plain-text.ts).
import type { TableAttachment } from '../report/model.js';
import { probeKey, type Probe, type ProbeOutcome } from './probe.js';
import { reproduceCommand, type ReproduceOptions } from './reproduce.js';
import type { TrafficExplanation } from './simulator.js';
import type { Protocol, Topology } from './topology.js';

/** Cell symbols of expected/observed tables. */
export const OUTCOME_SYMBOL: Readonly<Record<ProbeOutcome, string>> = {
  allowed: '.',
  blocked: 'X',
  unknown: '?',
  'probe-failed': '!',
};
export const OUTCOME_LEGEND = '. allowed, X blocked, ? unknown, ! probe failed';

/**
 * How one cell compares. `ignored`: a pod probing itself, which upstream e2e also leaves out
 * of the verdict because CNIs differ. `probe-failed` and `unknown` are neither agreement nor
 * difference: they mean we could not tell.
 */
export type CellStatus = 'agree' | 'differ' | 'probe-failed' | 'unknown' | 'ignored';
export const STATUS_SYMBOL: Readonly<Record<CellStatus, string>> = {
  agree: '.',
  differ: 'X',
  'probe-failed': '!',
  unknown: '?',
  ignored: '-',
};
export const STATUS_LEGEND = '. agree, X differ, ! probe failed, ? unknown, - ignored (pod to itself)';

export interface CellComparison {
  probe: Probe;
  key: string;
  expected: ProbeOutcome;
  observed: ProbeOutcome;
  status: CellStatus;
  /** Why the policies give the expected outcome, when an explainer was supplied. */
  explanation?: TrafficExplanation;
}

export interface ComparisonCounts {
  total: number;
  agree: number;
  differ: number;
  probeFailed: number;
  unknown: number;
  ignored: number;
}

export interface ReachabilityComparison {
  cells: CellComparison[];
  counts: ComparisonCounts;
  /**
   * `failed` when any cell differs; `unknown` when nothing differs but some cell could not be
   * told (probe-failed, unknown) or no cell was compared at all; `passed` otherwise.
   */
  verdict: 'passed' | 'failed' | 'unknown';
}

export interface CompareOptions {
  /** Leave pod-to-itself cells out of the verdict (default true, as upstream e2e). */
  ignoreLoopback?: boolean;
  /** Attaches the simulator's reasoning to each cell (used for messages and enforcement detection). */
  explain?: (probe: Probe) => TrafficExplanation;
}

function cellStatus(probe: Probe, expected: ProbeOutcome, observed: ProbeOutcome, ignoreLoopback: boolean): CellStatus {
  if (ignoreLoopback && probe.from === probe.to) return 'ignored';
  if (observed === 'probe-failed') return 'probe-failed';
  const definite = (o: ProbeOutcome) => o === 'allowed' || o === 'blocked';
  if (!definite(expected) || !definite(observed)) return 'unknown';
  return expected === observed ? 'agree' : 'differ';
}

/** Compares cell by cell; a probe missing from either map counts as `unknown`. */
export function compareReachability(
  probes: readonly Probe[],
  expected: ReadonlyMap<string, ProbeOutcome>,
  observed: ReadonlyMap<string, ProbeOutcome>,
  options: CompareOptions = {},
): ReachabilityComparison {
  const ignoreLoopback = options.ignoreLoopback ?? true;
  const counts: ComparisonCounts = { total: 0, agree: 0, differ: 0, probeFailed: 0, unknown: 0, ignored: 0 };
  const cells = probes.map((probe): CellComparison => {
    const key = probeKey(probe);
    const e = expected.get(key) ?? 'unknown';
    const o = observed.get(key) ?? 'unknown';
    const status = cellStatus(probe, e, o, ignoreLoopback);
    counts.total += 1;
    if (status === 'agree') counts.agree += 1;
    else if (status === 'differ') counts.differ += 1;
    else if (status === 'probe-failed') counts.probeFailed += 1;
    else if (status === 'unknown') counts.unknown += 1;
    else counts.ignored += 1;
    const cell: CellComparison = { probe, key, expected: e, observed: o, status };
    if (options.explain) cell.explanation = options.explain(probe);
    return cell;
  });
  let verdict: ReachabilityComparison['verdict'] = 'passed';
  if (counts.differ > 0) verdict = 'failed';
  else if (counts.probeFailed > 0 || counts.unknown > 0 || counts.agree === 0) verdict = 'unknown';
  return { cells, counts, verdict };
}

/** One port/protocol grid of symbols, rows = from, columns = to. */
export interface TruthTable {
  title: string;
  port: number;
  protocol: Protocol;
  rows: string[];
  columns: string[];
  /** cells[row][column]; a blank when that pair was not probed. */
  cells: string[][];
  marks?: Array<Array<'ok' | 'bad' | null>>;
}

interface Placed<T> {
  probe: Probe;
  value: T;
}

function groupIntoTables<T>(
  items: ReadonlyArray<Placed<T>>, title: (portProtocol: string) => string,
  symbol: (value: T) => string, mark?: (value: T) => 'ok' | 'bad' | null,
): TruthTable[] {
  const groups = new Map<string, Array<Placed<T>>>();
  for (const item of items) {
    const id = `${item.probe.port}/${item.probe.protocol}`;
    const group = groups.get(id);
    if (group === undefined) groups.set(id, [item]);
    else group.push(item);
  }
  return [...groups.entries()].map(([id, group]) => {
    const first = group[0] as Placed<T>;
    const rows = [...new Set(group.map((g) => g.probe.from))];
    const columns = [...new Set(group.map((g) => g.probe.to))];
    const cells = rows.map(() => columns.map(() => ' '));
    const marks = mark ? rows.map(() => columns.map((): 'ok' | 'bad' | null => null)) : undefined;
    for (const g of group) {
      const r = rows.indexOf(g.probe.from);
      const c = columns.indexOf(g.probe.to);
      (cells[r] as string[])[c] = symbol(g.value);
      if (marks && mark) (marks[r] as Array<'ok' | 'bad' | null>)[c] = mark(g.value);
    }
    return { title: title(id), port: first.probe.port, protocol: first.probe.protocol, rows, columns, cells, ...(marks ? { marks } : {}) };
  });
}

function statusMark(status: CellStatus): 'ok' | 'bad' | null {
  if (status === 'agree') return 'ok';
  if (status === 'differ' || status === 'probe-failed') return 'bad';
  return null;
}

/** Comparison tables; marks flag differing and failed cells as `bad`. */
export function comparisonTables(comparison: ReachabilityComparison): TruthTable[] {
  const items = comparison.cells.map((cell) => ({ probe: cell.probe, value: cell.status }));
  return groupIntoTables(items, (id) => `comparison ${id}`, (s: CellStatus) => STATUS_SYMBOL[s], statusMark);
}

/** Observed tables with the comparison's marks, so a report highlights the wrong cells. */
export function observedTables(comparison: ReachabilityComparison): TruthTable[] {
  const items = comparison.cells.map((cell) => ({ probe: cell.probe, value: cell }));
  return groupIntoTables(items, (id) => `observed ${id}`, (c: CellComparison) => OUTCOME_SYMBOL[c.observed], (c) => statusMark(c.status));
}

export function expectedTables(comparison: ReachabilityComparison): TruthTable[] {
  const items = comparison.cells.map((cell) => ({ probe: cell.probe, value: cell.expected }));
  return groupIntoTables(items, (id) => `expected ${id}`, (o: ProbeOutcome) => OUTCOME_SYMBOL[o]);
}

export function toTableAttachment(table: TruthTable): TableAttachment {
  const attachment: TableAttachment = {
    kind: 'table',
    title: table.title,
    columns: ['from \\ to', ...table.columns],
    rows: table.rows.map((r, i) => [r, ...(table.cells[i] ?? [])]),
  };
  if (table.marks) attachment.marks = table.marks.map((row) => [null, ...row]);
  return attachment;
}

/** Expected, observed (marked) and comparison tables for every port/protocol, for the report. */
export function reachabilityAttachments(comparison: ReachabilityComparison): TableAttachment[] {
  const expected = expectedTables(comparison);
  const observed = observedTables(comparison);
  const compared = comparisonTables(comparison);
  return expected.flatMap((table, i) => [table, observed[i], compared[i]])
    .filter((t): t is TruthTable => t !== undefined)
    .map(toTableAttachment);
}

export function formatCounts(counts: ComparisonCounts): string {
  return `${counts.agree} agree, ${counts.differ} differ, ${counts.probeFailed} probe-failed, ` +
    `${counts.unknown} unknown, ${counts.ignored} ignored (of ${counts.total})`;
}

export interface CellReport {
  key: string;
  expected: ProbeOutcome;
  observed: ProbeOutcome;
  status: CellStatus;
  /** Paste this to re-run the probe by hand. */
  command: string;
  reason?: string;
}

/** The cells that need a person: those that differ and those whose probe failed. */
export function cellsNeedingAttention(
  comparison: ReachabilityComparison, topology: Topology, options: ReproduceOptions = {},
): CellReport[] {
  return comparison.cells
    .filter((c) => c.status === 'differ' || c.status === 'probe-failed')
    .map((c) => ({
      key: c.key, expected: c.expected, observed: c.observed, status: c.status,
      command: reproduceCommand(c.probe, topology, options),
      ...(c.explanation ? { reason: c.explanation.reason } : {}),
    }));
}
