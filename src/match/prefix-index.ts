/**
 * "Which CIDR blocks contain this address (or block)?" as one hash table per prefix length, keyed by
 * the block's network address. A query masks the address to each prefix length in use (at most 33
 * for IPv4, 129 for IPv6) and probes that table: O(1) per length, so O(33) / O(129) at worst, and
 * nested or overlapping blocks need no special care (each lives in its own table).
 *
 * Why not a sorted interval list or an interval tree: both answer in O(log n), but nested ranges
 * make "all containing intervals" an output-sensitive walk, and an insert or a removal (a revoked
 * indicator) means rebuilding or rebalancing. Hash tables take insertions and removals in O(1), which
 * the incremental refresh needs, and real feeds use few prefix lengths, so few probes are made.
 */
import ipaddr from 'ipaddr.js';
import { type Bucket, bucketAdd, bucketEach, bucketRemove } from './multimap.js';

/** An IPv4 or IPv6 block; an IPv4-mapped IPv6 block (::ffff:0:0/96 and longer) is its IPv4 block. */
export interface Block {
  family: 4 | 6;
  /** IPv4: the address as an unsigned 32-bit number. IPv6: 32 lower-case hex digits. */
  addr: number | string;
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
    return prefix > 32 ? null : { family: 4, addr, prefix };
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
    return {
      family: 4,
      addr: ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0,
      prefix: prefix - 96,
    };
  }
  return { family: 6, addr: Buffer.from(v6.toByteArray()).toString('hex'), prefix };
}

/** The canonical text of an IPv4 block (dotted quad, `/n` unless a single address). */
export const v4Text = (n: number, prefix: number): string =>
  `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}${prefix === 32 ? '' : `/${prefix}`}`;

const NIBBLE_MASK = [0x0, 0x8, 0xc, 0xe];

/** The first `prefix` bits of a 32-hex-digit IPv6 address, as a key. */
function v6Key(hex: string, prefix: number): string {
  const full = prefix >> 2;
  const rest = prefix & 3;
  if (rest === 0) return hex.slice(0, full);
  const nibble = Number.parseInt(hex[full]!, 16) & NIBBLE_MASK[rest]!;
  return hex.slice(0, full) + nibble.toString(16);
}

const v4Key = (addr: number, prefix: number): number =>
  prefix === 0 ? 0 : (addr & (0xffffffff << (32 - prefix))) >>> 0;

/** The top 16 bits of a block, masked to its prefix when shorter: the filter's slot. */
const slot16 = (top16: number, prefix: number): number =>
  prefix >= 16 ? top16 : prefix === 0 ? 0 : top16 & (0xffff << (16 - prefix)) & 0xffff;

const top16Of = (block: Block): number =>
  block.family === 4
    ? (block.addr as number) >>> 16
    : Number.parseInt((block.addr as string).slice(0, 4), 16);

/** One family's tables: per prefix length, the blocks by key and a count per top-16-bit slot. */
interface Tables {
  maps: (Map<number | string, Bucket<object>> | undefined)[];
  /**
   * How many blocks of each length fall in each of the 65,536 top-16-bit slots: one typed-array read
   * skips a length with nothing there, before any key is built or hashed (most lengths, usually).
   */
  counts: (Uint32Array | undefined)[];
  /** Prefix lengths in use, ascending, so a query probes only those. */
  lengths: number[];
}

const tables = (n: number): Tables => ({ maps: new Array(n), counts: new Array(n), lengths: [] });

/** Blocks of both families, each holding values; which blocks contain a given block. */
export class PrefixIndex<V extends object> {
  private readonly v4 = tables(33);
  private readonly v6 = tables(129);
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(block: Block, value: V): void {
    this.count++;
    const t = block.family === 4 ? this.v4 : this.v6;
    let m = t.maps[block.prefix];
    let c = t.counts[block.prefix];
    if (!m || !c) {
      m = new Map();
      c = new Uint32Array(65536);
      t.maps[block.prefix] = m;
      t.counts[block.prefix] = c;
      t.lengths = [];
      for (let i = 0; i < t.maps.length; i++) if (t.maps[i]) t.lengths.push(i);
    }
    bucketAdd(m, keyOf(block, block.prefix), value);
    c[slot16(top16Of(block), block.prefix)]!++;
  }

  remove(block: Block, value: V): void {
    const t = block.family === 4 ? this.v4 : this.v6;
    const m = t.maps[block.prefix];
    const c = t.counts[block.prefix];
    if (!m || !c) return;
    if (!bucketRemove(m, keyOf(block, block.prefix), value)) return;
    this.count--;
    c[slot16(top16Of(block), block.prefix)]!--;
  }

  /** Calls `fn` with the value of every stored block that contains `block` (ISSUBSET). */
  containing(block: Block, fn: (v: V) => void): void {
    const top = top16Of(block);
    if (block.family === 4) {
      const addr = block.addr as number;
      const t = this.v4;
      for (const len of t.lengths) {
        if (len > block.prefix) break;
        if (t.counts[len]![slot16(top, len)] === 0) continue;
        bucketEach(t.maps[len]!.get(v4Key(addr, len)) as Bucket<V> | undefined, fn);
      }
    } else {
      const hex = block.addr as string;
      const t = this.v6;
      for (const len of t.lengths) {
        if (len > block.prefix) break;
        if (t.counts[len]![slot16(top, len)] === 0) continue;
        bucketEach(t.maps[len]!.get(v6Key(hex, len)) as Bucket<V> | undefined, fn);
      }
    }
  }
}

const keyOf = (block: Block, prefix: number): number | string =>
  block.family === 4 ? v4Key(block.addr as number, prefix) : v6Key(block.addr as string, prefix);
