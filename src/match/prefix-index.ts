/**
 * "Which CIDR blocks contain this address (or block)?": parsing blocks as the evaluator reads them,
 * and a BlockTrie per family (a direct table of the first 16 bits, then a bit trie; see
 * block-trie.ts). A query builds no key and allocates nothing.
 */
import ipaddr from 'ipaddr.js';
import { BlockTrie } from './block-trie.js';

/** An IPv4 or IPv6 block; an IPv4-mapped IPv6 block (::ffff:0:0/96 and longer) is its IPv4 block. */
export interface Block {
  family: 4 | 6;
  /** IPv4: the address as an unsigned 32-bit number. IPv6: 32 lower-case hex digits. */
  addr: number | string;
  /** The address as unsigned 32-bit words, most significant first (one for IPv4, four for IPv6). */
  words: readonly number[];
  prefix: number;
}

const V4_RE = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})(?:\/(\d{1,2}))?$/;
/** Only what could be IPv6 goes to ipaddr.js: its failures are exceptions, slow in bulk. */
const V6_RE = /^[0-9a-fA-F:.]+(?:%[0-9a-zA-Z]+)?(?:\/\d{1,3})?$/;

/**
 * The block an address or CIDR text denotes, as the evaluator reads it (src/stix/pattern evaluator
 * networks.ts): IPv4 only in four-part decimal, a bare address is a /32 or /128, an IPv4-mapped
 * IPv6 block of /96 or longer is the IPv4 block.
 */
export function parseBlock(text: string): Block | null {
  const m = V4_RE.exec(text);
  if (m) {
    let addr = 0;
    for (let i = 1; i <= 4; i++) {
      const o = Number(m[i]);
      if (o > 255) return null;
      addr = addr * 256 + o;
    }
    const prefix = m[5] === undefined ? 32 : Number(m[5]);
    return prefix > 32 ? null : { family: 4, addr, words: [addr], prefix };
  }
  if (!text.includes(':') || !V6_RE.test(text)) return null;
  const slash = text.indexOf('/');
  const host = slash < 0 ? text : text.slice(0, slash);
  if (!ipaddr.IPv6.isValid(host)) return null;
  let v6: ipaddr.IPv6;
  let prefix: number;
  if (slash < 0) {
    v6 = ipaddr.IPv6.parse(host);
    prefix = 128;
  } else {
    prefix = Number(text.slice(slash + 1));
    if (prefix > 128) return null;
    v6 = ipaddr.IPv6.parse(host);
  }
  if (v6.isIPv4MappedAddress() && prefix >= 96) {
    const b = v6.toIPv4Address().toByteArray();
    const addr = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
    return { family: 4, addr, words: [addr], prefix: prefix - 96 };
  }
  const p = v6.parts;
  const words = [0, 2, 4, 6].map((i) => ((p[i]! << 16) | p[i + 1]!) >>> 0);
  return { family: 6, addr: Buffer.from(v6.toByteArray()).toString('hex'), words, prefix };
}

/** The canonical text of an IPv4 block (dotted quad, `/n` unless a single address). */
export const v4Text = (n: number, prefix: number): string =>
  `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}${prefix === 32 ? '' : `/${prefix}`}`;

/** Blocks of both families, each holding values; which blocks contain a given block. */
export class PrefixIndex<V extends object> {
  private readonly v4 = new BlockTrie<V>();
  private readonly v6 = new BlockTrie<V>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(block: Block, value: V): void {
    this.count++;
    (block.family === 4 ? this.v4 : this.v6).add(block, value);
  }

  remove(block: Block, value: V): void {
    if ((block.family === 4 ? this.v4 : this.v6).remove(block, value)) this.count--;
  }

  /** Reads what `containing(block)` reads first (see BlockTrie.warm). */
  warm(block: Block): number {
    return (block.family === 4 ? this.v4 : this.v6).warm(block);
  }

  /** Calls `fn` with the value of every stored block that contains `block` (ISSUBSET). */
  containing(block: Block, fn: (v: V) => void): void {
    (block.family === 4 ? this.v4 : this.v6).containing(block, fn);
  }
}
