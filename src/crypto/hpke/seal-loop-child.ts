/**
 * Seals to one recipient N times (default 150,000) with garbage being made beside it, then prints
 * "sealed N". Run by seal-loop.test.ts in a child process: a hang inside node:crypto blocks the
 * whole thread, so only a parent can notice it.
 *
 * Usage: node --import tsx seal-loop-child.ts [N]
 */
import { randomBytes } from 'node:crypto';
import { generateKeyPair } from '../keys.js';
import { encap } from './dhkem-x25519.js';

const n = Number(process.argv[2] ?? 150_000);
const recipient = generateKeyPair('x25519');
let garbage: string[] = [];
for (let i = 0; i < n; i++) {
  encap(recipient.publicKey);
  // Strings on V8's heap, so that collections start while the key operations run.
  if (i % 7 === 0) garbage.push(randomBytes(64).toString('hex'));
  if (garbage.length > 5000) garbage = [];
}
process.stdout.write(`sealed ${n}\n`);
