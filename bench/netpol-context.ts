// A harness SetupContext for the network policy bench, which builds the probe lab outside a
// mocha run: labelled namespaces of its own run id, a cleanup stack it runs at the end (and on
// Ctrl-C), and the harness's named timeouts.
import { CleanupStack } from '../src/cluster/cleanup-stack.js';
import type { ClusterClients } from '../src/cluster/client.js';
import { ownershipLabels, type Labels } from '../src/cluster/labels.js';
import { newRunId, testNamespaceName } from '../src/cluster/names.js';
import { createTestNamespace, deleteOwnedNamespace, waitForDefaultServiceAccount, waitForNamespacesGone } from '../src/cluster/namespaces.js';
import { Timeouts, type TimeoutName } from '../src/cluster/timeouts.js';
import type { Deadline } from '../src/cluster/wait.js';
import { mergeConfig } from '../src/config/resolve.js';
import type { Config } from '../src/config/types.js';
import type { SetupContext } from '../src/harness/context.js';
import type { ClusterInfo } from '../src/report/model.js';

export class BenchContext implements SetupContext {
  readonly id = 'netpol/bench';
  readonly runId = newRunId();
  readonly config: Config = mergeConfig({}, {}, process.cwd());
  readonly timeouts = new Timeouts(1);
  readonly cleanup = new CleanupStack();
  private readonly controller = new AbortController();
  readonly signal = this.controller.signal;
  readonly cluster: ClusterInfo = { context: 'bench', server: '', version: '', platform: 'testbed', nodeCount: 1 };

  constructor(readonly clients: ClusterClients, readonly probeImage: string) {}

  labels(extra: Labels = {}): Labels {
    return { ...extra, ...ownershipLabels(this.runId) };
  }

  deadline(name: TimeoutName): Deadline {
    return { name, ms: this.timeouts.ms(name) };
  }

  async createNamespace(suffix: string, options: { labels?: Labels } = {}): Promise<string> {
    const name = testNamespaceName(this.config.namespacePrefix, this.runId, this.id, suffix);
    await createTestNamespace(this.clients, { name, runId: this.runId, checkId: this.id, podSecurity: 'baseline', extraLabels: options.labels });
    this.cleanup.push(`delete namespace ${name}`, async () => {
      await deleteOwnedNamespace(this.clients, name, this.runId);
    }, 'namespace');
    await waitForDefaultServiceAccount(this.clients, name, this.deadline('namespaceReady'), this.signal);
    return name;
  }

  defer(description: string, action: () => Promise<void>): void {
    this.cleanup.push(description, action);
  }

  step(text: string): void {
    console.log(`  - ${text}`);
  }

  abort(reason: Error): void {
    this.controller.abort(reason);
  }

  /** Deletes everything and waits until the namespaces are gone. */
  async tearDown(): Promise<void> {
    const failures = await this.cleanup.runAll();
    for (const f of failures) console.error(`  cleanup: ${f.description} failed: ${f.error instanceof Error ? f.error.message : String(f.error)}`);
    await waitForNamespacesGone(this.clients, { runId: this.runId, ignoreKept: false }, this.deadline('namespaceDelete'));
  }
}
