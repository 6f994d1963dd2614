/**
 * Seeded random indicators and observables for the differential test and the benchmark. Values are
 * generated in their normal form (lower-case hex and domains, WHATWG URLs, RFC 5952 IPv6), where
 * the index's normalisation and the evaluator's exact comparison agree.
 */
import ipaddr from 'ipaddr.js';

/** mulberry32: small, fast, good enough to spread test data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RandomIntelOptions {
  seed?: number;
  /** Share of the value pools an observable is drawn from (vs. a fresh value that matches nothing). */
  hitRate?: number;
  /** Include patterns the evaluator must confirm or run alone (AND, WITHIN, LIKE, windows). */
  complex?: boolean;
  /** How many distinct values each pool holds (default: indicators / 8). */
  poolSize?: number;
}

const HEX_LEN = { MD5: 32, 'SHA-1': 40, 'SHA-256': 64, 'SHA-512': 128 } as const;
const ALGS = Object.keys(HEX_LEN) as (keyof typeof HEX_LEN)[];
const WORDS = 'alpha bravo delta echo kilo lima nova oscar papa sierra tango zulu'.split(' ');

export class RandomIntel {
  readonly r: () => number;
  private readonly hitRate: number;
  private readonly complex: boolean;
  private readonly pools = new Map<string, string[]>();
  private readonly poolSize: number;

  constructor(indicators: number, opts: RandomIntelOptions = {}) {
    this.r = rng(opts.seed ?? 1);
    this.hitRate = opts.hitRate ?? 0.5;
    this.complex = opts.complex ?? true;
    this.poolSize = opts.poolSize ?? Math.max(16, Math.floor(indicators / 8));
  }

