/**
 * The CPU part of ingest, without the database: upgrade STIX 2.0, validate (patterns included),
 * refuse duplicates within the input, and settle marking references that point forward.
 * Synchronous, so it runs the same on the main thread (small inputs) and in the ingest worker.
 *
 * Marking references resolve to TLP (built into the validator), to a marking definition of this
 * input seen so far, or to one already in the collection (`storedMarkings`, read once before the
 * input). MITRE's files define their marking after the objects that use it, so an object whose only
 * faults are unresolved markings is written at once, marked `tentative`, and at the end of the input
 * those whose markings were never defined are rejected and listed in `retracted`: the caller deletes
 * them within the same transaction. Writing at once lets the database work overlap the reading.
 * A later object with the id of a tentative one waits until the end, so that it is decided knowing
 * whether the tentative one stays (its version order, revocation and duplicates depend on it).
 */
import { ParleyError } from '../core/errors.js';
import type { StixElement } from '../core/json-stream/index.js';
import { type StixIssue, type StixValidator, upgrade20InPlaceWithText } from '../stix/index.js';
// The store's types module only (no driver): this file also runs in the ingest worker.
import { type StixHead, versionOf } from '../store/stix-store.js';
import { type Checked, Checker, onlyUnresolvedMarkings, resolveWith } from './check.js';

/** One object ready to store, with its position in the input. */
export interface Ready {
  index: number;
  head: StixHead;
  json: string;
  /** No object ready before this one had its id (see InputObject in the store). */
  firstOfId: boolean;
  /** Written before its marking references resolve; it may yet be retracted. */
  tentative?: boolean;
}

/** An element read, upgraded and its text made (`stage`), to be decided in input order (`order`). */
export interface Staged {
  index: number;
  /** Its id, type, timestamps: only trusted once validation passed. */
  head: StixHead;
  json: string;
}

/** A tentative object whose markings never resolved: written, now to be deleted. */
export interface Retraction {
  index: number;
  id: string;
  version: string;
}

export interface Rejection {
  /** Position of the object in the input, from 0. */
  index: number;
  id?: string;
  /** Stable code: a STIX rule (`stix.required`) or a store rule (`stix.revoked_is_final`). */
  code: string;
  /** JSON pointer inside the object, when the rule names one. */
  path?: string;
  message: string;
}

interface Tentative {
  index: number;
  id: string;
  version: string;
  /**
   * The references that did not resolve when the object was checked, and the issue each raised
   * (the marking rule asks the resolver once per reference and raises one issue when it answers
   * no, so the k-th of each go together). Not the object's JSON text: an input whose marking comes
   * last (MITRE's) would keep every text until the end, and the collector copy them over and over.
   */
  missing: string[];
  issues: StixIssue[];
}

const SCO_TYPES = new Set([
  'artifact',
  'autonomous-system',
  'directory',
  'domain-name',
  'email-addr',
  'email-message',
  'file',
  'ipv4-addr',
  'ipv6-addr',
  'mac-addr',
  'mutex',
  'network-traffic',
  'process',
  'software',
  'url',
  'user-account',
  'windows-registry-key',
  'x509-certificate',
]);

export class Preparer {
  /** Objects ready to store, in input order; the caller drains it. */
  readonly rows: Ready[] = [];
  /** Rejections in the order they were decided; the caller drains it. */
  readonly rejections: Rejection[] = [];
  /** Tentative objects written earlier and rejected now; the caller drains it before `rows`. */
  readonly retracted: Retraction[] = [];
  read = 0;
  upgraded = 0;
  private tentative: Tentative[] = [];
  /** The `seen` slots of the tentative objects' ids (small integers: no string hashed again). */
  private readonly tentativeSlots = new Set<number>();
  /** Objects with the id of a tentative one, decided at the end. */
  private readonly followers: { staged: Staged; checked: Checked | undefined }[] = [];
  /**
   * The versions admitted, by id: to refuse the same version twice in one input, and to tell the
   * store which ids are new to the input. A million ids make a million entries, so an entry is a
   * small integer (a slot in two arrays: the first version's text and input index), not an object
   * (fewer objects for the collector to copy and mark); further versions of an id, rare, go in `more`.
   */
  private readonly seen = new Map<string, number>();
  private readonly firstVersion: string[] = [];
  private readonly firstIndex: number[] = [];
  private readonly more = new Map<string, Map<string, number>>();
  /** Marking definitions of this input. */
  private readonly markings = new Set<string>();
  /** Validation against TLP and the stored markings, for `accept` (a caller of `order` has its own). */
  private readonly checker: Checker;

