/**
 * The agreement protocol's inbound side: pact.proposal, pact.signature and pact.state envelopes,
 * handled inside the receiving transaction (the peer inbox calls these after every envelope check).
 * Each checks that the sender speaks for itself as a party of the document concerned.
 */
import { invalid, notFound, ParleyError } from '../core/index.js';
import { toB64u } from '../crypto/index.js';
import {
  type AgreementSignature,
  agreementIdOf,
  checkDocument,
  checkSignature,
  versionHash,
} from './document.js';
import type { PactRecords } from './records.js';
import { type Db, getAgreement, getVersion, getVersionByHash, insertVersion } from './store.js';

export class PactInbound {
  constructor(private readonly records: PactRecords) {}

  private get identity() {
    return this.records.identity;
  }

  async receiveProposal(
    tx: Db,
    sender: string,
    payload: unknown,
  ): Promise<{ agreement: string; version: number }> {
    const p = payload as { document?: unknown; signatures?: unknown; previous?: unknown };
    const doc = checkDocument(p?.document);
    const sigs = Array.isArray(p.signatures) ? (p.signatures as AgreementSignature[]) : [];
    if (
      !doc.parties.some(
        (x) => x.node === this.identity.nodeId && x.signing_key === toB64u(this.identity.signing.publicKey),
      )
    )
      throw new ParleyError(
        'pact.not_a_party',
        `agreement proposal from ${sender} does not name this node as a party`,
        403,
      );
    // Every other party must be a peer this node confirmed, with the keys it confirmed: otherwise a
    // proposer could list a party under a key it holds itself and sign in that party's name.
    for (const party of doc.parties) {
      if (party.node === this.identity.nodeId) continue;
      const peer = await tx
        .selectFrom('peers')
        .selectAll()
        .where('node_id', '=', party.node)
        .executeTakeFirst();
      if (peer?.status !== 'confirmed')
        throw new ParleyError(
          'pact.unknown_party',
          `party ${party.node} of the proposal is not a confirmed peer of this node; add it first`,
          403,
        );
      if (peer.signing_key !== party.signing_key || peer.agreement_key !== party.agreement_key)
        throw new ParleyError(
          'pact.key_mismatch',
          `the proposal lists keys for ${party.node} other than the ones this node confirmed`,
          403,
        );
    }
    if (doc.proposed_by !== sender)
      throw new ParleyError(
        'pact.bad_proposal',
        `proposal of ${sender} names ${doc.proposed_by} as proposer`,
        403,
      );
    for (const s of sigs) {
      if (!checkSignature(doc, s))
        throw new ParleyError(
          'pact.bad_signature',
          `a signature by ${s?.node} on the proposal does not verify`,
          400,
        );
    }
    if (!sigs.some((s) => s.node === sender))
      throw new ParleyError('pact.bad_proposal', `the proposal is not signed by its proposer ${sender}`, 400);
    if (doc.version > 1) {
      // The amended version: the receiver checks the chain if it has it, and records it if it joins.
      const prev = p.previous === undefined ? undefined : checkDocument(p.previous);
      const known = await getVersionByHash(tx, doc.previous!);
      if (!known && (!prev || versionHash(prev) !== doc.previous || agreementIdOf(prev) !== doc.id))
        throw new ParleyError(
          'pact.bad_proposal',
          `amendment of ${doc.id} does not carry the version it amends`,
          400,
        );
      if (!known && prev) {
        const row = await getAgreement(tx, doc.id!);
        if (!row) await this.records.createRow(tx, doc.id!, prev.title);
        await insertVersion(tx, doc.id!, versionHash(prev), prev, this.records.now());
      }
    }
    await this.records.storeProposal(tx, doc, sigs, sender);
    return { agreement: agreementIdOf(doc), version: doc.version };
  }

  async receiveSignature(tx: Db, sender: string, payload: unknown) {
    const p = payload as { agreement?: string; hash?: string; signature?: AgreementSignature };
    if (typeof p?.hash !== 'string' || typeof p.signature !== 'object')
      throw invalid('pact.malformed', 'pact.signature payload must be { agreement, hash, signature }');
    const v = await getVersionByHash(tx, p.hash);
    if (!v || agreementIdOf(v.doc) !== p.agreement)
      throw notFound('pact.unknown_agreement', `no version ${p.hash} of ${p.agreement} on this node`);
    if (p.signature.node !== sender)
      throw new ParleyError(
        'pact.bad_signature',
        `${sender} sent a signature in the name of ${p.signature.node}`,
        403,
      );
    if (!checkSignature(v.doc, p.signature))
      throw new ParleyError(
        'pact.bad_signature',
        `the signature of ${sender} on ${p.agreement} does not verify`,
        400,
      );
    await this.records.storeSignature(tx, v, p.signature);
    return { agreement: p.agreement, version: v.version };
  }

  async receiveState(tx: Db, sender: string, payload: unknown) {
    const p = payload as { agreement?: string; state?: string; at?: string };
    if (
      typeof p?.agreement !== 'string' ||
      !['suspended', 'in_force', 'terminated'].includes(p.state as string)
    )
      throw invalid(
        'pact.malformed',
        'pact.state payload must be { agreement, state: suspended|in_force|terminated, at }',
      );
    const row = await this.records.requireAgreement(tx, p.agreement);
    const v = await getVersion(tx, p.agreement, row.version_in_force);
    if (!v?.doc.parties.some((x) => x.node === sender))
      throw new ParleyError('pact.not_a_party', `${sender} is not a party to ${p.agreement}`, 403);
    await this.records.applyState(tx, p.agreement, p.state as 'suspended', sender, this.records.now());
    return { agreement: p.agreement, state: p.state };
  }
}
