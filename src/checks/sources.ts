// Fact sources: the cluster one runs named collectors against the API (each at most once per
// source, so several checks reading StorageClasses list them once); the in-memory one serves
// fixed facts to unit tests. A suite adds its own collectors by passing them to
// declareCatalogueChecks: a collector is a name, the kind it yields and how to read it.
import type { ClusterClients } from '../cluster/client.js';
import { describeApiError } from '../cluster/api-errors.js';
import type { Fact, FactSource } from './types.js';

export interface Collector {
  /** What the collector does, for error messages: "list StorageClasses". */
  readonly description: string;
  collect(clients: ClusterClients): Promise<Fact[]>;
}

export type Collectors = Readonly<Record<string, Collector>>;

/** Thrown by a source that cannot collect: one sentence naming the collector and the cause. */
export class CollectorError extends Error {
  override readonly name = 'CollectorError';
}

/** A collector from a list call: each listed object becomes a fact named by its metadata. */
export function listCollector<T extends { metadata?: { name?: string; namespace?: string } }>(
  kind: string,
  description: string,
  list: (clients: ClusterClients) => Promise<T[]>,
): Collector {
  return {
    description,
    collect: async (clients) =>
      (await list(clients)).map((item) => ({ kind, name: item.metadata?.name ?? '?', ...(item.metadata?.namespace === undefined ? {} : { namespace: item.metadata.namespace }), data: item })),
  };
}

export class ClusterFactSource implements FactSource {
  /** `cache` may be shared between sources (see sharedFacts); by default it is this source's own. */
  constructor(
    private readonly clients: ClusterClients,
    private readonly collectors: Collectors,
    private readonly cache = new Map<string, Promise<Fact[]>>(),
  ) {}

  collect(name: string): Promise<Fact[]> {
    let pending = this.cache.get(name);
    if (pending === undefined) {
      const collector = this.collectors[name];
      if (collector === undefined) return Promise.reject(new CollectorError(`collector ${name} is not registered (known: ${Object.keys(this.collectors).join(', ') || 'none'})`));
      pending = collector.collect(this.clients).catch((err: unknown) => {
        // A failed collection is not kept: a retried check asks again.
        this.cache.delete(name);
        throw new CollectorError(describeApiError(`collector ${name} could not ${collector.description}`, err), { cause: err });
      });
      this.cache.set(name, pending);
    }
    return pending;
  }
}

/** Facts shared by all checks of a suite within one run: each collector runs once per cluster
 *  clients (a run has one set), so twenty kubelet checks read every node's configz once instead
 *  of twenty times. Call it once in the suite's body; pass the result as `factSource`. */
export function sharedFacts<T extends { clients: ClusterClients }>(collectors: (t: T) => Collectors): (t: T) => FactSource {
  const caches = new WeakMap<ClusterClients, Map<string, Promise<Fact[]>>>();
  return (t) => {
    let cache = caches.get(t.clients);
    if (cache === undefined) {
      cache = new Map();
      caches.set(t.clients, cache);
    }
    return new ClusterFactSource(t.clients, collectors(t), cache);
  };
}

/** Fixed facts per collector name; an Error value makes that collector fail with it. */
export class InMemoryFactSource implements FactSource {
  constructor(private readonly facts: Readonly<Record<string, readonly Fact[] | Error>>) {}

  async collect(name: string): Promise<Fact[]> {
    const facts = this.facts[name];
    if (facts === undefined) throw new CollectorError(`collector ${name} is not registered (known: ${Object.keys(this.facts).join(', ') || 'none'})`);
    if (facts instanceof Error) throw new CollectorError(describeApiError(`collector ${name} could not collect`, facts), { cause: facts });
    return [...facts];
  }
}

/** Facts computed from other collectors' facts (e.g. two collectors joined by node). */
export type Derivation = (source: FactSource) => Promise<Fact[]>;

/** A source that serves `derived` names by computing them over `base` (whose own caching
 *  applies, so a derivation never runs a collector twice) and every other name from `base`. */
export class DerivedFactSource implements FactSource {
  constructor(
    private readonly base: FactSource,
    private readonly derived: Readonly<Record<string, Derivation>>,
  ) {}

  collect(name: string): Promise<Fact[]> {
    const derive = this.derived[name];
    return derive === undefined ? this.base.collect(name) : derive(this.base);
  }
}
