// Builders for check-engine tests: catalogue text with one entry, compiled through the real
// loader (so tests exercise what authors write), and facts.
import { parseCatalogue } from '../../../src/checks/loader.js';
import type { CatalogueEntry, Fact, Predicates } from '../../../src/checks/types.js';

/** One entry whose rule is given as YAML flow text, e.g. `{ path: a, op: eq, value: 1 }`. */
export function entryWithRule(rule: string, options: { severity?: 'fail' | 'warn'; predicates?: Predicates; extra?: string } = {}): CatalogueEntry {
  const text = [
    'suite: demo',
    'checks:',
    '  - id: demo/rule',
    '    title: A rule',
    `    severity: ${options.severity ?? 'fail'}`,
    '    rationale: r',
    '    remediation: fix it',
    '    source: things',
    '    violation: break the rule',
    `    rule: ${rule}`,
    ...(options.extra === undefined ? [] : [options.extra]),
  ].join('\n');
  const entry = parseCatalogue(text, 'demo.yaml', { predicates: options.predicates }).entries[0];
  if (entry === undefined) throw new Error('catalogue has no entry');
  return entry;
}

export function fact(name: string, data: unknown, kind = 'Thing'): Fact {
  return { kind, name, data };
}
