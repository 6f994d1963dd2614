/**
 * Row types of the peer, agreement and directory tables (created by migrations/0004-pact.ts).
 * Keys are base64url, hashes lower-case hex, times RFC 3339 UTC with milliseconds unless noted.
 */

/** A peer node whose fingerprint an operator confirmed (`parley peer add URL --fingerprint FP`). */
export interface PeersTable {
  node_id: string;
  party: string;
  /** Base URL of the peer's HTTP server, e.g. http://127.0.0.1:8470 */
  url: string;
  signing_key: string;
  agreement_key: string;
  fingerprint: string;
  /** The peer's self-signed descriptor as received, JSON. */
  descriptor: string;
  /** 'confirmed': the operator checked the fingerprint; anything else is refused. */
  status: string;
  added_at: string;
}

/** The store-backed replay guard: ids of accepted envelopes until they expire (ms since epoch). */
export interface PeerSeenEnvelopesTable {
  id: string;
  expires: number;
}

/** One agreement (all its versions share the id: the hash of version 1). */
export interface PactAgreementsTable {
  id: string;
  title: string;
  /** 'proposed' | 'in_force' | 'suspended' | 'terminated' */
  state: string;
  /** The version in force (0 while none is). */
  version_in_force: number;
  /** When the version in force took effect, or null. */
  in_force_at: string | null;
  created_at: string;
  updated_at: string;
}

/** One version of an agreement: its canonical document. */
export interface PactVersionsTable {
  /** SHA-256 of the canonical document, hex. */
  hash: string;
  agreement_id: string;
  version: number;
  /** The RFC 8785 canonical document. */
  doc: string;
  /** When the last party's signature arrived, or null. */
  complete_at: string | null;
  created_at: string;
}

export interface PactSignaturesTable {
  version_hash: string;
  node_id: string;
  signing_key: string;
  sig: string;
  received_at: string;
}

/** Every change of an agreement's state, kept forever (suspension and termination keep every record). */
export interface PactEventsTable {
  /** Random, hex; order events by `at`. */
  id: string;
  agreement_id: string;
  /** 'proposed' | 'signed' | 'in_force' | 'suspended' | 'resumed' | 'terminated' | 'amendment' */
  event: string;
  by_node: string;
  version: number;
  at: string;
}

/** A point of contact: this node's own (owner = its node id) and those its agreement partners published. */
export interface DirectoryPocsTable {
  owner_node: string;
  poc_id: string;
  /** 'policy' | 'technical' | 'law-enforcement' */
  role: string;
  /** 'desk' | 'person' */
  kind: string;
  name: string;
  /** JSON array of strings, e.g. ["email:soc@cert-a.example", "phone:+1..."] */
  channels: string;
  /** JSON array of BCP 47 tags */
  languages: string;
  timezone: string;
  /** '24/7' or opening hours, e.g. 'Mo-Fr 08:00-18:00' */
  hours: string;
  /** YYYY-MM-DD */
  confirmed_on: string;
  updated_at: string;
}

/** Which party's directory arrived under which agreement, and when (Article 5's 60-day check). */
export interface DirectoryExchangesTable {
  agreement_id: string;
  owner_node: string;
  first_at: string;
  last_at: string;
}

export interface PactTables {
  peers: PeersTable;
  peer_seen_envelopes: PeerSeenEnvelopesTable;
  pact_agreements: PactAgreementsTable;
  pact_versions: PactVersionsTable;
  pact_signatures: PactSignaturesTable;
  pact_events: PactEventsTable;
  directory_pocs: DirectoryPocsTable;
  directory_exchanges: DirectoryExchangesTable;
}
