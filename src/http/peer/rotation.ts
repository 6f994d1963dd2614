/**
 * This node's side of key rotation: `rotateNodeKeys` makes new keys, keeps the old key files and
 * records the signed hand-over; `rotationDocument` is what GET /peer/v1/rotations serves (signed
 * statements only, no secrets). Peers follow the chain with `followPeerRotations`
 * (rotation-follow.ts). docs/PROTOCOL.md "Key rotation".
 */
import { chmod, copyFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Clock, ParleyError, systemClock } from '../../core/index.js';
import {
  fingerprint,
  type KeyRotation,
  loadIdentity,
  type NodeIdentity,
  rotateIdentity,
  saveIdentity,
  toB64u,
} from '../../crypto/index.js';
import type { Database } from '../../store/index.js';

export const ROTATIONS_PATH = '/peer/v1/rotations';

/** The key files of src/crypto/keystore.ts. */
const KEY_FILES = ['node.json', 'signing.json', 'agreement.json'] as const;

/** The body of GET /peer/v1/rotations. */
export interface RotationDocument {
  node: string;
  /** Oldest first; each statement hands over from the key before it. */
  rotations: KeyRotation[];
}

export interface RotatedKeys {
  identity: NodeIdentity;
  rotation: KeyRotation;
  fingerprint: string;
  /** Where the previous key files were kept, e.g. `<data>/keys/previous-1`. */
  previousDir: string;
  seq: number;
}

/** This node's chain, oldest first. */
export async function rotationChain(database: Database): Promise<KeyRotation[]> {
  const rows = await database.db.selectFrom('key_rotations').select('statement').orderBy('seq').execute();
  return rows.map((r) => JSON.parse(r.statement) as KeyRotation);
}

export async function rotationDocument(database: Database, node: string): Promise<RotationDocument> {
  return { node, rotations: await rotationChain(database) };
}

/** The next free `keys/previous-N` directory (N = 1, 2, ...). */
async function previousDir(dataDir: string): Promise<string> {
  const names = await readdir(join(dataDir, 'keys')).catch(() => [] as string[]);
  const taken = names.map((n) => /^previous-(\d+)$/.exec(n)?.[1]).filter((n) => n !== undefined);
  const next = Math.max(0, ...taken.map(Number)) + 1;
  return join(dataDir, 'keys', `previous-${next}`);
}

/**
 * Rotates the node's keys in `dataDir`: new Ed25519 + X25519 keys, a KeyRotation signed by the old
 * and the new signing key, appended to the chain in the same transaction that replaces the key
 * files (if the keys cannot be written, the statement is rolled back). The old key files are copied
 * to keys/previous-N first, so envelopes sealed to the old X25519 key while peers catch up can
 * still be opened by hand. A running node keeps its old keys until it is restarted.
 */
export async function rotateNodeKeys(
  dataDir: string,
  database: Database,
  opts: { clock?: Clock; passphrase?: string } = {},
): Promise<RotatedKeys> {
  const clock = opts.clock ?? systemClock;
  const current = await loadIdentity(dataDir, opts.passphrase);
  const chain = await rotationChain(database);
  const last = chain.at(-1);
  const currentKey = toB64u(current.signing.publicKey);
  // The chain must end at the key on disk, or peers could not follow from it to the new one.
  if (last && last.new_key !== currentKey) {
    throw new ParleyError(
      'rotation.broken_chain',
      `the last rotation in the database hands over to ${last.new_key}, but the key in ${dataDir}/keys is ${currentKey}; is --db the database of this node?`,
      409,
    );
  }
  const { identity, rotation } = rotateIdentity(current, clock);
  const keep = await previousDir(dataDir);
  // Same permissions as the keystore: directory 0700, files 0600.
  await mkdir(keep, { mode: 0o700 });
  for (const f of KEY_FILES) {
    await copyFile(join(dataDir, 'keys', f), join(keep, f));
    await chmod(join(keep, f), 0o600);
  }
  const seq = chain.length + 1;
  await database.transaction(async (tx) => {
    await tx
      .insertInto('key_rotations')
      .values({
        seq,
        previous_key: rotation.previous_key,
        new_key: rotation.new_key,
        statement: JSON.stringify(rotation),
        created: rotation.created,
      })
      .execute();
    await saveIdentity(dataDir, identity, { passphrase: opts.passphrase, overwrite: true });
  });
  return { identity, rotation, fingerprint: fingerprint(identity.signing.publicKey), previousDir: keep, seq };
}
