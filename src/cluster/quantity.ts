// Kubernetes quantities as numbers, CPU included: `500m` is 0.5, `1Gi` is 2^30, `2` is 2. Shared by
// the resources suite (quota, requests, limits) and the storage suite (volume sizes, via quantityBytes).

// Fractions divide (by 1e9, 1e6, 1e3) so `100n` is exactly 1e-7; multiples multiply.
const DIVISOR: Record<string, number> = { n: 1e9, u: 1e6, m: 1e3 };
const SUFFIX: Record<string, number> = {
  '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

const QUANTITY = /^([+-]?[0-9]+(?:\.[0-9]*)?|[+-]?\.[0-9]+)(?:[eE]([+-]?[0-9]+))?(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

/** The value of a quantity, or undefined when the text is not one. */
export function quantityValue(quantity: string | number | undefined): number | undefined {
  if (typeof quantity === 'number') return quantity;
  if (quantity === undefined) return undefined;
  const match = QUANTITY.exec(quantity.trim());
  if (match === null) return undefined;
  const mantissa = Number(match[1]);
  const exponent = match[2] === undefined ? 0 : Number(match[2]);
  const suffix = match[3] ?? '';
  const value = mantissa * 10 ** exponent;
  const divisor = DIVISOR[suffix];
  if (divisor !== undefined) return value / divisor;
  const factor = SUFFIX[suffix];
  return factor === undefined ? undefined : value * factor;
}
