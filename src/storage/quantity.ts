// Kubernetes resource quantities as bytes, for comparing requested and reported volume sizes
// (`1Gi` is 2^30 bytes, `1G` is 10^9). Only the forms volume sizes use: a decimal number with an
// optional binary or decimal suffix; the config schema admits exactly these.

import { quantityValue } from '../cluster/quantity.js';

const QUANTITY = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;

/** Bytes of a quantity such as `1Gi`, `500M` or `1073741824`; undefined when it is not one. */
export function quantityBytes(quantity: string): number | undefined {
  if (!QUANTITY.test(quantity.trim())) return undefined;
  const value = quantityValue(quantity);
  return value === undefined ? undefined : Math.round(value);
}

/** A quantity twice as large, in the same unit when it is whole (`1Gi` -> `2Gi`), else in bytes. */
export function doubled(quantity: string): string {
  const match = QUANTITY.exec(quantity.trim());
  if (match !== null && /^[0-9]+$/.test(match[1] ?? '')) return `${Number(match[1]) * 2}${match[2] ?? ''}`;
  const bytes = quantityBytes(quantity);
  if (bytes === undefined) throw new Error(`"${quantity}" is not a storage quantity such as 1Gi`);
  return String(bytes * 2);
}

/** `1.0 GiB`, `64 MiB`: sizes in messages. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit] ?? 'B'}`;
}
