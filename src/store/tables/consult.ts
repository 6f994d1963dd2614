/**
 * Row types of migration 0013-consultations (src/consult): the signed change log and the state
 * folded from it. JSON columns hold canonical JSON (RFC 8785).
 */

export interface ConsultEntriesTable {
  /** `ce-<uuid>`: the entry's own id, the idempotency key of its delivery. */
  id: string;
  consultation_id: string;
  agreement_id: string;
  /** schedule, attach, minutes, measure, measure-update. */
  kind: string;
  /** The node that wrote and signed the entry. */
  author_node: string;
  /** Its Ed25519 key, base64url, as it signed. */
  author_key: string;
  /** When the author wrote it (RFC 3339, ms). */
  at: string;
  /** The whole signed entry, canonical JSON. */
  entry: string;
  /** When it arrived from its author; null for this node's own entries. */
  received_at: string | null;
}

export interface ConsultConsultationsTable {
  id: string;
  agreement_id: string;
  title: string;
  /** YYYY-MM-DD or an RFC 3339 time. */
  scheduled_for: string;
  /** JSON array of strings. */
  agenda: string;
  /** JSON array of strings (delegations, people). */
  participants: string;
  scheduled_by: string;
  entry_id: string;
  created_at: string;
  updated_at: string;
}

export interface ConsultDocumentsTable {
  id: string;
  consultation_id: string;
  /** compliance-report or stix-report. */
  kind: string;
  title: string;
  /** SHA-256 of the content's canonical JSON, hex. */
  sha256: string;
  content: string;
  /** The key that signed a compliance report ({report, sig, key}), when it was signed. */
  report_key: string | null;
  attached_by: string;
  entry_id: string;
  at: string;
}

export interface ConsultMinutesTable {
  entry_id: string;
  consultation_id: string;
  /** 1, 2, ... in the order of the log (at, then entry id). */
  version: number;
  text: string;
  recorded_by: string;
  at: string;
}

export interface ConsultMeasuresTable {
  /** `jm-<uuid>`. */
  id: string;
  consultation_id: string;
  agreement_id: string;
  title: string;
  /** The party (node id) that carries the measure out. */
  owner_node: string;
  /** YYYY-MM-DD; overdue once that day is over (UTC) while still open. */
  due_on: string;
  /** open, done or cancelled. */
  state: string;
  added_by: string;
  entry_id: string;
  created_at: string;
  updated_at: string;
  updated_by: string;
}

export interface ConsultMeasureUpdatesTable {
  entry_id: string;
  measure_id: string;
  consultation_id: string;
  /** The state it set, or null for a progress note. */
  state: string | null;
  note: string;
  by_node: string;
  at: string;
}

export interface ConsultTables {
  consult_entries: ConsultEntriesTable;
  consult_consultations: ConsultConsultationsTable;
  consult_documents: ConsultDocumentsTable;
  consult_minutes: ConsultMinutesTable;
  consult_measures: ConsultMeasuresTable;
  consult_measure_updates: ConsultMeasureUpdatesTable;
}