  constructor(validator: StixValidator, storedMarkings: ReadonlySet<string>) {
    this.checker = new Checker(validator, storedMarkings);
  }

  /** One element, in input order: `stage`, validation, `order`. */
  accept(el: StixElement, bundleSpec: string | undefined): void {
    const { staged, value } = this.stage(el, bundleSpec);
    this.order(staged, this.checker.check(value));
  }

  /**
   * Reads one element, in input order: refuses a nested bundle, upgrades STIX 2.0 and makes the
   * text to store. The value returned is what to validate (by a Checker given the same stored
   * markings, here or on another thread with `JSON.parse(staged.json)`, which is the same object).
   */
  stage(el: StixElement, bundleSpec: string | undefined): { staged: Staged; value: Record<string, unknown> } {
    this.read++;
    let value = el.value;
    if (value.type === 'bundle') {
      throw new ParleyError('input.nested_bundle', `object ${el.index} is a bundle inside a bundle`, 400);
    }
    // An upgraded object's text is its 2.1 form, never the text as read (upgrade20InPlaceWithText
    // makes it from the text as read when the upgrade only added properties).
    let json: string;
    if (isStix20(value, bundleSpec)) {
      // The parsed value is this input's own: upgraded in place, not copied.
      ({ value, json } = upgrade20InPlaceWithText(value, el.raw));
      this.upgraded++;
    } else json = el.raw.includes('\n') ? JSON.stringify(value) : el.raw;
    return { staged: { index: el.index, head: headOf(value), json }, value };
  }

  /** Decides a staged element, in input order, given what validation found. */
  order(staged: Staged, checked: Checked | undefined): void {
    const { id, type } = staged.head;
    if (type === 'marking-definition' && typeof id === 'string') this.markings.add(id);
    // Looked up once, here, for admit too. Only an id admitted before can be a tentative one's.
    const slot = typeof id === 'string' ? this.seen.get(id) : undefined;
    if (slot !== undefined && this.tentativeSlots.size > 0 && this.tentativeSlots.has(slot)) {
      this.followers.push({ staged, checked });
      return;
    }
    this.decide(staged, checked, false, slot);
  }

  /** End of input: every marking of the input is known now. */
  finish(): void {
    const gone = new Set<number>();
    for (const t of this.tentative) {
      // Most often every reference resolved (MITRE's marking comes last): nothing to filter.
      if (this.allKnown(t.missing)) continue;
      // The marking rule checks each reference on its own, and nothing else failed: the issues now
      // are those of the references still missing, in the order validation raised them.
      const issues = t.issues.filter((_, k) => !this.markings.has(t.missing[k] as string));
      if (issues.length === 0) continue;
      this.reject(t.index, t.id, issues);
      this.unsee(t.id, t.version);
      gone.add(t.index);
    }
    if (gone.size > 0) {
      // Those not yet handed over are simply dropped; the others are deleted by the caller.
      const rows = this.rows.splice(0);
      for (const r of rows) {
        if (!gone.has(r.index)) this.rows.push(r);
        else gone.delete(r.index);
      }
      for (const t of this.tentative) {
        if (gone.has(t.index)) this.retracted.push({ index: t.index, id: t.id, version: t.version });
      }
    }
    this.tentative = [];
    this.tentativeSlots.clear();
    for (const { staged, checked } of this.followers.splice(0)) {
      this.decide(staged, checked, true, this.seen.get(staged.head.id));
    }
  }

