// The per-check (and per-suite-setup) context handed to spec code: cluster clients, fresh
// labelled namespaces, cleanup registration, timeouts, and the ways to add to the result.
import type { ClusterClients } from '../cluster/client.js';
import type { CleanupStack } from '../cluster/cleanup-stack.js';
import { ownershipLabels, type Labels } from '../cluster/labels.js';
import { testNamespaceName } from '../cluster/names.js';
import { createTestNamespace, deleteOwnedNamespace, waitForDefaultServiceAccount, type PodSecurityLevel } from '../cluster/namespaces.js';
import type { TimeoutName, Timeouts } from '../cluster/timeouts.js';
import type { Deadline } from '../cluster/wait.js';
import type { Config } from '../config/types.js';
import type { Attachment, ClusterInfo, TableAttachment } from '../report/model.js';
import type { CheckRecord } from './registry.js';
import type { HarnessRuntime } from './runtime.js';

/** Thrown by `skip()`; the check wrapper turns it into a skipped result with the reason. */
export class CheckSkipped extends Error {
  override readonly name = 'CheckSkipped';
}

/** What both checks and suite setups get. */
export interface SetupContext {
  /** ID of the check, or `<suite>/setup` for a suite setup. */
  readonly id: string;
  readonly runId: string;
  readonly config: Config;
  readonly clients: ClusterClients;
  readonly cluster: ClusterInfo;
  /** Probe image: sh, wget, nc, nslookup, mkfifo and /agnhost. */
  readonly probeImage: string;
  readonly timeouts: Timeouts;
  /** Aborted when the check's own deadline passes or the run is interrupted. */
  readonly signal: AbortSignal;
  /** Ownership labels (managed-by, run-id) plus `extra`: put them on every object you create. */
  labels(extra?: Labels): Labels;
  /** A named, scaled deadline for the wait helpers in src/cluster. */
  deadline(name: TimeoutName): Deadline;
  /** Creates another labelled namespace for this check (e.g. `x`, `y`, `z`) and registers its
   *  deletion. Returns its name. */
  createNamespace(suffix: string, options?: { podSecurity?: PodSecurityLevel; labels?: Labels }): Promise<string>;
  /** Registers a cleanup action (LIFO, runs on pass, fail, timeout and signal). Namespaced
   *  objects need none: their namespace goes. Use it for anything outside the namespaces. */
  defer(description: string, action: () => Promise<void>): void;
  /** Names the current step, shown in live progress and kept with the result. */
  step(text: string): void;
}

export interface CheckContext extends SetupContext {
  /** The check's fresh namespace (unless the check was declared with `namespace: false`). */
  readonly namespace: string;
  attach(attachment: Attachment): void;
  attachTable(title: string, columns: string[], rows: string[][], marks?: TableAttachment['marks']): void;
  attachText(title: string, body: string): void;
  /** Records a warning: the check ends as `warn` (a soft failure) unless it fails. */
  warn(message: string): void;
  /** Stops the check as skipped; the reason is printed and reported. */
  skip(reason: string): never;
}

export class HarnessContext implements CheckContext {
  /** Namespaces this context created, in order; dumped on failure. */
  readonly namespaces: string[] = [];
  private primary: string | undefined;

  constructor(
    private readonly runtime: HarnessRuntime,
    readonly id: string,
    private readonly suite: string,
    private readonly stack: CleanupStack,
    private readonly record: CheckRecord,
    readonly signal: AbortSignal,
    private readonly podSecurity: PodSecurityLevel,
  ) {}

  get runId(): string {
    return this.runtime.runId;
  }
  get config(): Config {
    return this.runtime.config;
  }
  get clients(): ClusterClients {
    return this.runtime.clients;
  }
  get cluster(): ClusterInfo {
    return this.runtime.cluster;
  }
  get probeImage(): string {
    return this.runtime.probeImage;
  }
  get timeouts(): Timeouts {
    return this.runtime.timeouts;
  }

  get namespace(): string {
    if (this.primary === undefined) throw new Error(`check ${this.id} has no namespace: it was declared with { namespace: false }`);
    return this.primary;
  }

  labels(extra: Labels = {}): Labels {
    return { ...extra, ...ownershipLabels(this.runtime.runId) };
  }

  deadline(name: TimeoutName): Deadline {
    return this.runtime.timeouts.deadline(name);
  }

  /** Called by the wrapper before the check body runs. */
  async createPrimaryNamespace(): Promise<void> {
    this.primary = await this.createNamespace('', { podSecurity: this.podSecurity });
  }

  async createNamespace(suffix: string, options: { podSecurity?: PodSecurityLevel; labels?: Labels } = {}): Promise<string> {
    const { config, runId, clients } = this.runtime;
    const name = testNamespaceName(config.namespacePrefix, runId, this.id, suffix);
    this.step(`create namespace ${name}`);
    await createTestNamespace(clients, { name, runId, checkId: this.id, podSecurity: options.podSecurity ?? this.podSecurity, extraLabels: options.labels });
    this.namespaces.push(name);
    this.stack.push(`delete namespace ${name}`, async () => {
      await deleteOwnedNamespace(clients, name, runId);
    }, 'namespace');
    await waitForDefaultServiceAccount(clients, name, this.deadline('namespaceReady'), this.signal);
    return name;
  }

  defer(description: string, action: () => Promise<void>): void {
    this.stack.push(description, action);
  }

  step(text: string): void {
    this.record.steps.push(text);
    this.runtime.progress.emit({ type: 'step', suite: this.suite, id: this.id, text });
  }

  attach(attachment: Attachment): void {
    this.record.attachments.push(attachment);
  }

  attachTable(title: string, columns: string[], rows: string[][], marks?: TableAttachment['marks']): void {
    this.attach({ kind: 'table', title, columns, rows, ...(marks === undefined ? {} : { marks }) });
  }

  attachText(title: string, body: string): void {
    this.attach({ kind: 'text', title, body });
  }

  warn(message: string): void {
    this.record.warnings.push(message);
  }

  skip(reason: string): never {
    this.record.skipReason = reason;
    throw new CheckSkipped(reason);
  }
}
