/**
 * Consultations under an agreement (Article 5 of the 2015 agreement: regular consultations to study
 * implementation; the 2013 CBMs' working group on emerging threats): scheduled with a date, agenda
 * and participants; documents attached (compliance reports, STIX reports); minutes recorded in
 * signed versions; joint measures with an owner party and a due day, tracked until done or
 * cancelled. See docs/CONSULTATIONS.md.
 *
 * Every change is one entry signed by this node, stored and queued in ONE transaction to the other
 * parties of the agreement (outbox, one lane per consultation), delivered after commit:
 *
 *   const c = new Consultations({ database, identity, clock, outbox, pacts }).attach(peerInbox);
 *   const { consultation } = await c.schedule({ agreement, title, date: '2026-03-10', agenda: [...] });
 *   await c.addMeasure(consultation.id, { title, owner: 'cert-b', due: '2026-04-01' });
 *   await c.measures({ overdue: true });
 */
import { invalid, isoMillis, notFound, ParleyError } from '../core/index.js';
import type { AgreementDocument } from '../pact/index.js';
import type { ConsultDeps, ConsultInbox } from './deps.js';
import { checkBody, newId, signEntry } from './entry.js';
import { registerInbound } from './inbound.js';
import { listConsultations, readConsultation, readMeasures } from './reads.js';
import {
  type BodyOf,
  type Change,
  CONSULT_ENVELOPE,
  type ConsultationSummary,
  type ConsultationView,
  type ConsultEntry,
  type DocumentKind,
  type EntryKind,
  type MeasureState,
  type MeasureView,
  type UnsignedEntry,
} from './types.js';
import { type VerifyResult, verifyStored } from './verify.js';
import { checkAgainst, storeEntry } from './write.js';

export interface ScheduleInput {
  agreement: string;
  title: string;
  date: string;
  agenda?: string[];
  participants?: string[];
}

export class Consultations {
  constructor(private readonly d: ConsultDeps) {}

  /** Registers the inbound handler of `consult.entry` on the peer inbox. */
  attach(inbox: ConsultInbox): this {
    registerInbound(this.d, inbox);
    return this;
  }

  private get self() {
    return this.d.identity.nodeId;
  }

  private now = () => this.d.clock.now();

  /** The agreement's document when it is in force now and names this node; else a clear refusal. */
  private async inForce(agreement: string): Promise<AgreementDocument> {
    if (typeof agreement !== 'string' || agreement.length === 0)
      throw invalid('consult.invalid', 'consultation: agreement is required', { field: 'agreement' });
    const view = await this.d.pacts.show(agreement);
    if (!view.effective || !view.inForce)
      throw new ParleyError('consult.agreement_not_in_force', `agreement ${agreement} is not in force`, 409, {
        agreement,
      });
    if (!view.inForce.parties.some((p) => p.node === this.self))
      throw new ParleyError('consult.not_a_party', `this node is not a party of agreement ${agreement}`, 409);
    return view.inForce;
  }

  private async head(consultation: string) {
    const row = await this.d.database.db
      .selectFrom('consult_consultations')
      .selectAll()
      .where('id', '=', consultation)
      .executeTakeFirst();
    if (!row) throw notFound('consult.unknown_consultation', `no consultation ${consultation} on this node`);
    return row;
  }

  /**
   * Writes one entry of this node: checked and signed first (bad input throws consult.* and nothing
   * is written), then stored, folded and queued to every other party in one transaction.
   */
  private async write<K extends EntryKind>(
    agreement: string,
    consultation: string,
    kind: K,
    body: unknown,
  ): Promise<Change> {
    const doc = await this.inForce(agreement);
    const unsigned = {
      type: 'parley.consult.entry',
      v: 1,
      id: newId('ce'),
      consultation,
      agreement,
      kind,
      by: this.self,
      at: isoMillis(this.now()),
      body: checkBody(kind, body),
    } as UnsignedEntry<K>;
    const e = signEntry(this.d.identity.signing, unsigned) as ConsultEntry;
    const to = doc.parties.map((p) => p.node).filter((n) => n !== this.self);
    await this.d.database.transaction(async (tx) => {
      await this.d.database.lock(tx, `consult:${consultation}`);
      await checkAgainst(tx, doc, e);
      await storeEntry(tx, e, null);
      await this.d.outbox.enqueue(
        tx,
        to.map((peer) => ({
          peer,
          type: CONSULT_ENVELOPE,
          agreement,
          payload: { entry: e },
          lane: `consult:${consultation}`,
          ref: e.id,
        })),
      );
    });
    this.d.outbox.kick();
    return { entry: e.id, consultation: await this.show(consultation) };
  }

