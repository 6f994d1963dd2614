/**
 * "Which CIDR blocks contain this address (or block)?" as a binary trie over the address bits, one
 * per family, its nodes in typed arrays: a block is the node its prefix bits lead to, and the blocks
 * containing an address are the nodes with values on the path its bits walk, so a query reads at
 * most 33 (IPv4) or 129 (IPv6) nodes, stops where the path leaves the trie (at once, for most
 * addresses no block is near), builds no key and allocates nothing.
 *
 * Why a trie: nested and overlapping blocks need no splitting (each is its own node), insertion and
 * removal are a walk of at most 32 / 128 steps, which the incremental refresh needs (a sorted
 * interval array would need rebuilding), and a query costs the same whatever the prefix lengths in
 * use (the earlier hash table per prefix length probed every length in use: up to 129 for IPv6).
 */
import ipaddr from 'ipaddr.js';
import type { Bucket } from './multimap.js';

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

const bitAt = (words: readonly number[], i: number): number => (words[i >>> 5]! >>> (31 - (i & 31))) & 1;

/**
 * Blocks of one family as a binary trie. Node n is t[3n], t[3n + 1], t[3n + 2]: its two children
 * (0: none; the root, node 0, is nobody's child) and its values' slot in buckets (0: none). One
 * array, a node's three numbers side by side: a query's step down reads one cache line, where
 * separate arrays of children and slots cost two misses a level on a trie of millions of nodes. A
 * node whose last value is removed keeps its place (a later block there reuses it): churn grows
 * the array only by blocks never seen before.
 */
class BitTrie<V extends object> {
  private t = new Int32Array(3 * 1024);
  private nodes = 1;
  private readonly buckets: (Bucket<V> | undefined)[] = [undefined];
  private readonly freeSlots: number[] = [];

  /** The node of a block, made when `create`; -1 when absent. */
  private nodeOf(block: Block, create: boolean): number {
    let node = 0;
    for (let i = 0; i < block.prefix; i++) {
      const k = 3 * node + bitAt(block.words, i);
      let next = this.t[k]!;
      if (next === 0) {
        if (!create) return -1;
        next = this.newNode();
        this.t[k] = next;
      }
      node = next;
    }
    return node;
  }

  private newNode(): number {
    if (3 * this.nodes === this.t.length) {
      const t = new Int32Array(this.t.length * 2);
      t.set(this.t);
      this.t = t;
    }
    return this.nodes++;
  }

  add(block: Block, value: V): void {
    const node = this.nodeOf(block, true);
    const s = this.t[3 * node + 2]!;
    if (s !== 0) {
      const b = this.buckets[s]!;
      if (Array.isArray(b)) b.push(value);
      else this.buckets[s] = [b, value];
      return;
    }
    const free = this.freeSlots.pop() ?? this.buckets.push(undefined) - 1;
    this.buckets[free] = value;
    this.t[3 * node + 2] = free;
  }

  /** Whether `value` was there under `block`. */
  remove(block: Block, value: V): boolean {
    const node = this.nodeOf(block, false);
    if (node < 0) return false;
    const s = this.t[3 * node + 2]!;
    const b = s === 0 ? undefined : this.buckets[s]!;
    if (b === undefined) return false;
    if (!Array.isArray(b)) {
      if (b !== value) return false;
      this.buckets[s] = undefined;
      this.t[3 * node + 2] = 0;
      this.freeSlots.push(s);
      return true;
    }
    const i = b.indexOf(value);
    if (i < 0) return false;
    b.splice(i, 1);
    if (b.length === 1) this.buckets[s] = b[0]!;
    return true;
  }

  /** Calls `fn` with the values of every block on the path of `block`'s bits, down to its own length. */
  containing(block: Block, fn: (v: V) => void): void {
    const { t, buckets } = this;
    const w = block.words;
    const last = block.prefix;
    let node = 0;
    for (let i = 0; ; i++) {
      const s = t[3 * node + 2]!;
      if (s !== 0) {
        const b = buckets[s]!;
        if (Array.isArray(b)) for (let j = 0; j < b.length; j++) fn(b[j]!);
        else fn(b);
      }
      if (i === last) return;
      node = t[3 * node + ((w[i >>> 5]! >>> (31 - (i & 31))) & 1)]!;
      if (node === 0) return;
    }
  }
}

/** Blocks of both families, each holding values; which blocks contain a given block. */
export class PrefixIndex<V extends object> {
  private readonly v4 = new BitTrie<V>();
  private readonly v6 = new BitTrie<V>();
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

  /** Calls `fn` with the value of every stored block that contains `block` (ISSUBSET). */
  containing(block: Block, fn: (v: V) => void): void {
    (block.family === 4 ? this.v4 : this.v6).containing(block, fn);
  }
}
