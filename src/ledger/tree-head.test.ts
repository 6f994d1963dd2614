import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { EMPTY_ROOT, toHex } from './hash.js';
import {
  ed25519Signer,
  ed25519Verify,
  generateSigner,
  signTreeHead,
  treeHeadBytes,
  verifyTreeHead,
} from './tree-head.js';

describe('signed tree heads', () => {
  it('sign the documented byte layout', () => {
    const b = treeHeadBytes(5, 0x0102030405, EMPTY_ROOT);
    assert.equal(
      toHex(b),
      `${Buffer.from('parley/ledger/tree-head/v1\n').toString('hex')}` +
        '0000000102030405' +
        '0000000000000005' +
        '20' +
        toHex(EMPTY_ROOT) +
        '0000',
    );
  });

  it('verify with the signing key only, and not after any field changes', () => {
    const s = ed25519Signer(generateKeyPairSync('ed25519').privateKey);
    const sth = signTreeHead(s, 7, 1767225600000, EMPTY_ROOT);
    assert.ok(verifyTreeHead(sth, s.publicKey));
    assert.equal(verifyTreeHead(sth, generateSigner().publicKey), false);
    assert.equal(verifyTreeHead({ ...sth, treeSize: 8 }, s.publicKey), false);
    assert.equal(verifyTreeHead({ ...sth, timestamp: sth.timestamp + 1 }, s.publicKey), false);
    assert.equal(verifyTreeHead({ ...sth, rootHash: 'ab'.repeat(32) }, s.publicKey), false);
    assert.equal(verifyTreeHead({ ...sth, rootHash: 'zz' }, s.publicKey), false);
    assert.equal(verifyTreeHead({ ...sth, signature: sth.signature.slice(2) }, s.publicKey), false);
    assert.equal(ed25519Verify(new Uint8Array(31), new Uint8Array(), new Uint8Array(64)), false);
  });
});
