/**
 * Secrets at rest. API tokens are 32 random bytes, so one SHA-256 is enough to store them (no one
 * can brute-force 256 bits of entropy); passwords are chosen by people and get scrypt (RFC 7914)
 * with a per-password salt. Comparisons are constant-time.
 */
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** Prefix that lets a secret scanner recognise a leaked parley token. */
export const TOKEN_PREFIX = 'ptk_';

/** A new API token: `ptk_` + 43 base64url characters (32 random bytes). Shown once, never stored. */
export const newToken = (): string => TOKEN_PREFIX + randomBytes(32).toString('base64url');

/** The stored form of a token: SHA-256, hex. */
export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

// scrypt cost: N=2^15, r=8, p=1 takes ~60 ms here and 32 MiB, the OWASP floor for scrypt.
const N = 2 ** 15;
const R = 8;
const P = 1;
const KEYLEN = 32;
const MAXMEM = 64 * 1024 * 1024;

function scryptAsync(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEYLEN, { N: n, r, p, maxmem: MAXMEM }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** `scrypt$N$r$p$salt$hash` with base64url salt and hash. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const salt = Buffer.from(parts[4] as string, 'base64url');
  const want = Buffer.from(parts[5] as string, 'base64url');
  const got = await scryptAsync(password, salt, n, r, p);
  return got.length === want.length && timingSafeEqual(got, want);
}

/** A generated password: 18 random bytes, 24 base64url characters, shown once to be stored elsewhere. */
export const generatePassword = (): string => randomBytes(18).toString('base64url');
