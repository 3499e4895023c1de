// Suite fixtures: state that some checks of a suite write and later checks read (what the
// storage checks provisioned, what netpol/enforcement learnt), made explicit instead of a
// module-level singleton.
//
//   // declared once, next to the type it holds (a handle: it holds no value itself)
//   export const volumeLedger = suiteFixture('storage', 'volume ledger', () => new VolumeLedger());
//   // in a check of that suite, in any of its spec files
//   volumeLedger.of(t).recordClaim(...);
//
// - The value is created on first use in a run and belongs to that run: another run (a new
//   harness runtime, as every `kube-assay run`, --parallel child and unit-test run has) starts
//   from a fresh value, so nothing leaks from one run into the next.
// - `of(t)` names the check that uses it and refuses a check of another suite, so sharing stays
//   within the suite that declared it and every user is visible at its call site.
// - A fixture does not order checks. Readers that need the writers to have run first rely on
//   the order mocha runs checks in: declaration order within a spec file, and spec files of a
//   suite in file-name order (src/harness/discover.ts sorts them). Each such reader says so
//   where it is declared.
import type { SetupContext } from './context.js';
import { getRuntime, type HarnessRuntime } from './runtime.js';

export interface SuiteFixture<T> {
  /** What it holds, for messages. */
  readonly name: string;
  /** The suite whose checks may use it. */
  readonly suite: string;
  /** The value of the current run, created on first use; `t` must belong to `suite`. */
  of(t: Pick<SetupContext, 'id'>): T;
}

/** Declares a fixture of suite `suite` whose value `create` makes, once per run. */
export function suiteFixture<T>(suite: string, name: string, create: () => T): SuiteFixture<T> {
  const values = new WeakMap<HarnessRuntime, T>();
  return {
    name,
    suite,
    of(t) {
      if (!t.id.startsWith(`${suite}/`)) {
        throw new Error(`${t.id} cannot use the ${name} of suite ${suite}: a suite fixture is shared only by the checks of its own suite`);
      }
      const runtime = getRuntime();
      if (!values.has(runtime)) values.set(runtime, create());
      return values.get(runtime) as T;
    },
  };
}
