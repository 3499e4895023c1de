// Watching one object by name: a list and watch narrowed by `metadata.name=<name>`, so `done`
// sees either nothing (not created yet, or deleted) or that one object.
import type { KubeConfig } from '@kubernetes/client-node';
import { watchUntil, type ListFn, type WaitOptions } from './wait.js';

export interface NamedTarget<T> {
  kc: KubeConfig;
  /** Collection path the object lives in, e.g. `/api/v1/namespaces/ns/pods`. */
  path: string;
  name: string;
  /** Lists the collection narrowed by the given field selector, by the typed client. */
  list: (fieldSelector: string) => ReturnType<ListFn<T>>;
}

/** watchUntil for the object called `target.name` in `target.path`; resolves with the zero or
 *  one objects seen when `done` held. */
export function watchNamed<T extends { metadata?: { name?: string; namespace?: string } }>(
  target: NamedTarget<T>,
  done: (items: T[]) => boolean,
  opts: WaitOptions<T[]>,
): Promise<T[]> {
  const fieldSelector = `metadata.name=${target.name}`;
  return watchUntil<T>({ kc: target.kc, path: target.path, fieldSelector, list: () => target.list(fieldSelector) }, done, opts);
}
