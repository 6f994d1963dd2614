/**
 * Row types of the TAXII tables (created by migrations/0002-taxii.ts): API roots, which store
 * collections each root serves, per-role collection permissions, API users and tokens (hashed),
 * status resources of POSTs, and the TAXII client's pull positions. Flags are 0/1 integers.
 */

export interface TaxiiApiRootsTable {
  /** The URL path segment under /taxii2/, e.g. `trustgroup1`. */
  name: string;
  title: string;
  description: string | null;
  max_content_length: number;
  /** 1 on the root that discovery names as `default`. */
  is_default: number;
  created: string;
}

export interface TaxiiRootCollectionsTable {
  api_root: string;
  /** A stix_collections.id. */
  collection_id: string;
}

export interface TaxiiPermissionsTable {
  collection_id: string;
  role: string;
  can_read: number;
  can_write: number;
}

export interface TaxiiUsersTable {
  name: string;
  role: string;
  /** `scrypt$N$r$p$salt$hash`, base64url parts. */
  password_hash: string;
  created: string;
}

export interface TaxiiTokensTable {
  /** Short public id, for listing and revoking. */
  id: string;
  /** SHA-256 of the token, hex. */
  token_hash: string;
  role: string;
  label: string | null;
  created: string;
}

export interface TaxiiStatusTable {
  id: string;
  api_root: string;
  /** Who posted; only they (or an admin) read the status. */
  owner: string;
  status: string;
  request_timestamp: string;
  total_count: number;
  success_count: number;
  failure_count: number;
  pending_count: number;
  /** JSON arrays of status details. */
  successes: string;
  failures: string;
  pendings: string;
  /** Milliseconds since the epoch after which the row may be purged. */
  expires_ms: number;
}

export interface TaxiiPullStateTable {
  /** The API root URL pulled from. */
  server: string;
  /** The remote collection id. */
  collection_id: string;
  /** The last X-TAXII-Date-Added-Last ingested, verbatim. */
  added_after: string;
  objects_pulled: number;
  updated: string;
}

export interface TaxiiTables {
  taxii_api_roots: TaxiiApiRootsTable;
  taxii_root_collections: TaxiiRootCollectionsTable;
  taxii_permissions: TaxiiPermissionsTable;
  taxii_users: TaxiiUsersTable;
  taxii_tokens: TaxiiTokensTable;
  taxii_status: TaxiiStatusTable;
  taxii_pull_state: TaxiiPullStateTable;
}