  /** `slot`: the id's entry in `seen` (undefined: not seen), looked up by the caller. */
  private decide(
    staged: Staged,
    checked: Checked | undefined,
    final: boolean,
    slot: number | undefined,
  ): void {
    const { index, head, json } = staged;
    // The references to marking definitions of this input read so far resolve now.
    const c = checked && resolveWith(checked, this.markings);
    if (c === undefined) this.admit(index, head, json, false, slot, versionOf(head));
    else if (!final && onlyUnresolvedMarkings(c)) {
      const version = versionOf(head);
      const s = this.admit(index, head, json, true, slot, version);
      if (s >= 0) {
        this.tentative.push({ index, id: head.id, version, missing: c.missing, issues: c.errors });
        this.tentativeSlots.add(s);
      }
    } else this.reject(index, typeof head.id === 'string' ? head.id : undefined, c.errors);
  }

  private allKnown(refs: string[]): boolean {
    for (const r of refs) if (!this.markings.has(r)) return false;
    return true;
  }

  /**
   * Hands the object over unless its version (`versionOf(head)`) is already in this input; returns
   * the id's slot in `seen`, or -1 if not handed over.
   */
  private admit(
    index: number,
    head: StixHead,
    json: string,
    tentative: boolean,
    slot: number | undefined,
    version: string,
  ): number {
    const first =
      slot === undefined
        ? undefined
        : this.firstVersion[slot] === version
          ? this.firstIndex[slot]
          : this.more.get(head.id)?.get(version);
    if (first !== undefined) {
      this.rejections.push({
        index,
        id: head.id,
        code: 'input.duplicate',
        message: `${head.id} version ${version || '(unversioned)'} appears twice in this input (first at object ${first})`,
      });
      return -1;
    }
    const at = slot ?? this.firstVersion.length;
    if (slot === undefined) {
      this.seen.set(head.id, at);
      this.firstVersion.push(version);
      this.firstIndex.push(index);
    } else {
      let m = this.more.get(head.id);
      if (!m) {
        m = new Map();
        this.more.set(head.id, m);
      }
      m.set(version, index);
    }
    const row: Ready = { index, head, json, firstOfId: slot === undefined };
    if (tentative) row.tentative = true;
    this.rows.push(row);
    return at;
  }

  /** A retracted version no longer counts as seen (the id does: the store must look it up). */
  private unsee(id: string, version: string): void {
    const slot = this.seen.get(id);
    if (slot === undefined) return;
    // No version is NUL: the slot stays (the id was seen) but matches no version any more.
    if (this.firstVersion[slot] === version) this.firstVersion[slot] = '\u0000';
    else this.more.get(id)?.delete(version);
  }

  private reject(index: number, id: string | undefined, errors: StixIssue[]): void {
    const first = errors[0];
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    this.rejections.push({
      index,
      id,
      code: first?.rule ?? 'stix.invalid',
      path: first?.path,
      message: `${first?.message ?? 'invalid'}${more}`,
    });
  }
}

/** STIX 2.0 objects carry no spec_version (2.1 requires it on everything but SCOs). */
function isStix20(value: Record<string, unknown>, bundleSpec: string | undefined): boolean {
  if (value.spec_version !== undefined) return value.spec_version === '2.0';
  if (bundleSpec === '2.0') return true;
  return typeof value.type === 'string' && !SCO_TYPES.has(value.type);
}

function headOf(v: Record<string, unknown>): StixHead {
  return {
    id: v.id as string,
    type: v.type as string,
    spec_version: typeof v.spec_version === 'string' ? v.spec_version : undefined,
    created: typeof v.created === 'string' ? v.created : undefined,
    modified: typeof v.modified === 'string' ? v.modified : undefined,
    revoked: v.revoked === true,
  };
}
