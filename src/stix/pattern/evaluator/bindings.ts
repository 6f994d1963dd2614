/**
 * Evaluation above the brackets (STIX 2.1 sections 9.5 observation operators, 9.7 qualifiers).
 *
 * A binding assigns an observation to every observation expression that had to match; here it is the
 * list of observation indexes used (an index may appear up to its number_observed times, since an
 * observed-data seen n times stands for n observations, as in the OASIS matcher). Rules:
 * - AND: every operand matches, with distinct observations.
 * - OR: one operand matches.
 * - FOLLOWEDBY: operands match in order with distinct observations; each operand's observations can be
 *   placed no later than the next one's: latest first_observed on the left <= earliest last_observed
 *   on the right (the observations' own intervals leave that much freedom).
 * - WITHIN n SECONDS: all the binding's observations fit in a window of n seconds: latest
 *   first_observed - earliest last_observed <= n.
 * - REPEATS n TIMES: n bindings of the inner expression, with distinct observations.
 * - START s STOP e: every observation's [first, last] interval meets [s, e) (touching e is not enough).
 * Bindings are produced lazily, so the first match stops the search; a step budget bounds the work on
 * pathological inputs (the number of bindings can grow exponentially with AND and REPEATS).
 */
import { ParleyError } from '../../../core/errors.js';
import type { PatternNode } from '../ast.js';
import { timestampMillis } from '../literals.js';
import { observationMatches } from './objects.js';
import type { PreparedObservation } from './observations.js';

export type Binding = readonly number[];

/** REPEATS counts past this are refused (pattern.too_complex) rather than searched. */
const MAX_REPEATS = 10_000;

export class BindingSearch {
  private steps = 0;
  private readonly leaves = new Map<PatternNode, number[]>();
  private readonly lists = new Map<PatternNode, Binding[]>();

  /** How many observations the input stands for (the sum of number_observed). */
  private readonly capacity: number;

  constructor(
    private readonly obs: readonly PreparedObservation[],
    private readonly maxSteps: number,
  ) {
    this.capacity = obs.reduce((n, o) => n + o.count, 0);
  }

  private tick(): void {
    if (++this.steps > this.maxSteps) {
      this.giveUp(`gave up after ${this.maxSteps} steps: too many candidate bindings`);
    }
  }

  private giveUp(why: string): never {
    throw new ParleyError('pattern.too_complex', `pattern matching ${why}`, 422, { maxSteps: this.maxSteps });
  }

  *bindings(node: PatternNode): Generator<Binding> {
    switch (node.kind) {
      case 'observation':
        for (const i of this.leaf(node)) yield [i];
        return;
      case 'or':
        for (const o of node.operands) yield* this.bindings(o);
        return;
      case 'and':
      case 'followedby':
        yield* this.sequence(
          node.operands.map((o) => this.list(o)),
          0,
          [],
          node.kind === 'followedby' ? Number.NEGATIVE_INFINITY : Number.NaN,
        );
        return;
      case 'qualified': {
        const q = node.qualifier;
        if (q.kind === 'repeats') {
          // Fewer observations than repetitions cannot match; a huge count would only exhaust the stack.
          if (q.times < 1 || q.times > this.capacity) return;
          if (q.times > MAX_REPEATS) this.giveUp(`REPEATS ${q.times} TIMES is over ${MAX_REPEATS}`);
          yield* this.repeats(this.distinct(this.list(node.expression)), q.times);
          return;
        }
        if (q.kind === 'within') {
          const window = q.seconds * 1000;
          for (const b of this.bindings(node.expression)) {
            this.tick();
            if (this.latestFirst(b) - this.earliestLast(b) <= window) yield b;
          }
          return;
        }
        const start = timestampMillis(q.start);
        const stop = timestampMillis(q.stop);
        if (!(start < stop)) return;
        for (const b of this.bindings(node.expression)) {
          this.tick();
          if (b.every((i) => this.obs[i]!.first < stop && this.obs[i]!.last >= start)) yield b;
        }
        return;
      }
    }
  }

