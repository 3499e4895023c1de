// A catalogue rule in words, for `kube-assay explain`: what is read and what it must be, e.g.
// `kubelet.readOnlyPort is 0 (unset counts as 0)`. Built from the compiled rule, so the text can
// never drift from what the engine judges.
import { describeValue, expectation } from './rules.js';
import type { CatalogueEntry, Rule } from './types.js';

export function describeRule(rule: Rule): string {
  const when = rule.when === undefined ? '' : `, where ${describeRule(rule.when)}`;
  const severity = rule.severity === undefined ? '' : ` [${rule.severity}]`;
  switch (rule.type) {
    case 'compare': {
      const fallback = rule.default === undefined || rule.op === 'set' || rule.op === 'unset' ? '' : ` (unset counts as ${describeValue(rule.default)})`;
      return `${rule.path.text} is ${expectation(rule)}${fallback}${severity}${when}`;
    }
    case 'all':
      return `${rule.rules.length === 1 ? '' : 'all of: '}${rule.rules.map((r) => `(${describeRule(r)})`).join(' and ')}${severity}${when}`;
    case 'any':
      return `any of: ${rule.rules.map((r) => `(${describeRule(r)})`).join(' or ')}${severity}${when}`;
    case 'predicate':
      return `the predicate ${rule.name} (written in code) holds${severity}${when}`;
  }
}

/** How an entry is verified: the collector it reads, its scope and its rule. */
export function describeVerification(entry: CatalogueEntry, collectorDescription?: string): string {
  const source = `collector ${entry.source}${collectorDescription === undefined ? '' : ` (${collectorDescription})`}`;
  const scope = entry.where === undefined ? '' : `, objects where ${describeRule(entry.where)}`;
  return `reads ${source}${scope}; each must satisfy: ${describeRule(entry.rule)}`;
}
