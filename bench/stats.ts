// Small helpers shared by the benchmarks.
import { errorSentence } from '../src/cluster/api-errors.js';

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Runs a bench's main and exits with its code; an error is one line, never a stack. */
export function runBench(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`bench: ${errorSentence(err)}`);
      process.exit(1);
    },
  );
}
