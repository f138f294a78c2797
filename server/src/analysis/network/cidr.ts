import { BlockList, isIP } from 'node:net';

export interface Cidr {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/**
 * Where pods, services and nodes live: RFC 1918, RFC 6598 shared space (used for pod ranges
 * by several clouds) and IPv6 unique local addresses. An `except` that carves any of them out
 * of `0.0.0.0/0` turns "anything" into "the internet, not the cluster": a deliberate bound.
 */
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7'].map((c) => parseCidr(c)!);

export function parseCidr(text: string): Cidr | undefined {
  const match = /^([^/\s]+)\/(\d{1,3})$/.exec(text.trim());
  if (!match) return undefined;
  const version = isIP(match[1]);
  const prefix = Number(match[2]);
  if (version === 0 || prefix > (version === 4 ? 32 : 128)) return undefined;
  return { address: match[1], prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

function contains(block: Cidr, address: string, family: Cidr['family']): boolean {
  if (block.family !== family) return false;
  const list = new BlockList();
  list.addSubnet(block.address, block.prefix, block.family);
  return list.check(address, family);
}

/** CIDR blocks are nested or disjoint, so they overlap iff one contains the other's address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return contains(a, b.address, b.family) || contains(b, a.address, a.family);
}

/**
 * True for `0.0.0.0/0` or `::/0` whose `except` list leaves the cluster's private ranges in:
 * the block then admits every address, pods included on most network plugins.
 */
export function admitsAnyAddress(cidrText: string, except: readonly string[]): boolean {
  const cidr = parseCidr(cidrText);
  if (!cidr || cidr.prefix !== 0) return false;
  const carved = except.map(parseCidr).filter((c): c is Cidr => !!c && c.family === cidr.family);
  return !carved.some((c) => PRIVATE_RANGES.some((p) => cidrsOverlap(c, p)));
}
