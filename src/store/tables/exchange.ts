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

export interface ExchangeTables {
  exchange_provenance: ExchangeProvenanceTable;
  exchange_cursors: ExchangeCursorsTable;
}
