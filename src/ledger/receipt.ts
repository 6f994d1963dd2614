/**
 * Receipts (docs/LEDGER.md): when a node accepts an envelope it logs it and returns a receipt signed
 * with its node key: the envelope hash, the recipient node, the time, its ledger entry, a signed tree
 * head covering the entry and the RFC 9162 section 2.1.3.1 inclusion path. The sender checks it and
 * keeps it; later it shows anyone, offline, that the recipient's node logged envelope X at time T
 * (the signed head also commits the recipient: gossip can then hold its later heads to this one).
 */

import canonicalize from 'canonicalize';
import type { Transaction } from 'kysely';
import type { Database, Schema } from '../store/index.js';
import { entryLeafHash, type LedgerEntry, parseEntry } from './entry.js';
import { fromHex, toHex } from './hash.js';
import { createLedger, type Ledger } from './ledger.js';
import { type CheckResult, checkProof, type InclusionProof, PROOF_FORMAT } from './proof.js';
import { ed25519Verify, fromB64u, type SignedTreeHead, toB64u, type VerifyFn } from './tree-head.js';

/** Domain separation for receipt signatures, so no other signed object can pass for a receipt. */
export const LEDGER_RECEIPT_CONTEXT = 'parley/ledger/receipt/v1\n';
export const RECEIPT_TYPE = 'parley.ledger-receipt';

export interface Receipt {
  type: typeof RECEIPT_TYPE;
  v: 1;
  envelopeHash: string;
  /** The node that received (and logged) the envelope. */
  recipient: string;
  /** The recipient's Ed25519 key, raw 32 bytes in base64url: signs the receipt and the tree head. */
  recipientKey: string;
  /** When the recipient logged the envelope: RFC 3339 UTC (the entry's time). */
  received: string;
  entry: LedgerEntry;
  treeHead: SignedTreeHead;
  inclusion: InclusionProof;
  /** Ed25519 over LEDGER_RECEIPT_CONTEXT || RFC 8785 canonical JSON of every other field. */
  sig: string;
}

const bodyBytes = (r: Omit<Receipt, 'sig'>): Uint8Array =>
  Buffer.concat([Buffer.from(LEDGER_RECEIPT_CONTEXT), Buffer.from(canonicalize(r) as string, 'utf8')]);

/**
 * A ledger bound to `tx`: inside the inbound transaction (which holds SQLite's one connection) the
 * receipt must read and sign through that transaction, never through the database handle.
 */
export function ledgerIn(ledger: Ledger, tx: Transaction<Schema>): Ledger {
  const base = ledger.database;
  const database: Database = {
    db: tx,
    dialect: base.dialect,
    transaction: (fn) => fn(tx),
    lock: (t, name) => base.lock(t, name),
    migrate: () => base.migrate(),
    close: () => Promise.resolve(),
  };
  return createLedger({ database, signer: ledger.signer, clock: ledger.clock });
}

/**
 * Makes the receipt for an entry the ledger holds (normally the 'in' entry just appended), signing a
 * tree head at the current size so the entry is covered. Inside a transaction pass `ledgerIn(l, tx)`.
 */
export async function makeReceipt(
  ledger: Ledger,
  entry: LedgerEntry,
  opts: { recipient: string },
): Promise<Receipt> {
  const proof = await ledger.prove(entry.index);
  const body: Omit<Receipt, 'sig'> = {
    type: RECEIPT_TYPE,
    v: 1,
    envelopeHash: entry.envelopeHash,
    recipient: opts.recipient,
    recipientKey: ledger.publicKey,
    received: proof.entry.time,
    entry: proof.entry,
    treeHead: proof.treeHead,
    inclusion: proof.inclusion,
  };
  return { ...body, sig: toB64u(ledger.signer.sign(bodyBytes(body))) };
}

const fail = (code: string, reason: string): CheckResult => ({ ok: false, code, reason });

/**
 * Checks a receipt offline: it is for `envelopeHash`, made by `recipientKey` (base64url), its
 * signature verifies, the entry logs that envelope as received, and the inclusion path leads from
 * the entry to the signed tree head (RFC 9162 section 2.1.3.2).
 */
export function checkReceipt(
  receipt: unknown,
  recipientKey: string,
  envelopeHash: string,
  verify: VerifyFn = ed25519Verify,
): CheckResult {
  if (typeof receipt !== 'object' || receipt === null)
    return fail('ledger.receipt_malformed', 'receipt is not an object');
  const r = receipt as Partial<Receipt>;
  if (r.type !== RECEIPT_TYPE || r.v !== 1)
    return fail('ledger.receipt_malformed', `receipt type must be "${RECEIPT_TYPE}" version 1`);
  if (typeof r.sig !== 'string' || typeof r.recipient !== 'string' || typeof r.received !== 'string')
    return fail('ledger.receipt_malformed', 'receipt needs recipient, received and sig');
  if (r.recipientKey !== recipientKey)
    return fail('ledger.receipt_wrong_key', 'receipt is made by another key than the recipient’s');
  if (r.envelopeHash !== envelopeHash?.toLowerCase() || !fromHex(r.envelopeHash))
    return fail('ledger.receipt_wrong_envelope', `receipt is not for envelope ${envelopeHash}`);
  const { sig, ...body } = r as Receipt;
  let sigOk = false;
  try {
    sigOk = verify(fromB64u(recipientKey), bodyBytes(body), fromB64u(sig));
  } catch {
    sigOk = false;
  }
  if (!sigOk) return fail('ledger.receipt_bad_signature', 'the receipt signature does not verify');
  const entry = parseEntry(r.entry);
  if (!entry)
    return fail('ledger.receipt_malformed', 'receipt entry is missing a field or has a malformed one');
  if (entry.envelopeHash !== r.envelopeHash || entry.direction !== 'in' || entry.time !== r.received) {
    return fail(
      'ledger.receipt_wrong_envelope',
      'the receipt entry does not log this envelope as received at the receipt time',
    );
  }
  // The leaf hash is recomputed from the entry, never taken from the sender.
  return checkProof(
    {
      format: PROOF_FORMAT,
      entry,
      leafHash: toHex(entryLeafHash(entry)),
      treeHead: r.treeHead,
      inclusion: r.inclusion,
      publicKey: recipientKey,
    },
    { verify },
  );
}
