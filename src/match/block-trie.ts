/**
 * The CIDR blocks of one address family, for "which stored blocks contain this address (or block)?".
 *
 * The first 16 bits index a direct root table of 2^16 entries; below it, a binary trie over the
 * remaining bits. The blocks containing an address form a nested chain, and a query returns all of
 * it, so each part answers for its own prefix lengths:
 *
 * - A block of /1 to /16 ("short") is a record in the root level, expanded over the 2^(16 - p)
 *   entries it spans: each entry holds its longest short block, and each short block links to the
 *   next shorter one containing it (`up`). A query reads one entry and follows the links.
 * - A block longer than /16 is a node of the binary trie under its /16 entry (the entry's other
 *   number), as in a plain bit trie: the query walks the bits past 16 and collects the nodes with
 *   values on its path.
 * - /0 contains everything: one bucket, always answered.
 *
 * Why this shape: a bit trie from the root spent its first 16 steps in nodes shared by thousands of
 * blocks, scattered over an array of millions of nodes, each step a cache miss on a large index; the
 * root entry costs one read of a 512 KiB table. Below /16 blocks are few per entry, and a block's
 * own path is made in one insert, so it lies contiguous in the node array. A multibit trie all the
 * way down (stride 8) would spend a 2 KiB node per level per sparse block: hundreds of MiB for the
 * IPv6 blocks of a million indicators, where the index has about 70 MiB left under its 1 GiB.
 *
 * Insertion and removal are incremental (the index follows the store): a short block rewrites at
 * most its 2^(16 - p) root entries and the links of the blocks just inside it; a long one is a walk
 * of at most 112 steps. A trie node whose last value is removed keeps its place (a later block there
 * reuses it), so churn grows the node array only by blocks never seen before.
 */
import type { Bucket } from './multimap.js';

/** The block walked by the trie: the address as 32-bit words (most significant first), and its length. */
export interface TrieBlock {
  readonly words: readonly number[];
  readonly prefix: number;
}

const ROOT_BITS = 16;
const ROOT_SIZE = 1 << ROOT_BITS;

export class BlockTrie<V extends object> {
  /**
   * Root entry i (the first 16 bits) at 2i and 2i + 1: its trie node (0: none) and its longest short
   * block's slot (0: none), side by side so that a query reads one line. Made on the first block.
   */
  private root: Int32Array | undefined;
  /** Trie node n is t[3n], t[3n + 1], t[3n + 2]: its two children (0: none) and its values' slot. */
  private t = new Int32Array(3 * 1024);
  private nodes = 1;
  /** Slot s: the values of one block (0 is never used, so that 0 means none). */
  private readonly buckets: (Bucket<V> | undefined)[] = [undefined];
  /** For a short block's slot: its prefix length (0 for slot 0, so that a walk up stops there). */
  private readonly prefixOf: number[] = [0];
  /** For a short block's slot: the slot of the next shorter short block containing it (0: none). */
  private readonly up: number[] = [0];
  private readonly freeSlots: number[] = [];
  /** The slot of /0, if held. */
  private whole = 0;

  add(block: TrieBlock, value: V): void {
    const p = block.prefix;
    if (p === 0) {
      if (this.whole !== 0) {
        this.put(this.whole, value);
        return;
      }
      this.whole = this.newSlot(0);
      this.buckets[this.whole] = value;
      return;
    }
    this.root ??= new Int32Array(2 * ROOT_SIZE);
    const root = this.root;
    const first = firstEntry(block);
    if (p <= ROOT_BITS) {
      const found = this.shortSlot(first, p);
      if (found > 0) {
        this.put(found, value);
        return;
      }
      const s = this.newSlot(p);
      this.buckets[s] = value;
      // The longest short block shorter than p covering `first` covers every entry of the span.
      this.up[s] = -found;
      const end = first + (1 << (ROOT_BITS - p));
      for (let i = first; i < end; i++) {
        const c = root[2 * i + 1]!;
        if (c === 0 || this.prefixOf[c]! < p) root[2 * i + 1] = s;
        else this.reparent(c, p, s);
      }
      return;
    }
    let node = root[2 * first]!;
    if (node === 0) {
      node = this.newNode();
      this.root![2 * first] = node;
    }
    const w = block.words;
    for (let i = ROOT_BITS; i < p; i++) {
      const k = 3 * node + bitAt(w, i);
      let next = this.t[k]!;
      if (next === 0) {
        next = this.newNode();
        this.t[k] = next;
      }
      node = next;
    }
    const s = this.t[3 * node + 2]!;
    if (s !== 0) {
      this.put(s, value);
      return;
    }
    const n = this.newSlot(0);
    this.buckets[n] = value;
    this.t[3 * node + 2] = n;
  }

  /** Whether `value` was there under `block`. */
  remove(block: TrieBlock, value: V): boolean {
    const p = block.prefix;
    if (p === 0) {
      if (this.whole === 0 || !this.take(this.whole, value)) return false;
      if (this.buckets[this.whole] === undefined) {
        this.freeSlot(this.whole);
        this.whole = 0;
      }
      return true;
    }
    const root = this.root;
    if (root === undefined) return false;
    const first = firstEntry(block);
    if (p <= ROOT_BITS) {
      const r = this.shortSlot(first, p);
      if (r <= 0 || !this.take(r, value)) return false;
      if (this.buckets[r] !== undefined) return true;
      // The block's last value went: its entries and the links of the blocks inside it skip it.
      const end = first + (1 << (ROOT_BITS - p));
      for (let i = first; i < end; i++) {
        let c = root[2 * i + 1]!;
        if (c === r) root[2 * i + 1] = this.up[r]!;
        else if (c !== 0) {
          while (this.prefixOf[this.up[c]!]! > p) c = this.up[c]!;
          if (this.up[c] === r) this.up[c] = this.up[r]!;
        }
      }
      this.freeSlot(r);
      return true;
    }
    let node = root[2 * first]!;
    const w = block.words;
    for (let i = ROOT_BITS; i < p && node !== 0; i++) node = this.t[3 * node + bitAt(w, i)]!;
    if (node === 0) return false;
    const s = this.t[3 * node + 2]!;
    if (s === 0 || !this.take(s, value)) return false;
    if (this.buckets[s] === undefined) {
      this.t[3 * node + 2] = 0;
      this.freeSlot(s);
    }
    return true;
  }

