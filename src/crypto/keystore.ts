/**
 * The key files of a node, in `<dataDir>/keys/` (directory 0700, files 0600, as ssh insists):
 *   node.json       { v, node_id, created }
 *   signing.json    { v, kty: "Ed25519", public, private | encrypted }
 *   agreement.json  { v, kty: "X25519",  public, private | encrypted }
 * Keys are base64url. Under a passphrase the private key is sealed with AES-256-GCM under a key from
 * scrypt (RFC 7914; N=2^15, r=8, p=1, 16-byte salt), with the key type and public key as AAD so a
 * file cannot be spliced onto another key. Files are written to a temporary name and renamed.
 */
import { randomBytes, scrypt } from 'node:crypto';
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ParleyError } from '../core/index.js';
import { equalBytes, fromB64u, toB64u, utf8 } from './bytes.js';
import { AES_256_GCM } from './hpke/aead.js';
import { checkNodeId, type NodeIdentity } from './identity.js';
import { type Curve, type KeyPair, keyPairFromPrivate, rawPrivateKey } from './keys.js';

const SCRYPT = { N: 1 << 15, r: 8, p: 1 } as const;
const KTY: Record<Curve, string> = { ed25519: 'Ed25519', x25519: 'X25519' };

interface EncryptedKey {
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  alg: 'A256GCM';
  iv: string;
  ct: string;
}
interface KeyFile {
  v: 1;
  kty: string;
  public: string;
  private?: string;
  encrypted?: EncryptedKey;
}

const err = (code: string, message: string, details: Record<string, unknown> = {}) =>
  new ParleyError(code, message, 400, details);

function deriveKey(
  passphrase: string,
  salt: Uint8Array,
  p: { N: number; r: number; p: number },
): Promise<Uint8Array> {
  return new Promise((resolve, reject) =>
    scrypt(
      passphrase.normalize('NFC'),
      salt,
      32,
      { ...p, maxmem: 256 * p.N * p.r + 1024 * 1024 },
      (e, key) => (e ? reject(e) : resolve(new Uint8Array(key))),
    ),
  );
}

const keyAad = (kty: string, pub: string) => utf8(`parley/keystore/v1\n${kty}\n${pub}`);

/** A key derived from the passphrase and the salt it was derived with (one scrypt run per save). */
interface Sealer {
  key: Uint8Array;
  salt: Uint8Array;
}

function keyFile(kp: KeyPair, sealer?: Sealer): KeyFile {
  const kty = KTY[kp.curve];
  const pub = toB64u(kp.publicKey);
  const priv = rawPrivateKey(kp.privateKey);
  if (sealer === undefined) return { v: 1, kty, public: pub, private: toB64u(priv) };
  const { key, salt } = sealer;
  // A fresh nonce per file: both files share the scrypt key, never a (key, nonce) pair.
  const iv = randomBytes(12);
  const ct = AES_256_GCM.seal(key, iv, keyAad(kty, pub), priv);
  return {
    v: 1,
    kty,
    public: pub,
    encrypted: {
      kdf: { name: 'scrypt', ...SCRYPT, salt: toB64u(salt) },
      alg: 'A256GCM',
      iv: toB64u(iv),
      ct: toB64u(ct),
    },
  };
}

