// Fact paths: where in a fact's data a rule looks. Dot-separated keys, with bracket segments for
// what a bare key cannot say: ["key.with/dots"] (a JSON string), [0] (an array index) and [*]
// (every element of an array or every value of a map). Parsed once when a catalogue loads.

export type PathSegment = { kind: 'key'; key: string } | { kind: 'index'; index: number } | { kind: 'each' };

export interface FactPath {
  /** As written in the catalogue, for messages. */
  text: string;
  segments: PathSegment[];
}

/** A value a path reached, with the concrete path to it (wildcards expanded). */
export interface Reached {
  path: string;
  present: boolean;
  value: unknown;
}

const BARE_KEY = /^[A-Za-z0-9_$-]+/;

/** Parses a fact path; throws an Error saying what is wrong at which character. */
export function parseFactPath(text: string): FactPath {
  const segments: PathSegment[] = [];
  let rest = text;
  let position = 0;
  const fail = (what: string): never => {
    throw new Error(`fact path ${JSON.stringify(text)}: ${what} at character ${position + 1}`);
  };
  while (rest.length > 0) {
    if (segments.length > 0 && rest.startsWith('.')) {
      rest = rest.slice(1);
      position += 1;
    } else if (segments.length > 0 && !rest.startsWith('[')) {
      fail('expected "." or "["');
    }
    if (rest.startsWith('[')) {
      const close = closingBracket(rest);
      if (close < 0) fail('unclosed "["');
      const inner = rest.slice(1, close);
      segments.push(bracketSegment(inner, fail));
      rest = rest.slice(close + 1);
      position += close + 1;
      continue;
    }
    const key = BARE_KEY.exec(rest)?.[0];
    if (key === undefined) fail('expected a key');
    segments.push({ kind: 'key', key: key as string });
    rest = rest.slice((key as string).length);
    position += (key as string).length;
  }
  if (segments.length === 0) fail('empty path');
  return { text, segments };
}

/** Index of the "]" closing a bracket segment, skipping over a quoted key's contents. */
function closingBracket(rest: string): number {
  if (rest[1] !== '"') return rest.indexOf(']');
  for (let i = 2; i < rest.length; i++) {
    if (rest[i] === '\\') i += 1;
    else if (rest[i] === '"') return rest[i + 1] === ']' ? i + 1 : -1;
  }
  return -1;
}

function bracketSegment(inner: string, fail: (what: string) => never): PathSegment {
  if (inner === '*') return { kind: 'each' };
  if (/^\d+$/.test(inner)) return { kind: 'index', index: Number(inner) };
  if (inner.startsWith('"')) {
    try {
      const key: unknown = JSON.parse(inner);
      if (typeof key === 'string') return { kind: 'key', key };
    } catch {
      // falls through to the message below
    }
  }
  return fail(`bracket segment [${inner}] must be a quoted key, an index or *`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function keyText(prefix: string, key: string): string {
  const simple = /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key);
  if (simple) return prefix === '' ? key : `${prefix}.${key}`;
  return `${prefix}[${JSON.stringify(key)}]`;
}

function segmentText(prefix: string, segment: PathSegment): string {
  if (segment.kind === 'key') return keyText(prefix, segment.key);
  return `${prefix}[${segment.kind === 'index' ? segment.index : '*'}]`;
}

/** Every value the path reaches in `data`. A wildcard over an empty array or map reaches
 *  nothing; a missing key reaches one absent value (null counts as absent: the API omits it). */
export function resolvePath(data: unknown, path: FactPath): Reached[] {
  // Without [*] a path reaches exactly one value: walk it without building intermediate lists.
  if (!path.segments.some((s) => s.kind === 'each')) return [resolveSingle(data, path)];
  let current: Reached[] = [{ path: '', present: true, value: data }];
  for (const segment of path.segments) {
    const next: Reached[] = [];
    for (const at of current) {
      if (!at.present) {
        next.push({ ...at, path: segmentText(at.path, segment) });
        continue;
      }
      if (segment.kind === 'key') {
        const value = isRecord(at.value) ? at.value[segment.key] : undefined;
        next.push({ path: keyText(at.path, segment.key), present: value !== undefined && value !== null, value });
      } else if (segment.kind === 'index') {
        const value = Array.isArray(at.value) ? (at.value as unknown[])[segment.index] : undefined;
        next.push({ path: `${at.path}[${segment.index}]`, present: value !== undefined && value !== null, value });
      } else if (Array.isArray(at.value)) {
        (at.value as unknown[]).forEach((value, i) => next.push({ path: `${at.path}[${i}]`, present: value !== undefined && value !== null, value }));
      } else if (isRecord(at.value)) {
        for (const [key, value] of Object.entries(at.value)) next.push({ path: keyText(at.path, key), present: value !== undefined && value !== null, value });
      } else {
        next.push({ path: segmentText(at.path, segment), present: false, value: undefined });
      }
    }
    current = next;
  }
  return current;
}

function resolveSingle(data: unknown, path: FactPath): Reached {
  let value: unknown = data;
  for (const segment of path.segments) {
    if (value === undefined || value === null) break;
    if (segment.kind === 'key') value = isRecord(value) ? value[segment.key] : undefined;
    else value = Array.isArray(value) ? (value as unknown[])[(segment as { index: number }).index] : undefined;
  }
  return { path: path.text, present: value !== undefined && value !== null, value };
}
