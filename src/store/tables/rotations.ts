/** Row types of migration 0007-rotations: this node's rotation chain and the peer keys it followed. */

export interface KeyRotationsTable {
  /** 1, 2, ... in the order the rotations were made; the chain is served in this order. */
  seq: number;
  previous_key: string;
  new_key: string;
  /** The signed KeyRotation statement as JSON (src/crypto/rotation.ts). */
  statement: string;
  created: string;
}

export interface PeerKeyStepsTable {
  peer: string;
  /** The confirmed signing key the chain was followed from, base64url. */
  previous_key: string;
  new_key: string;
  new_agreement_key: string;
  /** How many statements the follow crossed. */
  steps: number;
  /** The statements crossed, JSON array (the evidence for the new key). */
  chain: string;
  followed: string;
}

export interface RotationTables {
  key_rotations: KeyRotationsTable;
  peer_key_steps: PeerKeyStepsTable;
}
