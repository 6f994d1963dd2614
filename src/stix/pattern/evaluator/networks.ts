/**
 * ISSUBSET and ISSUPERSET (STIX 2.1 section 9.6) on IPv4 and IPv6 addresses and CIDR blocks. An
 * address without a prefix is a block of one (/32 or /128); an IPv4-mapped IPv6 address
 * (::ffff:a.b.c.d) is treated as the IPv4 address it maps. IPv4 text must be four-part decimal.
 */
import ipaddr from 'ipaddr.js';

export interface Network {
  kind: 'ipv4' | 'ipv6';
  addr: ipaddr.IPv4 | ipaddr.IPv6;
  prefix: number;
}

const cache = new Map<string, Network | null>();

function parse(text: string): Network | null {
  const slash = text.indexOf('/');
  const host = slash < 0 ? text : text.slice(0, slash);
  if (!ipaddr.isValid(host)) return null;
  if (host.includes('.') && !host.includes(':') && !ipaddr.IPv4.isValidFourPartDecimal(host)) return null;
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  let prefix: number;
  if (slash < 0) {
    addr = ipaddr.parse(host);
    prefix = addr.kind() === 'ipv4' ? 32 : 128;
  } else {
    if (!ipaddr.isValidCIDR(text)) return null;
    [addr, prefix] = ipaddr.parseCIDR(text);
  }
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress() && prefix >= 96) {
    addr = (addr as ipaddr.IPv6).toIPv4Address();
    prefix -= 96;
  }
  return { kind: addr.kind(), addr, prefix };
}

/** The block an address or CIDR string denotes, or null if it is neither. */
export function parseNetwork(text: string): Network | null {
  let n = cache.get(text);
  if (n === undefined) {
    n = parse(text);
    if (cache.size >= 4096) cache.clear();
    cache.set(text, n);
  }
  return n;
}

/** Whether block `inner` lies within block `outer` (same address family). */
export function isSubnet(inner: Network, outer: Network): boolean {
  if (inner.kind !== outer.kind || inner.prefix < outer.prefix) return false;
  return inner.addr.match(outer.addr, outer.prefix);
}
