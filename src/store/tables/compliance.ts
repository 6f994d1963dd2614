/**
 * Row types of migration 0011-compliance (src/compliance): what each envelope crossing this node
 * said, read from its signed payload when it crossed, keyed by the envelope hash its ledger entry
 * logs. The compliance figures are computed from ledger entries, these facts and kept receipts.
 */

export interface ComplianceEvidenceTable {
  /** SHA-256 of the envelope, lower-case hex: the ledger entry's envelopeHash. */
  envelope_hash: string;
  /** 'in' (received) or 'out' (sent), as in the ledger. */
  direction: string;
  /** The other node. */
  peer: string;
  agreement: string | null;
  /** The envelope type, e.g. 'hotline.message'. */
  type: string;
  /** What the envelope is about: the message id of a message or of the message an ack names. */
  subject: string | null;
  /** What the payload said that the figures use, JSON (src/compliance/facts.ts). */
  facts: string;
  recorded_at: string;
}

export interface ComplianceTables {
  compliance_evidence: ComplianceEvidenceTable;
}
