// IP address and CIDR arithmetic for NetworkPolicy ipBlock peers. Addresses are held as bigint
// so IPv4 and IPv6 share one code path; an address never matches a block of the other family.

export type IpFamily = 4 | 6;

export interface IpAddress {
  family: IpFamily;
  value: bigint;
}

export interface Cidr {
  family: IpFamily;
  /** Network address with the host bits cleared. */
  network: bigint;
  prefix: number;
}

const BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };

function parseIpv4Octets(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    // Leading zeros are rejected as Go's net.ParseIP (and so the API server) rejects them.
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

function parseIpv6Groups(text: string): bigint | undefined {
  let body = text;
  // An embedded IPv4 suffix (e.g. ::ffff:10.0.0.1) stands for the last two 16-bit groups.
  const lastColon = body.lastIndexOf(':');
  if (body.slice(lastColon + 1).includes('.')) {
    const v4 = parseIpv4Octets(body.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    body = `${body.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const parseHalf = (half: string): bigint[] | undefined => {
    if (half === '') return [];
    const groups: bigint[] = [];
    for (const group of half.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
      groups.push(BigInt(`0x${group}`));
    }
    return groups;
  };
  const head = parseHalf(halves[0] ?? '');
  const rest = halves.length === 2 ? parseHalf(halves[1] ?? '') : [];
  if (head === undefined || rest === undefined) return undefined;
  const explicit = head.length + rest.length;
  if (halves.length === 1 && explicit !== 8) return undefined;
  if (halves.length === 2 && explicit > 7) return undefined;
  const zeros = new Array<bigint>(8 - explicit).fill(0n);
  const groups = halves.length === 2 ? [...head, ...zeros, ...rest] : head;
  return groups.reduce((acc, g) => (acc << 16n) | g, 0n);
}

/** Parses a textual IPv4 or IPv6 address; undefined when it is not one. */
export function parseIp(text: string): IpAddress | undefined {
  if (text.includes(':')) {
    const value = parseIpv6Groups(text);
    return value === undefined ? undefined : { family: 6, value };
  }
  const value = parseIpv4Octets(text);
  return value === undefined ? undefined : { family: 4, value };
}

function mask(family: IpFamily, prefix: number): bigint {
  const bits = BITS[family];
  const all = (1n << BigInt(bits)) - 1n;
  return prefix === 0 ? 0n : (all >> BigInt(bits - prefix)) << BigInt(bits - prefix);
}

/** Parses `address/prefix`. Host bits may be set (the API accepts `10.1.2.3/24`); they are cleared. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (address === undefined || !/^[0-9]{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > BITS[address.family]) return undefined;
  return { family: address.family, network: address.value & mask(address.family, prefix), prefix };
}

export function cidrContainsIp(cidr: Cidr, ip: IpAddress): boolean {
  return cidr.family === ip.family && (ip.value & mask(cidr.family, cidr.prefix)) === cidr.network;
}

/** True when every address of `inner` lies inside `outer`. */
export function cidrWithin(inner: Cidr, outer: Cidr): boolean {
  return inner.family === outer.family && inner.prefix >= outer.prefix &&
    (inner.network & mask(outer.family, outer.prefix)) === outer.network;
}

export function formatIp(ip: IpAddress): string {
  if (ip.family === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => String((ip.value >> shift) & 0xffn)).join('.');
  }
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((shift) => (ip.value >> shift) & 0xffffn);
  // Compress the longest run of zero groups (length >= 2), as RFC 5952 asks.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== 0n) { i += 1; continue; }
    let j = i;
    while (j < groups.length && groups[j] === 0n) j += 1;
    if (j - i > bestLength) { bestStart = i; bestLength = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIp({ family: cidr.family, value: cidr.network })}/${cidr.prefix}`;
}

/** The canonical network `a.b.c.0/24` that contains `ip`; used to turn a pod IP into a block. */
export function networkOf(ip: string, prefix: number): string {
  const parsed = parseIp(ip);
  if (parsed === undefined) throw new Error(`networkOf: "${ip}" is not an IP address`);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > BITS[parsed.family]) {
    throw new Error(`networkOf: prefix ${prefix} is out of range for IPv${parsed.family}`);
  }
  return formatCidr({ family: parsed.family, network: parsed.value & mask(parsed.family, prefix), prefix });
}

/** The single-address block for `ip`: /32 for IPv4, /128 for IPv6. */
export function hostCidr(ip: string): string {
  const parsed = parseIp(ip);
  if (parsed === undefined) throw new Error(`hostCidr: "${ip}" is not an IP address`);
  return `${formatIp(parsed)}/${BITS[parsed.family]}`;
}

/**
 * Whether `ip` falls in an ipBlock: inside `cidr` and outside every `except` entry.
 * Returns undefined when the block or the address cannot be parsed, so callers can tell
 * "does not match" from "malformed".
 */
export function ipInBlock(ip: string, cidr: string, except: readonly string[] = []): boolean | undefined {
  const address = parseIp(ip);
  const block = parseCidr(cidr);
  if (address === undefined || block === undefined) return undefined;
  if (!cidrContainsIp(block, address)) return false;
  for (const entry of except) {
    const hole = parseCidr(entry);
    if (hole === undefined) return undefined;
    if (cidrContainsIp(hole, address)) return false;
  }
  return true;
}