async function writePrivate(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  await rename(tmp, path);
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Writes the identity under `<dataDir>/keys/`. Refuses to replace existing keys unless `overwrite`. */
export async function saveIdentity(
  dataDir: string,
  identity: NodeIdentity,
  opts: { passphrase?: string; overwrite?: boolean } = {},
): Promise<void> {
  const dir = join(dataDir, 'keys');
  if (!opts.overwrite && (await exists(join(dir, 'signing.json')))) {
    throw err('keystore.exists', `keys already exist in ${dir}; refusing to overwrite them`, { dir });
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  let sealer: Sealer | undefined;
  if (opts.passphrase !== undefined) {
    const salt = randomBytes(16);
    sealer = { salt, key: await deriveKey(opts.passphrase, salt, SCRYPT) };
  }
  await writePrivate(join(dir, 'signing.json'), keyFile(identity.signing, sealer));
  await writePrivate(join(dir, 'agreement.json'), keyFile(identity.agreement, sealer));
  await writePrivate(join(dir, 'node.json'), { v: 1, node_id: identity.nodeId, created: identity.created });
}

async function readPrivate(path: string): Promise<unknown> {
  let st: Awaited<ReturnType<typeof stat>>;
  try {
    st = await stat(path);
  } catch {
    throw err('keystore.not_found', `no key file at ${path}; run \`parley init\` first`, { path });
  }
  // Like ssh: a private key that others can read is treated as compromised, not silently used.
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
    throw err(
      'keystore.insecure_permissions',
      `${path} is readable by others (mode ${(st.mode & 0o777).toString(8)}); chmod 600 it`,
      { path },
    );
  }
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch {
    throw err('keystore.corrupt', `${path} is not JSON`, { path });
  }
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

type KeyCache = Map<string, Promise<Uint8Array>>;

async function loadKey(
  path: string,
  curve: Curve,
  passphrase: string | undefined,
  cache: KeyCache,
): Promise<KeyPair> {
  const f = await readPrivate(path);
  const corrupt = (why: string) => err('keystore.corrupt', `${path}: ${why}`, { path });
  if (!isObj(f) || f.v !== 1 || f.kty !== KTY[curve] || typeof f.public !== 'string') {
    throw corrupt(`expected { v: 1, kty: "${KTY[curve]}", public, ... }`);
  }
  const pub = fromB64u(f.public, 32);
  if (!pub) throw corrupt('public is not a 32-byte base64url key');
  let priv: Uint8Array | undefined;
  if (typeof f.private === 'string') {
    priv = fromB64u(f.private, 32);
  } else if (isObj(f.encrypted)) {
    if (passphrase === undefined) {
      throw err('keystore.passphrase_required', `${path} is encrypted; a passphrase is needed`, { path });
    }
    const e = f.encrypted as unknown as EncryptedKey;
    const salt = fromB64u(String(e.kdf?.salt));
    const iv = fromB64u(String(e.iv), 12);
    const ct = fromB64u(String(e.ct));
    if (e.alg !== 'A256GCM' || e.kdf?.name !== 'scrypt' || !salt || !iv || !ct)
      throw corrupt('bad encrypted block');
    const params = { N: Number(e.kdf.N), r: Number(e.kdf.r), p: Number(e.kdf.p) };
    if (!(params.N <= 1 << 20 && params.r <= 32 && params.p <= 16))
      throw corrupt('scrypt parameters out of range');
    // signing.json and agreement.json share one salt: derive once per load.
    const cacheKey = `${e.kdf.salt}/${params.N}/${params.r}/${params.p}`;
    let derived = cache.get(cacheKey);
    if (!derived) {
      derived = deriveKey(passphrase, salt, params);
      cache.set(cacheKey, derived);
    }
    const key = await derived;
    priv = AES_256_GCM.open(key, iv, keyAad(f.kty, f.public), ct);
    if (!priv)
      throw err('keystore.bad_passphrase', `wrong passphrase for ${path} (or the file was altered)`, {
        path,
      });
  }
  if (priv?.length !== 32) throw corrupt('no usable private key');
  const kp = keyPairFromPrivate(curve, priv);
  if (!equalBytes(kp.publicKey, pub)) throw corrupt('private key does not match the public key');
  return kp;
}

/** Reads the identity saved by saveIdentity. `loadIdentity('.parley')`, or with the passphrase. */
export async function loadIdentity(dataDir: string, passphrase?: string): Promise<NodeIdentity> {
  const dir = join(dataDir, 'keys');
  const node = await readPrivate(join(dir, 'node.json'));
  if (!isObj(node) || typeof node.node_id !== 'string' || typeof node.created !== 'string') {
    throw err('keystore.corrupt', `${join(dir, 'node.json')}: expected { node_id, created }`);
  }
  const cache: KeyCache = new Map();
  return {
    nodeId: checkNodeId(node.node_id, 'node_id'),
    created: node.created,
    signing: await loadKey(join(dir, 'signing.json'), 'ed25519', passphrase, cache),
    agreement: await loadKey(join(dir, 'agreement.json'), 'x25519', passphrase, cache),
  };
}
