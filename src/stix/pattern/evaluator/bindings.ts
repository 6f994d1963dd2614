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
          node.kind === 'followedby',
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
   * Cross product of the operands' bindings with distinct observations. For FOLLOWEDBY (`ordered`),
   * each operand's binding must not precede the latest first_observed bound before it. A loop with
   * an explicit stack: the depth is the number of operands.
   */
  private *sequence(lists: Binding[][], ordered: boolean): Generator<Binding> {
    const used = new Usage(this.obs);
    const pos: number[] = [];
    const maxFirst: number[] = [Number.NEGATIVE_INFINITY];
    let j = 0;
    for (;;) {
      const d = pos.length;
      if (d === lists.length) {
        yield used.acc.slice();
      } else {
        const list = lists[d]!;
        for (; j < list.length; j++) {
          this.tick();
          const b = list[j]!;
          if ((!ordered || maxFirst[d]! <= this.earliestLast(b)) && used.fits(b)) break;
        }
        if (j < list.length) {
          const b = list[j]!;
          pos.push(j);
          used.push(b);
          maxFirst[d + 1] = Math.max(maxFirst[d]!, this.latestFirst(b));
          j = 0;
          continue;
        }
        if (d === 0) return;
      }
      const last = pos.pop()!;
      used.pop(lists[pos.length]![last]!);
      j = last + 1;
    }
  }

  /**
   * Multisets of `times` bindings from `list` (indexes non-decreasing), observations distinct. A loop
   * with an explicit stack, not recursion: the depth is the repeat count, which may be large.
   */
  private *repeats(list: Binding[], times: number): Generator<Binding> {
    const used = new Usage(this.obs);
    const pos: number[] = [];
    let j = 0;
    for (;;) {
      if (pos.length === times) {
        yield used.acc.slice();
      } else {
        for (; j < list.length; j++) {
          this.tick();
          if (used.fits(list[j]!)) break;
        }
        if (j < list.length) {
          pos.push(j);
          used.push(list[j]!);
          continue; // the next pick may take the same binding again (a multiset), so j stays
        }
        if (pos.length === 0) return;
      }
      const last = pos.pop()!;
      used.pop(list[last]!);
      j = last + 1;
    }
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

/** The observations a partial binding uses, and how often: none more often than it was observed. */
class Usage {
  readonly acc: number[] = [];
  private readonly uses: Int32Array;

  constructor(private readonly obs: readonly PreparedObservation[]) {
    this.uses = new Int32Array(obs.length);
  }

  fits(b: Binding): boolean {
    for (const i of b) {
      let n = this.uses[i]!;
      for (const k of b) if (k === i) n++;
      if (n > this.obs[i]!.count) return false;
    }
    return true;
  }

  push(b: Binding): void {
    for (const i of b) {
      this.uses[i]!++;
      this.acc.push(i);
    }
  }

  pop(b: Binding): void {
    for (const i of b) {
      this.uses[i]!--;
      this.acc.pop();
    }
  }
}
