/**
 * The exact-value keys of the index: (field, value) -> one entry or several, in an open-addressing
 * table over one typed array. A lookup's probe carries the key's hash, computed once when the value
 * is typed, so a lookup touches one slot pair (hash, key number) and, on a hit only, the stored key
 * strings and the bucket. A Map per field did the same job at well under half the speed with a
 * million keys: its hash-table walk and key objects are scattered over the heap, and every lookup
 * paid cache and TLB misses for each.
 */
import { randomInt } from 'node:crypto';
import type { Bucket } from './multimap.js';

/**
 * Per-process seed, so that nobody can choose indicator values that collide in this table (the
 * keys come from peers' and users' input; collisions would turn lookups into long scans).
 */
const SEED = randomInt(2 ** 31 - 1);

/**
 * The 32-bit hash of a key: FNV-1a over the UTF-16 code units of field and value, seeded, with the
 * MurmurHash3 finaliser for the low bits the table indexes by.
 */
export function keyHash(field: string, value: string): number {
  let h = (0x811c9dc5 ^ SEED) | 0;
  for (let i = 0; i < field.length; i++) h = Math.imul(h ^ field.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ 0xff, 0x01000193);
  for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

const EMPTY = 0;
const MIN_CAPACITY = 1 << 10;

export class ExactTable<V extends object> {
  /** @param hashOf keyHash, or (in tests) a worse one that forces long probe runs. */
  constructor(private readonly hashOf: (field: string, value: string) => number = keyHash) {}

  /** Slot pairs: [hash, key number + 1], 0 in the second place for an empty slot. */
  private slots = new Int32Array(MIN_CAPACITY * 2);
  private mask = MIN_CAPACITY - 1;
  /**
   * Key number k's field, value and bucket at 3k, 3k+1, 3k+2: one array, so a hit reads one cache
   * line for all three rather than one line in each of three arrays.
   */
  private readonly keys: (string | Bucket<V> | undefined)[] = [];
  /** Key numbers freed by removals, reused before the arrays grow. */
  private readonly free: number[] = [];
  private count = 0;

  /** Distinct keys held. */
  get size(): number {
    return this.count;
  }

  /** The bucket under (field, value); `hash` must be hashOf(field, value). */
  get(field: string, value: string, hash: number): Bucket<V> | undefined {
    const slots = this.slots;
    const mask = this.mask;
    let s = hash & mask;
    for (;;) {
      const k = slots[2 * s + 1]!;
      if (k === EMPTY) return undefined;
      if (slots[2 * s] === hash) {
        const at = 3 * (k - 1);
        const keys = this.keys;
        if (keys[at + 1] === value && keys[at] === field) return keys[at + 2] as Bucket<V>;
      }
      s = (s + 1) & mask;
    }
  }

  /**
   * The first key number whose stored hash is `hash`, or -1: the first half of a lookup, reading the
   * slots only. Batched lookups run it over many probes in a tight loop, so that the processor
   * overlaps the cache misses of independent probes, then `confirm` each candidate.
   */
  candidate(hash: number): number {
    const slots = this.slots;
    const mask = this.mask;
    let s = hash & mask;
    for (;;) {
      const k = slots[2 * s + 1]!;
      if (k === EMPTY) return -1;
      if (slots[2 * s] === hash) return k - 1;
      s = (s + 1) & mask;
    }
  }

  /**
   * The bucket under (field, value) given `candidate(hash)`: the candidate's key when it is this
   * one, else (another key with the same 32-bit hash, rare) the full walk.
   */
  confirm(k: number, field: string, value: string, hash: number): Bucket<V> | undefined {
    if (k < 0) return undefined;
    const keys = this.keys;
    const at = 3 * k;
    if (keys[at + 1] === value && keys[at] === field) return keys[at + 2] as Bucket<V>;
    return this.get(field, value, hash);
  }

  /** Adds `v` under (field, value); true when the key is new. */
  add(field: string, value: string, v: V): boolean {
    const hash = this.hashOf(field, value);
    const k = this.find(field, value, hash);
    if (k >= 0) {
      const b = this.keys[3 * k + 2] as Bucket<V>;
      if (Array.isArray(b)) b.push(v);
      else this.keys[3 * k + 2] = [b, v];
      return false;
    }
    if ((this.count + 1) * 2 > this.mask + 1) this.grow();
    const n = this.free.pop() ?? this.keys.length / 3;
    this.keys[3 * n] = field;
    this.keys[3 * n + 1] = value;
    this.keys[3 * n + 2] = v;
    this.place(hash, n + 1);
    this.count++;
    return true;
  }

  /** Removes `v` from under (field, value); true when the key went with it (false also when `v` was not there). */
  remove(field: string, value: string, v: V): boolean {
    const hash = this.hashOf(field, value);
    const k = this.find(field, value, hash);
    if (k < 0) return false;
    const b = this.keys[3 * k + 2] as Bucket<V>;
    if (Array.isArray(b)) {
      const i = b.indexOf(v);
      if (i < 0) return false;
      b.splice(i, 1);
      if (b.length === 1) this.keys[3 * k + 2] = b[0];
      return false;
    }
    if (b !== v) return false;
    this.deleteSlot(hash, k + 1);
    this.keys[3 * k] = undefined;
    this.keys[3 * k + 1] = undefined;
    this.keys[3 * k + 2] = undefined;
    this.free.push(k);
    this.count--;
    return true;
  }

  /** The key number of (field, value), or -1. */
  private find(field: string, value: string, hash: number): number {
    let s = hash & this.mask;
    for (;;) {
      const k = this.slots[2 * s + 1]!;
      if (k === EMPTY) return -1;
      if (this.slots[2 * s] === hash && this.keys[3 * k - 2] === value && this.keys[3 * k - 3] === field)
        return k - 1;
      s = (s + 1) & this.mask;
    }
  }

  private place(hash: number, ref: number): void {
    let s = hash & this.mask;
    while (this.slots[2 * s + 1] !== EMPTY) s = (s + 1) & this.mask;
    this.slots[2 * s] = hash;
    this.slots[2 * s + 1] = ref;
  }

  /** Linear probing's deletion by backward shift: no tombstones, so lookups never slow with churn. */
  private deleteSlot(hash: number, ref: number): void {
    const slots = this.slots;
    const mask = this.mask;
    let i = hash & mask;
    while (slots[2 * i + 1] !== ref) i = (i + 1) & mask;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      if (slots[2 * j + 1] === EMPTY) break;
      const home = slots[2 * j]! & mask;
      // The entry at j may move to i only if its home slot is not cyclically within (i, j].
      const between = i <= j ? i < home && home <= j : i < home || home <= j;
      if (between) continue;
      slots[2 * i] = slots[2 * j]!;
      slots[2 * i + 1] = slots[2 * j + 1]!;
      i = j;
    }
    slots[2 * i] = 0;
    slots[2 * i + 1] = EMPTY;
  }

  private grow(): void {
    const old = this.slots;
    const capacity = (this.mask + 1) * 2;
    this.slots = new Int32Array(capacity * 2);
    this.mask = capacity - 1;
    for (let s = 0; s < old.length; s += 2) if (old[s + 1] !== EMPTY) this.place(old[s]!, old[s + 1]!);
  }
}
