/**
 * Row types of migration 0010-exchange (src/exchange): where each received object version came
 * from, and how far each (peer, agreement) feed has gone in either direction.
 */

export interface ExchangeProvenanceTable {
  /** STIX id. */
  object_id: string;
  /** `modified`, else `created`, else '' (versionOf in stix-store.ts). */
  version: string;
  /** The node where the object entered the network. */
  origin: string;
  /** The peer this node received it from. */
  received_from: string;
  /** The agreement it came under. */
  agreement: string;
  /** The local collection it was stored in (`from-<peer>`). */
  collection_id: string;
  received_at: string;
  /** JSON array of permission grants travelling with it (policy PermissionGrant). */
  permissions: string;
}

export interface ExchangeCursorsTable {
  /** 'out': what this node has had acknowledged by the peer; 'in': what it has received from it. */
  direction: string;
  peer: string;
  agreement: string;
  /** The sending node's collection the cursor walks (its id on that node). */
  collection_id: string;
  /** date_added of the last object covered, microseconds since the epoch (exclusive lower bound). */
  after_us: number;
  updated_at: string;
}

/** Migration 0014-exchange-grants: grants held here, one row per (grant, object). */
export interface ExchangeGrantsTable {
  /** The hotline message that carried the grant. */
  grant_id: string;
  /** STIX id of one object the grant covers. */
  object_id: string;
  /** The node that granted (and signed the envelope that carried it). */
  granted_by: string;
  /** The agreement the grant travelled under. */
  agreement: string;
  /** JSON array: node ids, or 'agreement:<id>' for every party of that agreement. */
  share_with: string;
  /** The label the objects may be shared under, "TLP:AMBER" etc. */
  tlp: string;
  received_at: string;
}

export interface ExchangeTables {
  exchange_provenance: ExchangeProvenanceTable;
  exchange_cursors: ExchangeCursorsTable;
  exchange_grants: ExchangeGrantsTable;
}