  /** Calls `fn` with the values of every stored block containing `block` (as long as it, or shorter). */
  containing(block: TrieBlock, fn: (v: V) => void): void {
    if (this.whole !== 0) this.emit(this.whole, fn);
    const root = this.root;
    if (root === undefined) return;
    const w = block.words;
    const last = block.prefix;
    if (last === 0) return;
    const first = w[0]! >>> (32 - ROOT_BITS);
    let s = root[2 * first + 1]!;
    const prefixOf = this.prefixOf;
    const up = this.up;
    // For a query shorter than /16 the entry's longest blocks may lie inside it: not containing.
    while (prefixOf[s]! > last) s = up[s]!;
    for (; s !== 0; s = up[s]!) this.emit(s, fn);
    if (last <= ROOT_BITS) return;
    let node = root[2 * first]!;
    if (node === 0) return;
    const t = this.t;
    const buckets = this.buckets;
    for (let i = ROOT_BITS; ; ) {
      node = t[3 * node + ((w[i >>> 5]! >>> (31 - (i & 31))) & 1)]!;
      if (node === 0) return;
      const v = t[3 * node + 2]!;
      if (v !== 0) {
        const b = buckets[v]!;
        if (Array.isArray(b)) for (let j = 0; j < b.length; j++) fn(b[j]!);
        else fn(b);
      }
      if (++i === last) return;
    }
  }

  /**
   * Reads the root entry and first trie node `containing(block)` will read, and returns a number
   * made of them (so that the reads are not optimised away). Batched lookups run it over many
   * addresses in a tight loop, so that the processor overlaps their cache misses.
   */
  warm(block: TrieBlock): number {
    const root = this.root;
    if (root === undefined) return 0;
    const w0 = block.words[0]!;
    const first = w0 >>> (32 - ROOT_BITS);
    const node = root[2 * first]!;
    const s = root[2 * first + 1]!;
    return node === 0 ? s : s ^ this.t[3 * node + ((w0 >>> (31 - ROOT_BITS)) & 1)]!;
  }

  private emit(s: number, fn: (v: V) => void): void {
    const b = this.buckets[s]!;
    if (Array.isArray(b)) for (let j = 0; j < b.length; j++) fn(b[j]!);
    else fn(b);
  }

  /**
   * The slot of the short block of length p covering root entry `first`, if held; else minus the
   * slot of the longest short block shorter than p covering it (-0 when none). The short blocks
   * covering an entry are exactly the chain from the entry's own.
   */
  private shortSlot(first: number, p: number): number {
    let s = this.root![2 * first + 1]!;
    while (this.prefixOf[s]! > p) s = this.up[s]!;
    return s !== 0 && this.prefixOf[s] === p ? s : -s;
  }

  /** Links to `s` (length p) the outermost block longer than p on the chain from `c`, which lies inside it. */
  private reparent(c: number, p: number, s: number): void {
    while (this.prefixOf[this.up[c]!]! > p) c = this.up[c]!;
    this.up[c] = s;
  }

  private put(s: number, value: V): void {
    const b = this.buckets[s]!;
    if (Array.isArray(b)) b.push(value);
    else this.buckets[s] = [b, value];
  }

  /** Takes `value` out of slot s's bucket (undefined when it was the last); whether it was there. */
  private take(s: number, value: V): boolean {
    const b = this.buckets[s];
    if (b === undefined) return false;
    if (!Array.isArray(b)) {
      if (b !== value) return false;
      this.buckets[s] = undefined;
      return true;
    }
    const i = b.indexOf(value);
    if (i < 0) return false;
    b.splice(i, 1);
    if (b.length === 1) this.buckets[s] = b[0]!;
    return true;
  }

  private newSlot(prefix: number): number {
    const s = this.freeSlots.pop() ?? this.buckets.push(undefined) - 1;
    this.prefixOf[s] = prefix;
    this.up[s] = 0;
    return s;
  }

  private freeSlot(s: number): void {
    this.buckets[s] = undefined;
    this.prefixOf[s] = 0;
    this.up[s] = 0;
    this.freeSlots.push(s);
  }

  private newNode(): number {
    if (3 * this.nodes === this.t.length) {
      const t = new Int32Array(this.t.length * 2);
      t.set(this.t);
      this.t = t;
    }
    return this.nodes++;
  }
}

/** The root entry of a block: its first 16 bits, those past its length cleared. */
function firstEntry(block: TrieBlock): number {
  const top = block.words[0]! >>> (32 - ROOT_BITS);
  const p = block.prefix;
  return p >= ROOT_BITS ? top : (top >>> (ROOT_BITS - p)) << (ROOT_BITS - p);
}

const bitAt = (words: readonly number[], i: number): number => (words[i >>> 5]! >>> (31 - (i & 31))) & 1;
