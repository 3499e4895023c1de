// Rendering run progress. The state is a pure reducer over ProgressEvents and every line is a
// pure formatting function, so both are unit-tested; the two renderers only decide where lines
// go: a live, redrawn status line on an interactive terminal, plain lines for CI logs.
import type { CheckResult } from '../report/model.js';
import { formatDuration } from '../cluster/timeouts.js';
import type { ProgressEvent, ProgressSink } from '../harness/progress-events.js';

export interface InFlight {
  id: string;
  title: string;
  step?: string;
  since: number;
}

export interface ProgressState {
  startedAt: number;
  suitesTotal: number;
  suitesDone: number;
  checksTotal: number;
  checksDone: number;
  counts: Record<CheckResult['status'], number>;
  /** Checks running now, by suite (several with --parallel). */
  running: Map<string, InFlight>;
}

export function initialState(now: number): ProgressState {
  return { startedAt: now, suitesTotal: 0, suitesDone: 0, checksTotal: 0, checksDone: 0, counts: { passed: 0, failed: 0, skipped: 0, warn: 0, waived: 0, flaky: 0 }, running: new Map() };
}

/** Applies one event. run-start events add up, so parallel children can each announce theirs. */
export function reduce(state: ProgressState, event: ProgressEvent, now: number): ProgressState {
  switch (event.type) {
    case 'run-start':
      state.suitesTotal += event.suites.length;
      state.checksTotal += event.totalChecks;
      break;
    case 'check-start':
      state.running.set(event.suite, { id: event.id, title: event.title, since: now });
      break;
    case 'step': {
      const current = state.running.get(event.suite);
      if (current !== undefined && current.id === event.id) current.step = event.text;
      break;
    }
    case 'check-end':
      state.checksDone += 1;
      state.counts[event.result.status] += 1;
      if (state.running.get(event.suite)?.id === event.result.id) state.running.delete(event.suite);
      break;
    case 'suite-end':
      state.suitesDone += 1;
      state.running.delete(event.suite);
      break;
    default:
      break;
  }
  return state;
}

export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
}

/** The live line: counts, elapsed time and what runs now. Cut to the terminal width. */
export function formatStatusLine(state: ProgressState, now: number, width = 120): string {
  const head = `[${state.checksDone}/${state.checksTotal} checks · ${state.suitesDone}/${state.suitesTotal} suites · ${formatClock(now - state.startedAt)}]`;
  const running = [...state.running.values()]
    .map((r) => `${r.id}${r.step ? `: ${r.step}` : ''} (${formatDuration(now - r.since)})`)
    .join(' | ');
  const line = running === '' ? head : `${head} ${running}`;
  return line.length > width ? `${line.slice(0, Math.max(0, width - 1))}…` : line;
}

const LABELS: Record<CheckResult['status'], string> = { passed: 'PASS', failed: 'FAIL', skipped: 'SKIP', warn: 'WARN', waived: 'WAIV', flaky: 'FLAK' };

/** One line per finished check, plus an indented reason for anything that did not pass. */
export function formatResultLines(result: CheckResult, color = false): string[] {
  const paint = (text: string): string => {
    if (!color) return text;
    const code = { passed: 32, failed: 31, skipped: 33, warn: 33, waived: 36, flaky: 35 }[result.status];
    return `\u001b[${code}m${text}\u001b[0m`;
  };
  const lines = [`  ${paint(LABELS[result.status])}  ${result.id}  ${result.title} (${formatDuration(result.durationMs)})`];
  if (result.message !== undefined) lines.push(`        ${result.status === 'skipped' || result.status === 'waived' ? 'reason' : result.status === 'warn' || result.status === 'flaky' ? 'warning' : 'error'}: ${result.message}`);
  if (result.status === 'failed' && result.remediation !== undefined) lines.push(`        remediation: ${result.remediation}`);
  return lines;
}

export function suiteHeader(suite: string, title: string, checks: number): string {
  return `suite ${suite}: ${title} (${checks} check${checks === 1 ? '' : 's'})`;
}

export function formatSummary(counts: Pick<ProgressState['counts'], 'passed' | 'failed' | 'warn' | 'skipped'> & { waived?: number; flaky?: number }, elapsedMs: number): string {
  const extra = [counts.waived ? `, ${counts.waived} waived` : '', counts.flaky ? `, ${counts.flaky} flaky` : ''].join('');
  return `${counts.passed} passed, ${counts.failed} failed${extra}, ${counts.warn} warned, ${counts.skipped} skipped in ${formatDuration(elapsedMs)}`;
}

export interface ProgressRenderer extends ProgressSink {
  /** Prints a line above the live status (or plainly). */
  line(text: string): void;
  stop(): void;
  readonly state: ProgressState;
}

/** Plain lines: suite headers, steps, results and notes, for logs and pipes. */
export class PlainRenderer implements ProgressRenderer {
  readonly state: ProgressState;
  constructor(private readonly out: NodeJS.WritableStream, now = Date.now()) {
    this.state = initialState(now);
  }
  emit(event: ProgressEvent): void {
    reduce(this.state, event, Date.now());
    if (event.type === 'suite-start') this.line(suiteHeader(event.suite, event.title, event.totalChecks));
    else if (event.type === 'check-start') this.line(`  ....  ${event.id}  ${event.title}`);
    // With --parallel several checks run at once: then say whose step it is.
    else if (event.type === 'step') this.line(this.state.running.size > 1 ? `        - ${event.id}: ${event.text}` : `        - ${event.text}`);
    else if (event.type === 'check-end') formatResultLines(event.result).forEach((l) => this.line(l));
    else if (event.type === 'note') this.line(`note: ${event.text}`);
  }
  line(text: string): void {
    this.out.write(`${text}\n`);
  }
  stop(): void {}
}

/** Live progress on an interactive terminal: finished checks scroll up, one status line is
 *  redrawn in place. */
export class TtyRenderer implements ProgressRenderer {
  readonly state: ProgressState;
  private readonly timer: NodeJS.Timeout;
  private drawn = false;
  /** No status line before the run starts (preflight lines print plainly). */
  private started = false;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly color: boolean,
  ) {
    this.state = initialState(Date.now());
    this.timer = setInterval(() => this.draw(), 250);
    this.timer.unref();
  }

  emit(event: ProgressEvent): void {
    reduce(this.state, event, Date.now());
    if (event.type === 'run-start') this.started = true;
    if (event.type === 'suite-start') this.line(suiteHeader(event.suite, event.title, event.totalChecks));
    else if (event.type === 'check-end') formatResultLines(event.result, this.color).forEach((l) => this.line(l));
    else if (event.type === 'note') this.line(`note: ${event.text}`);
    this.draw();
  }

  line(text: string): void {
    this.clear();
    this.out.write(`${text}\n`);
    this.draw();
  }

  private clear(): void {
    if (this.drawn) this.out.write('\r\u001b[2K');
    this.drawn = false;
  }

  private draw(): void {
    if (!this.started) return;
    this.clear();
    this.out.write(formatStatusLine(this.state, Date.now(), Math.max(40, (this.out.columns ?? 120) - 1)));
    this.drawn = true;
  }

  stop(): void {
    clearInterval(this.timer);
    this.clear();
  }
}

export function createRenderer(out: NodeJS.WriteStream = process.stdout): ProgressRenderer {
  if (out.isTTY === true && process.env.TERM !== 'dumb') return new TtyRenderer(out, process.env.NO_COLOR === undefined);
  return new PlainRenderer(out);
}
