/**
 * The points-of-contact directory. Each party keeps its own POCs and publishes them, as one
 * `directory.update` envelope per agreement in force, to the other parties of that agreement and to
 * no one else; a receiver stores what each partner published. Flags (docs/AGREEMENTS.md):
 * - `stale`: an entry not confirmed within the agreement's `poc_confirm_days`;
 * - `authorities_not_exchanged`: a party (this one included) whose directory has not crossed an
 *   agreement within 60 days of its entry into force (Article 5 of the 2015 agreement).
 */
import { randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import { type Clock, invalid, isoMillis, notFound, ParleyError, systemClock } from '../core/index.js';
import type { NodeIdentity } from '../crypto/index.js';
import {
  AUTHORITIES_EXCHANGE_DAYS,
  type Courier,
  DEFAULT_POC_CONFIRM_DAYS,
  type Delivery,
  PACT_TYPES,
  type Pacts,
} from '../pact/index.js';
import type { Database, Schema } from '../store/index.js';
import type { DirectoryPocsTable } from '../store/tables/pact.js';
import { checkPoc, type PointOfContact } from './poc.js';

type Db = Database['db'];
const DAY = 86_400_000;

export interface ListedPoc extends PointOfContact {
  owner: string;
  stale: boolean;
}

export interface DirectoryFlag {
  kind: 'stale' | 'authorities_not_exchanged';
  node: string;
  agreement?: string;
  poc?: string;
  message: string;
}

export interface DirectoryOptions {
  database: Database;
  identity: NodeIdentity;
  pacts: Pacts;
  clock?: Clock;
  courier?: Courier;
}

const fromRow = (r: DirectoryPocsTable): PointOfContact & { owner: string } => ({
  owner: r.owner_node,
  id: r.poc_id,
  role: r.role as PointOfContact['role'],
  kind: r.kind as PointOfContact['kind'],
  name: r.name,
  channels: JSON.parse(r.channels) as string[],
  languages: JSON.parse(r.languages) as string[],
  timezone: r.timezone,
  hours: r.hours,
  confirmed_on: r.confirmed_on,
});

export class Directory {
  readonly database: Database;
  readonly identity: NodeIdentity;
  readonly pacts: Pacts;
  readonly clock: Clock;
  courier?: Courier;

  constructor(opts: DirectoryOptions) {
    this.database = opts.database;
    this.identity = opts.identity;
    this.pacts = opts.pacts;
    this.clock = opts.clock ?? systemClock;
    this.courier = opts.courier;
  }

  private today = () => isoMillis(this.clock.now()).slice(0, 10);

  /** Adds one of this node's POCs (confirmed today unless said otherwise). */
  async add(input: Omit<PointOfContact, 'id' | 'confirmed_on'> & { id?: string; confirmed_on?: string }) {
    const poc = checkPoc({
      ...input,
      id: input.id ?? `poc-${randomBytes(4).toString('hex')}`,
      confirmed_on: input.confirmed_on ?? this.today(),
    });
    await this.database.transaction(async (tx) => {
      const prior = await tx
        .selectFrom('directory_pocs')
        .select('poc_id')
        .where('owner_node', '=', this.identity.nodeId)
        .where('poc_id', '=', poc.id)
        .executeTakeFirst();
      if (prior) throw new ParleyError('directory.duplicate', `point of contact ${poc.id} exists`, 409);
      await this.upsert(tx, this.identity.nodeId, [poc], false);
    });
    return poc;
  }

  /** Marks this node's POC as confirmed (today by default). */
  async confirm(id: string, on?: string) {
    const date = on ?? this.today();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date))
      throw invalid('directory.invalid_poc', 'confirmed_on must be YYYY-MM-DD');
    const r = await this.database.db
      .updateTable('directory_pocs')
      .set({ confirmed_on: date, updated_at: isoMillis(this.clock.now()) })
      .where('owner_node', '=', this.identity.nodeId)
      .where('poc_id', '=', id)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0)
      throw notFound('directory.unknown_poc', `this node has no point of contact ${id}`);
  }

  /** Every POC this node knows: its own and its partners', with the stale flag. */
  async list(opts: { owner?: string } = {}): Promise<ListedPoc[]> {
    let q = this.database.db.selectFrom('directory_pocs').selectAll().orderBy('owner_node').orderBy('poc_id');
    if (opts.owner) q = q.where('owner_node', '=', opts.owner);
    const rows = (await q.execute()).map(fromRow);
    const periods = await this.confirmPeriods();
    const now = this.clock.now();
    return rows.map((p) => ({
      ...p,
      stale: Date.parse(p.confirmed_on) + (periods.get(p.owner) ?? DEFAULT_POC_CONFIRM_DAYS) * DAY < now,
    }));
  }

  /**
   * Sends this node's POCs to the other parties of every agreement in force: one envelope per
   * agreement, sent under that agreement, so that it reaches only its parties.
   */
  async publish(): Promise<{ agreement: string; delivery: Delivery[] }[]> {
    if (!this.courier)
      throw new ParleyError('directory.no_courier', 'this node has no peer transport configured', 500);
    const mine = (await this.list({ owner: this.identity.nodeId })).map(
      ({ owner: _o, stale: _s, ...p }) => p,
    );
    const out: { agreement: string; delivery: Delivery[] }[] = [];
    // Nothing to announce yet: an empty directory must not count as "authorities exchanged".
    if (mine.length === 0) return out;
    for (const a of await this.pacts.inForceNow()) {
      const to = a.doc.parties.map((p) => p.node).filter((n) => n !== this.identity.nodeId);
      const delivery = await this.courier.send({
        to,
        type: PACT_TYPES.directory,
        agreement: a.id,
        payload: { owner: this.identity.nodeId, entries: mine, at: isoMillis(this.clock.now()) },
      });
      if (delivery.every((d) => d.ok))
        await this.recordExchange(this.database.db, a.id, this.identity.nodeId);
      out.push({ agreement: a.id, delivery });
    }
    return out;
  }

  /** Inbound `directory.update` (the inbox has checked that the agreement is in force and names the sender). */
  async receiveUpdate(tx: Db, sender: string, agreement: string | null, payload: unknown) {
    if (agreement === null)
      throw new ParleyError(
        'directory.no_agreement',
        'a directory update must travel under an agreement',
        403,
      );
    const p = payload as { owner?: unknown; entries?: unknown };
    if (p?.owner !== sender || !Array.isArray(p.entries) || p.entries.length > 200)
      throw invalid(
        'directory.malformed',
        'directory.update payload must be { owner: sender, entries: [at most 200], at }',
      );
    const entries = p.entries.map(checkPoc);
    // One owner's snapshot at a time (PostgreSQL runs concurrent deliveries side by side).
    await this.database.lock(tx as Transaction<Schema>, `directory:${sender}`);
    // A full snapshot: what the sender no longer lists is gone.
    await tx.deleteFrom('directory_pocs').where('owner_node', '=', sender).execute();
    await this.upsert(tx, sender, entries, true);
    await this.recordExchange(tx, agreement, sender);
    return { owner: sender, entries: entries.length };
  }

  /** Stale entries and competent authorities not exchanged in time, as of `at` (default now). */
  async check(at = this.clock.now()): Promise<DirectoryFlag[]> {
    const flags: DirectoryFlag[] = [];
    for (const p of await this.list()) {
      if (p.stale)
        flags.push({
          kind: 'stale',
          node: p.owner,
          poc: p.id,
          message: `${p.owner}/${p.id} last confirmed ${p.confirmed_on}`,
        });
    }
    const exchanges = await this.database.db.selectFrom('directory_exchanges').selectAll().execute();
    for (const a of await this.pacts.inForceNow()) {
      const due = Date.parse(a.inForceAt) + AUTHORITIES_EXCHANGE_DAYS * DAY;
      if (at <= due) continue;
      for (const party of a.doc.parties) {
        if (
          exchanges.some(
            (e) => e.agreement_id === a.id && e.owner_node === party.node && Date.parse(e.first_at) <= due,
          )
        )
          continue;
        flags.push({
          kind: 'authorities_not_exchanged',
          node: party.node,
          agreement: a.id,
          message: `${party.node} had not exchanged its competent authorities and contacts ${AUTHORITIES_EXCHANGE_DAYS} days after ${a.id} entered into force (${a.inForceAt})`,
        });
      }
    }
    return flags;
  }

  private async confirmPeriods(): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const a of await this.pacts.inForceNow()) {
      for (const p of a.doc.parties) {
        const prev = out.get(p.node);
        out.set(p.node, prev === undefined ? a.doc.poc_confirm_days : Math.min(prev, a.doc.poc_confirm_days));
      }
    }
    return out;
  }

  private async upsert(db: Db, owner: string, entries: PointOfContact[], replace: boolean) {
    const now = isoMillis(this.clock.now());
    for (const p of entries) {
      if (replace)
        await db
          .deleteFrom('directory_pocs')
          .where('owner_node', '=', owner)
          .where('poc_id', '=', p.id)
          .execute();
      await db
        .insertInto('directory_pocs')
        .values({
          owner_node: owner,
          poc_id: p.id,
          role: p.role,
          kind: p.kind,
          name: p.name,
          channels: JSON.stringify(p.channels),
          languages: JSON.stringify(p.languages),
          timezone: p.timezone,
          hours: p.hours,
          confirmed_on: p.confirmed_on,
          updated_at: now,
        })
        .execute();
    }
  }

  private async recordExchange(db: Db, agreement: string, owner: string) {
    const now = isoMillis(this.clock.now());
    const r = await db
      .updateTable('directory_exchanges')
      .set({ last_at: now })
      .where('agreement_id', '=', agreement)
      .where('owner_node', '=', owner)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0)
      await db
        .insertInto('directory_exchanges')
        .values({ agreement_id: agreement, owner_node: owner, first_at: now, last_at: now })
        .execute();
  }
}
