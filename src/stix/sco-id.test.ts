import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { deterministicScoId, uuidVersionOf, uuidv5 } from './sco-id.js';

describe('SCO identifiers (section 2.9)', () => {
  it('computes RFC 4122 UUIDv5 (the RFC appendix B example: python.org in the DNS namespace)', () => {
    const dns = Buffer.from('6ba7b8109dad11d180b400c04fd430c8', 'hex');
    assert.equal(uuidv5('python.org', dns), '886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });

  it('derives ids from the ID-contributing properties only, canonicalised (RFC 8785)', () => {
    const a = deterministicScoId({
      type: 'ipv4-addr',
      value: '198.51.100.3',
      resolves_to_refs: ['mac-addr--x'],
    });
    const b = deterministicScoId({ value: '198.51.100.3', type: 'ipv4-addr', defanged: true });
    assert.equal(a, 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4');
    assert.equal(a, b);
    const f1 = deterministicScoId({
      type: 'file',
      name: 'a.exe',
      hashes: { 'SHA-256': 'aa', MD5: 'bb' },
      size: 3,
    });
    const f2 = deterministicScoId({ type: 'file', hashes: { MD5: 'bb' }, name: 'a.exe' });
    assert.equal(f1, f2, 'one hash, MD5 first');
  });

  it('gives none where no contributing property is present, or for process and custom types', () => {
    assert.equal(deterministicScoId({ type: 'file', size: 3 }), undefined);
    assert.equal(deterministicScoId({ type: 'process', pid: 3 }), undefined);
    assert.equal(deterministicScoId({ type: 'x-thing', value: 'a' }), undefined);
  });

  it('is a function of the content (property test)', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 0, max: 65535 }), (value, port) => {
        const id = deterministicScoId({
          type: 'network-traffic',
          dst_ref: value,
          dst_port: port,
          protocols: ['tcp'],
        });
        const again = deterministicScoId({
          protocols: ['tcp'],
          dst_port: port,
          dst_ref: value,
          type: 'network-traffic',
        });
        return id === again && id !== undefined && uuidVersionOf(id) === 5;
      }),
    );
  });
});