  /** Indexes of the observations whose SCOs satisfy one bracketed expression (computed once). */
  private leaf(node: PatternNode & { kind: 'observation' }): number[] {
    let hits = this.leaves.get(node);
    if (!hits) {
      hits = [];
      for (let i = 0; i < this.obs.length; i++) {
        this.tick();
        if (observationMatches(node.expression, this.obs[i]!)) hits.push(i);
      }
      this.leaves.set(node, hits);
    }
    return hits;
  }

  /** All bindings of a sub-expression, kept for joins (computed once per node). */
  private list(node: PatternNode): Binding[] {
    let l = this.lists.get(node);
    if (!l) {
      l = [];
      for (const b of this.bindings(node)) {
        this.tick();
        l.push(b);
      }
      this.lists.set(node, l);
    }
    return l;
  }

  private distinct(list: Binding[]): Binding[] {
    const seen = new Set<string>();
    return list.filter((b) => {
      const key = [...b].sort((x, y) => x - y).join(',');
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  /**
   * Cross product of the operands' bindings with distinct observations; `maxFirst` is NaN for AND, and
   * for FOLLOWEDBY the latest first_observed bound so far, which the next operand must not precede.
   */
  private *sequence(lists: Binding[][], k: number, acc: number[], maxFirst: number): Generator<Binding> {
    if (k === lists.length) {
      yield acc;
      return;
    }
    const ordered = !Number.isNaN(maxFirst);
    for (const b of lists[k]!) {
      this.tick();
      if (ordered && maxFirst > this.earliestLast(b)) continue;
      if (!this.fits(acc, b)) continue;
      yield* this.sequence(
        lists,
        k + 1,
        acc.concat(b),
        ordered ? Math.max(maxFirst, this.latestFirst(b)) : maxFirst,
      );
    }
  }

  /**
   * Multisets of `times` bindings from `list` (indexes non-decreasing), observations distinct. A loop
   * with an explicit stack, not recursion: the depth is the repeat count, which may be large.
   */
  private *repeats(list: Binding[], times: number): Generator<Binding> {
    const uses = new Int32Array(this.obs.length);
    const fits = (b: Binding) => {
      for (const i of b) {
        let n = uses[i]!;
        for (const k of b) if (k === i) n++;
        if (n > this.obs[i]!.count) return false;
      }
      return true;
    };
    const pick: number[] = [];
    const acc: number[] = [];
    let j = 0;
    for (;;) {
      if (pick.length === times) {
        yield acc.slice();
        j = this.drop(pick, acc, uses, list) + 1;
        continue;
      }
      for (; j < list.length; j++) {
        this.tick();
        if (fits(list[j]!)) break;
      }
      if (j < list.length) {
        pick.push(j);
        for (const i of list[j]!) {
          uses[i]!++;
          acc.push(i);
        }
        continue; // the next pick may reuse j (a multiset), so j stays
      }
      if (pick.length === 0) return;
      j = this.drop(pick, acc, uses, list) + 1;
    }
  }

  /** Undo the last pick of repeats(); returns its index in the list. */
  private drop(pick: number[], acc: number[], uses: Int32Array, list: Binding[]): number {
    const j = pick.pop()!;
    for (const i of list[j]!) {
      uses[i]!--;
      acc.pop();
    }
    return j;
  }

  /**
   * Whether `acc` plus `added` uses no observation more often than it was observed (`acc` is known to
   * fit already, so only the added indexes are counted).
   */
  private fits(acc: readonly number[], added: Binding): boolean {
    for (const i of added) {
      let uses = 0;
      for (const j of acc) if (j === i) uses++;
      for (const j of added) if (j === i) uses++;
      if (uses > this.obs[i]!.count) return false;
    }
    return true;
  }

  private latestFirst(b: Binding): number {
    let t = Number.NEGATIVE_INFINITY;
    for (const i of b) t = Math.max(t, this.obs[i]!.first);
    return t;
  }

  private earliestLast(b: Binding): number {
    let t = Number.POSITIVE_INFINITY;
    for (const i of b) t = Math.min(t, this.obs[i]!.last);
    return t;
  }
}
