// A cleanup stack in the style of the Kubernetes e2e framework: whatever creates something
// registers its removal at once; the stack runs last-in-first-out on pass, fail, timeout and
// signal, keeps going when one entry fails, and runs each entry at most once.
import { errorSentence } from './api-errors.js';

export type CleanupKind = 'namespace' | 'other';

export interface CleanupEntry {
  readonly description: string;
  readonly kind: CleanupKind;
  readonly run: () => Promise<void>;
}

export interface CleanupFailure {
  description: string;
  error: unknown;
}

export interface CleanupOptions {
  /** Entries of these kinds are skipped (and dropped), e.g. namespaces kept for debugging. */
  skipKinds?: readonly CleanupKind[];
  /** Called before each entry runs (progress output). */
  onEntry?: (entry: CleanupEntry) => void;
}

export class CleanupStack {
  private entries: CleanupEntry[] = [];
  private running: Promise<CleanupFailure[]> | undefined;

  /** Registers a cleanup; returns a function that unregisters it without running it. */
  push(description: string, run: () => Promise<void>, kind: CleanupKind = 'other'): () => void {
    const entry: CleanupEntry = { description, run, kind };
    this.entries.push(entry);
    return () => {
      this.entries = this.entries.filter((e) => e !== entry);
    };
  }

  /** Nests another stack: running this stack runs the child (LIFO position kept). */
  pushStack(description: string, child: CleanupStack): () => void {
    return this.push(description, async () => {
      const failures = await child.runAll();
      if (failures.length > 0) {
        throw new Error(failures.map((f) => `${f.description}: ${errorSentence(f.error)}`).join('; '));
      }
    });
  }

  get size(): number {
    return this.entries.length;
  }

  descriptions(): string[] {
    return this.entries.map((e) => e.description);
  }

  /** Runs every entry, newest first, and empties the stack. Concurrent callers (a test's own
   *  teardown racing a signal handler) share one pass instead of running entries twice. */
  runAll(options: CleanupOptions = {}): Promise<CleanupFailure[]> {
    if (this.running !== undefined) return this.running;
    this.running = this.drain(options).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async drain(options: CleanupOptions): Promise<CleanupFailure[]> {
    const failures: CleanupFailure[] = [];
    for (;;) {
      const entry = this.entries.pop();
      if (entry === undefined) break;
      if (options.skipKinds?.includes(entry.kind)) continue;
      options.onEntry?.(entry);
      try {
        await entry.run();
      } catch (error) {
        failures.push({ description: entry.description, error });
      }
    }
    return failures;
  }
}
