// Label selector matching with the Kubernetes semantics NetworkPolicy relies on.
import type { V1LabelSelector, V1LabelSelectorRequirement } from '@kubernetes/client-node';

export type Labels = Readonly<Record<string, string>>;

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

function requirementMatches(req: V1LabelSelectorRequirement, labels: Labels): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return has && values.includes(labels[req.key] ?? '');
    case 'NotIn':
      // A missing key satisfies NotIn: that is how the API server's selector library behaves.
      return !has || !values.includes(labels[req.key] ?? '');
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default:
      // An unknown operator is rejected by the API server; never let it widen a match.
      return false;
  }
}

/**
 * Whether `labels` satisfy `selector`. Every matchLabels pair and every matchExpressions
 * requirement must hold (AND); an empty selector `{}` matches everything.
 */
export function selectorMatches(selector: V1LabelSelector, labels: Labels): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  return (selector.matchExpressions ?? []).every((req) => requirementMatches(req, labels));
}

export function isEmptySelector(selector: V1LabelSelector): boolean {
  return Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}

/** Human form such as `pod=a,tier in (web,api),!legacy`; `{}` reads "all". */
export function describeSelector(selector: V1LabelSelector): string {
  if (isEmptySelector(selector)) return 'all';
  const parts = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const req of selector.matchExpressions ?? []) {
    const values = (req.values ?? []).join(',');
    if (req.operator === 'In') parts.push(`${req.key} in (${values})`);
    else if (req.operator === 'NotIn') parts.push(`${req.key} notin (${values})`);
    else if (req.operator === 'Exists') parts.push(req.key);
    else if (req.operator === 'DoesNotExist') parts.push(`!${req.key}`);
    else parts.push(`${req.key} ${req.operator} (${values})`);
  }
  return parts.join(',');
}

/** Problems the API server would reject in a selector, in words. */
export function selectorProblems(selector: V1LabelSelector): string[] {
  const problems: string[] = [];
  for (const req of selector.matchExpressions ?? []) {
    if (!(OPERATORS as readonly string[]).includes(req.operator)) {
      problems.push(`unknown selector operator "${req.operator}" on key "${req.key}"`);
    } else if ((req.operator === 'In' || req.operator === 'NotIn') && (req.values ?? []).length === 0) {
      problems.push(`operator ${req.operator} on key "${req.key}" needs at least one value`);
    } else if ((req.operator === 'Exists' || req.operator === 'DoesNotExist') && (req.values ?? []).length > 0) {
      problems.push(`operator ${req.operator} on key "${req.key}" must not have values`);
    }
  }
  return problems;
}
