// DNS-safe, stable object names. Kubernetes names (namespaces, services) must be RFC 1123
// labels: at most 63 characters of [a-z0-9-], starting and ending alphanumeric. Names are made
// from readable parts plus a short hash of everything that makes them unique, so the same
// inputs always give the same name and truncation never creates collisions.
import { createHash, randomBytes } from 'node:crypto';

export const DNS_LABEL_MAX = 63;
const HASH_LENGTH = 8;

export function shortHash(input: string, length = HASH_LENGTH): string {
  return createHash('sha256').update(input).digest('hex').slice(0, length);
}

/** Lowercases and replaces anything outside [a-z0-9-] with '-', collapsing repeats. */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** `<readable>-<hash>` within `max` characters; the readable part is truncated, never the hash. */
export function dnsLabel(readable: string, uniqueBy: string, max = DNS_LABEL_MAX): string {
  const hash = shortHash(uniqueBy);
  const room = max - hash.length - 1;
  const head = slugify(readable).slice(0, room).replace(/-+$/, '');
  return head === '' ? `x${hash}`.slice(0, max) : `${head}-${hash}`;
}

export function isDnsLabel(name: string): boolean {
  return name.length <= DNS_LABEL_MAX && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name);
}

/** Namespace of one check in one run, e.g. `ka-conformance-dns-service-1a2b3c4d`.
 *  `suffix` distinguishes several namespaces of the same check (e.g. x, y, z). */
export function testNamespaceName(prefix: string, runId: string, checkId: string, suffix = ''): string {
  const readable = [prefix, checkId.replace(/\//g, '-'), suffix].filter((part) => part !== '').join('-');
  return dnsLabel(readable, `${runId}\u0000${checkId}\u0000${suffix}`);
}

/** Run IDs are valid label values (<=63, [a-z0-9-]) and sort by start time:
 *  `20251121t214500-3fa2`. */
export function newRunId(now: Date = new Date(), random: string = randomBytes(2).toString('hex')): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '').toLowerCase();
  return `${stamp}-${random}`;
}

export function isValidRunId(runId: string): boolean {
  return runId.length <= 63 && /^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/.test(runId);
}
