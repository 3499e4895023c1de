// Turns ajv's validation errors into one sentence a user can act on: which file, where in it
// (as a JSON path such as $.images.pullPolicy), what is wrong and what is allowed.
import type { ErrorObject } from 'ajv';

export function jsonPath(instancePath: string): string {
  if (instancePath === '') return '$';
  let out = '$';
  for (const raw of instancePath.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(segment)) out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)) out += `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** One problem, phrased as "<path> <what is wrong and what is allowed>". */
export function describeSchemaError(error: ErrorObject, allowedKeys: (path: string) => string[]): string {
  const path = jsonPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const got = (value: unknown): string => (value === undefined ? '' : `, got ${JSON.stringify(value)}`);
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = allowedKeys(error.instancePath);
      const suggestion = closest(key, allowed);
      const hint = suggestion === undefined ? '' : `; did you mean "${suggestion}"?`;
      return `unknown key "${key}" at ${path} (allowed keys: ${allowed.join(', ') || 'none'}${hint})`;
    }
    case 'type':
      return `${path} must be ${article(String(params.type))}${got(error.data)}`;
    case 'enum':
      return `${path} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}${got(error.data)}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const op = { minimum: '>=', maximum: '<=', exclusiveMinimum: '>', exclusiveMaximum: '<' }[error.keyword];
      return `${path} must be ${op} ${String(params.limit)}${got(error.data)}`;
    }
    case 'pattern':
      return `${path} must match the pattern ${String(params.pattern)}${got(error.data)}`;
    case 'minLength':
      return `${path} must not be empty`;
    case 'maxLength':
      return `${path} must be at most ${String(params.limit)} characters${got(error.data)}`;
    case 'uniqueItems':
      return `${path} must not list the same item twice (items ${String(params.j)} and ${String(params.i)} are equal)`;
    default:
      return `${path} ${error.message ?? 'is invalid'}`;
  }
}

function article(type: string): string {
  if (type === 'integer' || type === 'array' || type === 'object') return `an ${type}`;
  return `a ${type}`;
}

/** Nearest allowed key by edit distance, for typos such as "paralell". */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