  /** Schedules a consultation under an agreement in force. */
  schedule(input: ScheduleInput): Promise<Change> {
    const body: BodyOf['schedule'] = {
      title: input.title,
      date: input.date,
      agenda: input.agenda ?? [],
      participants: input.participants ?? [],
    };
    return this.write(input.agreement, newId('cons'), 'schedule', body);
  }

  /** Attaches a compliance report (JSON; `{report, sig, key}` is checked) or a STIX report. */
  async attachDocument(
    consultation: string,
    input: { kind: DocumentKind; title: string; content: unknown },
  ): Promise<Change & { document: string }> {
    const row = await this.head(consultation);
    const document = newId('doc');
    const c = await this.write(row.agreement_id, consultation, 'attach', { document, ...input });
    return { ...c, document };
  }

  /** Records a new version of the minutes (the whole text). */
  async recordMinutes(consultation: string, text: string): Promise<Change & { version: number }> {
    const row = await this.head(consultation);
    const last = await this.d.database.db
      .selectFrom('consult_minutes')
      .select('entry_id')
      .where('consultation_id', '=', consultation)
      .orderBy('version', 'desc')
      .executeTakeFirst();
    const c = await this.write(row.agreement_id, consultation, 'minutes', {
      text,
      previous: last?.entry_id ?? null,
    });
    const v = c.consultation.minutes.find((m) => m.signedBy.entry === c.entry)!;
    return { ...c, version: v.version };
  }

  /** Adds a joint measure agreed at the consultation, owned by one party, due on a day. */
  async addMeasure(
    consultation: string,
    input: { title: string; owner: string; due: string },
  ): Promise<Change & { measure: string }> {
    const row = await this.head(consultation);
    const measure = newId('jm');
    const c = await this.write(row.agreement_id, consultation, 'measure', { measure, ...input });
    return { ...c, measure };
  }

  /** Sets a measure's state (done, cancelled, open again) or adds a progress note (state null). */
  async updateMeasure(
    measure: string,
    input: { state: MeasureState | null; note?: string },
  ): Promise<Change & { measure: MeasureView }> {
    const m = await this.d.database.db
      .selectFrom('consult_measures')
      .selectAll()
      .where('id', '=', measure)
      .executeTakeFirst();
    if (!m) throw notFound('consult.unknown_measure', `no joint measure ${measure} on this node`);
    if (input.state !== null && input.state === m.state)
      throw new ParleyError('consult.same_state', `measure ${measure} is already ${m.state}`, 409);
    const c = await this.write(m.agreement_id, m.consultation_id, 'measure-update', {
      measure,
      state: input.state,
      note: input.note ?? '',
    });
    return { ...c, measure: c.consultation.measures.find((x) => x.id === measure)! };
  }

  /** One consultation with its documents (content with `content: true`), minutes and measures. */
  async show(consultation: string, o: { content?: boolean } = {}): Promise<ConsultationView> {
    return readConsultation(this.d.database.db, await this.head(consultation), this.now(), o);
  }

  list(f: { agreement?: string } = {}): Promise<ConsultationSummary[]> {
    return listConsultations(this.d.database.db, this.now(), f);
  }

  /** Joint measures across consultations; `overdue: true` for those open past their due day. */
  measures(
    f: {
      consultation?: string;
      agreement?: string;
      owner?: string;
      state?: MeasureState;
      overdue?: boolean;
    } = {},
  ): Promise<MeasureView[]> {
    return readMeasures(this.d.database.db, this.now(), f);
  }

  /** Checks again every stored entry's signature of a consultation (the proof of who wrote what). */
  async verify(consultation: string): Promise<VerifyResult> {
    await this.head(consultation);
    return verifyStored(this.d.database.db, consultation);
  }
}
