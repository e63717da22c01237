/**
 * IPv4/IPv6 address parsing and CIDR membership, for the EventBridge `cidr` matcher.
 * Addresses are turned into bigints (IPv4: 32 bits, IPv6: 128 bits).
 */

export interface IpAddress {
  readonly version: 4 | 6;
  readonly value: bigint;
}

export interface CidrRange {
  readonly version: 4 | 6;
  readonly first: bigint;
  readonly last: bigint;
}

const IPV4_PART = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!IPV4_PART.test(part)) return undefined;
    value = (value << 8n) | BigInt(Number(part));
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  let body = text;
  // An embedded IPv4 tail (::ffff:10.0.0.1) stands for the last two groups.
  const lastColon = body.lastIndexOf(':');
  if (body.slice(lastColon + 1).includes('.')) {
    const v4 = parseIpv4(body.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    body = `${body.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (part: string | undefined): bigint[] | undefined => {
    if (part === undefined || part === '') return [];
    const groups: bigint[] = [];
    for (const group of part.split(':')) {
      if (!HEX_GROUP.test(group)) return undefined;
      groups.push(BigInt(Number.parseInt(group, 16)));
    }
    return groups;
  };
  const head = parseGroups(halves[0]);
  const rest = halves.length === 2 ? parseGroups(halves[1]) : [];
  if (head === undefined || rest === undefined) return undefined;
  const explicit = head.length + rest.length;
  if (halves.length === 2 ? explicit > 7 : explicit !== 8) return undefined;
  const groups = [...head, ...Array<bigint>(8 - explicit).fill(0n), ...rest];
  return groups.reduce((acc, group) => (acc << 16n) | group, 0n);
}

/** Parses an IPv4 or IPv6 address; undefined if `text` is not one. */
export function parseIp(text: string): IpAddress | undefined {
  if (text.includes(':')) {
    const value = parseIpv6(text);
    return value === undefined ? undefined : { version: 6, value };
  }
  const value = parseIpv4(text);
  return value === undefined ? undefined : { version: 4, value };
}

/** Parses `address/prefix`; throws an Error with EventBridge's wording when malformed. */
export function parseCidr(text: string): CidrRange {
  const slash = text.indexOf('/');
  if (slash === -1 || slash !== text.lastIndexOf('/')) throw new Error(`Malformed CIDR, one '/' required`);
  const address = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (address === undefined) throw new Error(`Invalid CIDR: ${text}`);
  const bits = address.version === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) {
    throw new Error(`Invalid CIDR: ${text}`);
  }
  const hostBits = BigInt(bits - Number(prefixText));
  const mask = (1n << hostBits) - 1n;
  const first = address.value & ~mask;
  return { version: address.version, first, last: first | mask };
}

/** True if `text` is an IP address of the range's version inside the range. */
export function ipInRange(text: string, range: CidrRange): boolean {
  const address = parseIp(text);
  return (
    address !== undefined &&
    address.version === range.version &&
    address.value >= range.first &&
    address.value <= range.last
  );
}