  int(n: number): number {
    return Math.floor(this.r() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  hex(len: number): string {
    let s = '';
    while (s.length < len) s += this.int(0x100000000).toString(16).padStart(8, '0');
    return s.slice(0, len);
  }
  domain(): string {
    return `${this.pick(WORDS)}${this.int(1e6)}.${this.pick(['example', 'test', 'invalid', 'com', 'org'])}`;
  }
  url(): string {
    return new URL(`http://${this.domain()}/${this.pick(WORDS)}/${this.int(1000)}?q=${this.int(100)}`).href;
  }
  ipv4(): string {
    return [this.int(224) + 1, this.int(256), this.int(256), this.int(256)].join('.');
  }
  ipv6(): string {
    // Global unicast (2000::/4), spread so that short blocks do not contain every address.
    const parts = [
      (0x2000 + this.int(0x1000)).toString(16),
      ...Array.from({ length: 7 }, () => this.int(0x10000).toString(16)),
    ];
    if (this.r() < 0.2) parts.splice(4, 3, '0', '0', '0');
    return ipaddr.parse(parts.join(':')).toString();
  }

  /** A value of `kind` from its pool (so indicators and observables meet), filling the pool first. */
  pooled(kind: string, make: () => string): string {
    let pool = this.pools.get(kind);
    if (!pool) {
      pool = [];
      this.pools.set(kind, pool);
    }
    if (pool.length < this.poolSize) {
      const v = make();
      pool.push(v);
      return v;
    }
    return this.pick(pool);
  }

  private hash(alg: keyof typeof HEX_LEN) {
    return this.pooled(alg, () => this.hex(HEX_LEN[alg]));
  }

  /** A CIDR block around a pooled address, at a random prefix length. */
  private v4Block(): string {
    const a = ipaddr.parse(this.pooled('ipv4', () => this.ipv4())) as ipaddr.IPv4;
    // Mostly narrow blocks, as in feeds: a few /8-/15, more /16-/23, most /24-/32.
    const x = this.r();
    const len = x < 0.05 ? 8 + this.int(8) : x < 0.3 ? 16 + this.int(8) : 24 + this.int(9);
    const net = ipaddr.IPv4.networkAddressFromCIDR(`${a.toString()}/${len}`);
    return `${net.toString()}/${len}`;
  }
  private v6Block(): string {
    const a = ipaddr.parse(this.pooled('ipv6', () => this.ipv6())) as ipaddr.IPv6;
    const x = this.r();
    const len = x < 0.05 ? 16 + this.int(16) : x < 0.5 ? 32 + this.int(33) : 64 + this.int(65);
    const net = ipaddr.IPv6.networkAddressFromCIDR(`${a.toString()}/${len}`);
    return `${net.toString()}/${len}`;
  }

  /** One indicator pattern. */
  pattern(): string {
    const k = this.int(this.complex ? 20 : 14);
    switch (k) {
      case 0:
      case 1: {
        const alg = this.pick(ALGS);
        return `[file:hashes.'${alg}' = '${this.hash(alg)}']`;
      }
      case 2:
      case 3:
        return `[domain-name:value = '${this.pooled('domain', () => this.domain())}']`;
      case 4:
      case 5:
        return `[url:value = '${this.pooled('url', () => this.url())}']`;
      case 6:
        return `[ipv4-addr:value = '${this.pooled('ipv4', () => this.ipv4())}']`;
      case 7:
        return `[ipv6-addr:value = '${this.pooled('ipv6', () => this.ipv6())}']`;
      case 8:
        return `[ipv4-addr:value ISSUBSET '${this.v4Block()}']`;
      case 9:
        return `[ipv6-addr:value ISSUBSET '${this.v6Block()}']`;
      case 10:
        return `[email-addr:value = '${this.pooled('email', () => `${this.pick(WORDS)}${this.int(1e5)}@${this.domain()}`)}']`;
      case 11:
        return `[file:name = '${this.pooled('name', () => `${this.pick(WORDS)}${this.int(1e5)}.exe`)}'] OR [mutex:name = '${this.pooled('word', () => `${this.pick(WORDS)}-${this.int(1e5)}`)}']`;
      case 12:
        return `[domain-name:value IN ('${this.pooled('domain', () => this.domain())}', '${this.pooled('domain', () => this.domain())}')]`;
      case 13: {
        const a = ipaddr.parse(this.pooled('ipv4', () => this.ipv4())) as ipaddr.IPv4;
        return `[ipv6-addr:value ISSUBSET '::ffff:${a.toString()}/${120 + this.int(9)}']`;
      }
      case 14:
        return `[file:name = '${this.pooled('name', () => `${this.pick(WORDS)}${this.int(1e5)}.exe`)}' AND file:size = 3]`;
      case 15:
        return `[domain-name:value = '${this.pooled('domain', () => this.domain())}'] WITHIN 60 SECONDS`;
      case 16:
        return `[ipv4-addr:value = '${this.pooled('ipv4', () => this.ipv4())}'] AND [domain-name:value = '${this.pooled('domain', () => this.domain())}']`;
      case 17:
        return `[url:value = '${this.pooled('url', () => this.url())}' OR ipv4-addr:value ISSUBSET '${this.v4Block()}']`;
      case 18:
        // Rare: patterns no key stands for run on every lookup.
        return this.r() < 0.02
          ? `[domain-name:value LIKE '${this.pick(WORDS)}1%']`
          : `[file:hashes.MD5 = '${this.hash('MD5')}'] OR [domain-name:value = '${this.pooled('domain', () => this.domain())}']`;
      default:
        return `[ipv4-addr:value ISSUBSET '${this.v4Block()}'] OR [ipv6-addr:value ISSUBSET '${this.v6Block()}']`;
    }
  }

  /** One indicator object; with `complex`, some are expired or not yet valid. */
  indicator(extra: Record<string, unknown> = {}): Record<string, unknown> {
    const w = this.complex ? this.int(10) : 9;
    const window =
      w === 0
        ? { valid_from: '2020-01-01T00:00:00Z', valid_until: '2021-01-01T00:00:00Z' }
        : w === 1
          ? { valid_from: '2030-01-01T00:00:00Z' }
          : { valid_from: '2024-01-01T00:00:00Z' };
    return {
      type: 'indicator',
      spec_version: '2.1',
      id: `indicator--${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-8${this.hex(3)}-${this.hex(12)}`,
      created: '2024-01-01T00:00:00.000Z',
      modified: '2024-01-01T00:00:00.000Z',
      pattern: this.pattern(),
      pattern_type: 'stix',
      confidence: this.int(101),
      ...window,
      ...extra,
    };
  }

  /** One looked-up value: from the pools with probability hitRate, else fresh. */
  observable(): string {
    const hit = this.r() < this.hitRate;
    const from = (kind: string, make: () => string) =>
      hit && this.pools.has(kind) ? this.pick(this.pools.get(kind)!) : make();
    switch (this.int(11)) {
      case 0: {
        const alg = this.pick(ALGS);
        return from(alg, () => this.hex(HEX_LEN[alg]));
      }
      case 1:
        return from('domain', () => this.domain());
      case 2:
        return from('url', () => this.url());
      case 3:
      case 4: {
        // Near a pooled address, so that CIDR blocks around it contain it.
        const base = from('ipv4', () => this.ipv4());
        const b = (ipaddr.parse(base) as ipaddr.IPv4).octets.slice();
        if (this.r() < 0.5) b[3] = this.int(256);
        return b.join('.');
      }
      case 5: {
        const base = from('ipv6', () => this.ipv6());
        const a = (ipaddr.parse(base) as ipaddr.IPv6).parts.slice();
        if (this.r() < 0.5) a[7] = this.int(0x10000);
        return new ipaddr.IPv6(a).toString();
      }
      case 6:
        return `::ffff:${from('ipv4', () => this.ipv4())}`;
      case 7:
        return from('email', () => `${this.pick(WORDS)}${this.int(1e5)}@${this.domain()}`);
      case 8:
        return from('name', () => `${this.pick(WORDS)}${this.int(1e5)}.exe`);
      case 9:
        return from('word', () => `${this.pick(WORDS)}-${this.int(1e5)}`);
      default:
        return `${this.pick(WORDS)}1${this.int(100)}.example`;
    }
  }
}
