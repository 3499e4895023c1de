// Known bytes to write to a volume and recognise later: deterministic text derived from the run
// and the class (so a stale file from another run or class never passes), written with one
// shell command, checked by length, SHA-256 and, on mismatch, the first differing offset.
import { createHash } from 'node:crypto';
import { slugify } from '../cluster/names.js';

export const KNOWN_FILE = 'known-bytes.txt';

/** About 4 KiB of text in [a-z0-9 -] and newlines, safe inside single quotes in sh. */
export function knownContent(seed: string, lines = 64): string {
  const tag = slugify(seed) || 'seed';
  const out: string[] = [];
  let digest = createHash('sha256').update(tag).digest('hex');
  for (let i = 0; i < lines; i++) {
    digest = createHash('sha256').update(digest).digest('hex');
    out.push(`kube-assay ${tag} line ${String(i).padStart(3, '0')} ${digest.slice(0, 32)}`);
  }
  return `${out.join('\n')}\n`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Writes the content, flushes it to the volume and prints its checksum. */
export function writeKnownCommand(dir: string, content: string): string[] {
  if (content.includes("'")) throw new Error('known content must not contain single quotes');
  return ['sh', '-c', `printf '%s' '${content}' > ${dir}/${KNOWN_FILE} && sync && sha256sum ${dir}/${KNOWN_FILE}`];
}

export function readKnownCommand(dir: string): string[] {
  return ['cat', `${dir}/${KNOWN_FILE}`];
}

/** The hash printed by `sha256sum FILE`. */
export function parseSha256sum(output: string): string | undefined {
  return /^([0-9a-f]{64})\s/m.exec(output)?.[1];
}

/** Empty when equal; else where and how the bytes differ, for the failure message. */
export function compareBytes(expected: string, seen: string): string {
  if (expected === seen) return '';
  const limit = Math.min(expected.length, seen.length);
  let i = 0;
  while (i < limit && expected[i] === seen[i]) i++;
  const excerpt = (s: string): string => JSON.stringify(s.slice(i, i + 24));
  return `read ${seen.length} bytes, expected ${expected.length}; first difference at offset ${i}: expected ${excerpt(expected)}, read ${excerpt(seen)}`;
}
