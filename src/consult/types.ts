/** The consultation records: the signed entries that travel, and the views read back. */

/** Envelope type of one consultation change, sent under the agreement to its other parties. */
export const CONSULT_ENVELOPE = 'consult.entry';
/** Signing context of an entry (signatures are over `context || 0x0a || JCS(entry without sig)`). */
export const CONSULT_CONTEXT = 'parley/consult/v1';
/**
 * Signing context of a compliance report (the one src/compliance signs with; repeated here so this
 * part does not depend on it). Checked on `{ report, sig, key }` and on a report that carries its
 * own `publicKey` and `sig` (format parley-compliance-report/1).
 */
export const COMPLIANCE_REPORT_CONTEXT = 'parley/compliance/report/v1';

export const ENTRY_KINDS = ['schedule', 'attach', 'minutes', 'measure', 'measure-update'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];
export const DOCUMENT_KINDS = ['compliance-report', 'stix-report'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];
export const MEASURE_STATES = ['open', 'done', 'cancelled'] as const;
export type MeasureState = (typeof MEASURE_STATES)[number];

export interface ScheduleBody {
  title: string;
  /** YYYY-MM-DD, or an RFC 3339 UTC time. */
  date: string;
  agenda: string[];
  /** Delegations or people taking part, as free text. */
  participants: string[];
}

export interface AttachBody {
  document: string;
  kind: DocumentKind;
  title: string;
  content: Record<string, unknown>;
  /** SHA-256 of JCS(content), hex. */
  sha256: string;
}

export interface MinutesBody {
  text: string;
  /** The minutes entry this version replaces, as its author saw it (null for the first). */
  previous: string | null;
}

export interface MeasureBody {
  measure: string;
  title: string;
  /** The node of the party that carries it out. */
  owner: string;
  /** YYYY-MM-DD. */
  due: string;
}

export interface MeasureUpdateBody {
  measure: string;
  /** The new state, or null for a progress note alone. */
  state: MeasureState | null;
  note: string;
}

export interface BodyOf {
  schedule: ScheduleBody;
  attach: AttachBody;
  minutes: MinutesBody;
  measure: MeasureBody;
  'measure-update': MeasureUpdateBody;
}

/** One change, written and signed by one party; what `consult.entry` carries. */
export type ConsultEntry<K extends EntryKind = EntryKind> = {
  [k in K]: {
    type: 'parley.consult.entry';
    v: 1;
    /** ce-<uuid>. */
    id: string;
    /** cons-<uuid>. */
    consultation: string;
    agreement: string;
    kind: k;
    /** The author's node. */
    by: string;
    /** The author's Ed25519 key, base64url. */
    key: string;
    at: string;
    body: BodyOf[k];
    /** Ed25519 over CONSULT_CONTEXT, base64url. */
    sig: string;
  };
}[K];

export type UnsignedEntry<K extends EntryKind = EntryKind> = Omit<ConsultEntry<K>, 'sig' | 'key'>;

/** Who wrote and signed a record, and in which entry (the proof: `parley consult show --json`). */
export interface SignedBy {
  node: string;
  key: string;
  entry: string;
  at: string;
}

export interface DocumentView {
  id: string;
  kind: DocumentKind;
  title: string;
  sha256: string;
  /** The key that signed a compliance report, when it came signed. */
  reportKey: string | null;
  signedBy: SignedBy;
  content?: Record<string, unknown>;
}

export interface MinutesView {
  version: number;
  text: string;
  signedBy: SignedBy;
}

export interface MeasureUpdateView {
  state: MeasureState | null;
  note: string;
  signedBy: SignedBy;
}

export interface MeasureView {
  id: string;
  consultation: string;
  agreement: string;
  title: string;
  owner: string;
  due: string;
  state: MeasureState;
  /** Still open after its due day (UTC), by the node's clock. */
  overdue: boolean;
  signedBy: SignedBy;
  updatedAt: string;
  updatedBy: string;
  updates: MeasureUpdateView[];
}

export interface ConsultationView {
  id: string;
  agreement: string;
  title: string;
  date: string;
  agenda: string[];
  participants: string[];
  signedBy: SignedBy;
  updatedAt: string;
  documents: DocumentView[];
  /** Every version in order; the last is the current text. */
  minutes: MinutesView[];
  measures: MeasureView[];
}

/** A summary line of `list`. */
export interface ConsultationSummary {
  id: string;
  agreement: string;
  title: string;
  date: string;
  scheduledBy: string;
  documents: number;
  minutesVersions: number;
  openMeasures: number;
  overdueMeasures: number;
}

/** What a change made on this node returns: the entry written (its outbox ref) and the result. */
export interface Change {
  entry: string;
  consultation: ConsultationView;
}
