// Known answers from the Certificate Transparency test data, as published in transparency-dev/merkle
// (proof/verify_test.go, rfc6962/rfc6962_test.go): the same 8 leaves google/certificate-transparency
// and google/trillian test with. Inclusion vectors there number leaves from 1; here from 0.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { consistencyPath, inclusionPath, MemoryTree, rootAt } from './compact-tree.js';
import { EMPTY_ROOT, leafHash, nodeHash, toHex } from './hash.js';
import { referenceConsistency, referencePath, referenceRoot } from './reference-tree.js';
import { rootFromInclusion, verifyConsistency, verifyInclusion } from './verify-proofs.js';

const hx = (s: string) => Buffer.from(s, 'hex');
const LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(hx);
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const INCLUSION: { index: number; size: number; path: string[] }[] = [
  { index: 0, size: 1, path: [] },
  {
    index: 0,
    size: 8,
    path: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    path: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  { index: 2, size: 3, path: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    index: 1,
    size: 5,
    path: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];
const CONSISTENCY: { first: number; second: number; path: string[] }[] = [
  { first: 1, second: 1, path: [] },
  {
    first: 1,
    second: 8,
    path: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    first: 6,
    second: 8,
    path: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    first: 2,
    second: 5,
    path: [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
  {
    first: 6,
    second: 7,
    path: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];

const leafHashes = LEAVES.map(leafHash);
const tree = new MemoryTree();
tree.append(leafHashes);

describe('RFC 9162 hashing, known answers', () => {
  it('hashes the empty tree, the empty leaf, a leaf and a node', () => {
    assert.equal(toHex(EMPTY_ROOT), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(toHex(leafHash(new Uint8Array())), ROOTS[0]);
    assert.equal(
      toHex(leafHash(Buffer.from('L123456'))),
      '395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56',
    );
    assert.equal(
      toHex(nodeHash(Buffer.from('N123'), Buffer.from('N456'))),
      'aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb',
    );
  });

  it('computes the published roots of sizes 1..8, from stored nodes and by the literal recursion', async () => {
    for (let n = 1; n <= 8; n++) {
      assert.equal(toHex(await rootAt(tree, n)), ROOTS[n - 1], `size ${n}`);
      assert.equal(toHex(referenceRoot(leafHashes.slice(0, n))), ROOTS[n - 1], `reference size ${n}`);
    }
    assert.equal(toHex(await rootAt(tree, 0)), toHex(EMPTY_ROOT));
  });
});

describe('RFC 9162 inclusion proofs, known answers', () => {
  for (const v of INCLUSION) {
    it(`leaf ${v.index} in a tree of ${v.size}`, async () => {
      const path = await inclusionPath(tree, v.index, v.size);
      assert.deepEqual(path.map(toHex), v.path);
      assert.deepEqual(referencePath(v.index, leafHashes.slice(0, v.size)).map(toHex), v.path);
      const root = hx(ROOTS[v.size - 1]!);
      assert.ok(verifyInclusion(v.index, v.size, leafHashes[v.index]!, v.path.map(hx), root));
      assert.equal(
        toHex(rootFromInclusion(v.index, v.size, leafHashes[v.index]!, v.path.map(hx))!),
        ROOTS[v.size - 1],
      );
      // The probes transparency-dev runs against each vector: all must fail.
      const bad: [number, number, Uint8Array, Uint8Array[], Uint8Array][] = [
        [v.index + 1, v.size, leafHashes[v.index]!, v.path.map(hx), root],
        [v.index, v.size * 2, leafHashes[v.index]!, v.path.map(hx), root],
        [v.index, v.size, hx(ROOTS[7]!), v.path.map(hx), root],
        [v.index, v.size, leafHashes[v.index]!, v.path.map(hx), EMPTY_ROOT],
        [v.index, v.size, leafHashes[v.index]!, [...v.path.map(hx), root], root],
        [v.index, v.size, leafHashes[v.index]!, [root, ...v.path.map(hx)], root],
      ];
      if (v.index > 0) bad.push([v.index - 1, v.size, leafHashes[v.index]!, v.path.map(hx), root]);
      if (v.size > 1) bad.push([v.index, Math.floor(v.size / 2), leafHashes[v.index]!, v.path.map(hx), root]);
      if (v.path.length > 0)
        bad.push([v.index, v.size, leafHashes[v.index]!, v.path.slice(0, -1).map(hx), root]);
      for (const [i, b] of bad.entries()) assert.equal(verifyInclusion(...b), false, `probe ${i}`);
    });
  }
});

describe('RFC 9162 consistency proofs, known answers', () => {
  for (const v of CONSISTENCY) {
    it(`from size ${v.first} to size ${v.second}`, async () => {
      const path = await consistencyPath(tree, v.first, v.second);
      assert.deepEqual(path.map(toHex), v.path);
      assert.deepEqual(referenceConsistency(v.first, leafHashes.slice(0, v.second)).map(toHex), v.path);
      const r1 = hx(ROOTS[v.first - 1]!);
      const r2 = hx(ROOTS[v.second - 1]!);
      assert.ok(verifyConsistency(v.first, v.second, r1, r2, v.path.map(hx)));
      if (v.path.length === 0) return;
      const p = v.path.map(hx);
      const bad: [number, number, Uint8Array, Uint8Array, Uint8Array[]][] = [
        [v.first - 1, v.second, r1, r2, p],
        [v.first + 1, v.second, r1, r2, p],
        [v.first, v.second * 2, r1, r2, p],
        [v.first, Math.floor(v.second / 2), r1, r2, p],
        [v.first, v.second, r2, r1, p],
        [v.first, v.second, r1, r2, []],
        [v.first, v.second, r1, r2, [...p, r1]],
        [v.first, v.second, r1, r2, [r2, ...p]],
        [v.first, v.second, r1, r2, [p[0]!, ...p]],
        [v.first, v.second, r1, r2, p.slice(0, -1)],
      ];
      for (const [i, b] of bad.entries()) assert.equal(verifyConsistency(...b), false, `probe ${i}`);
    });
  }

  it('decides the trivial cases', () => {
    const r = hx(ROOTS[0]!);
    assert.ok(verifyConsistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, []));
    assert.ok(verifyConsistency(0, 5, EMPTY_ROOT, r, []));
    assert.ok(verifyConsistency(1, 1, r, r, []));
    assert.equal(verifyConsistency(1, 1, r, EMPTY_ROOT, []), false);
    assert.equal(verifyConsistency(2, 1, r, r, []), false);
    assert.equal(verifyConsistency(1, 2, r, r, []), false);
    assert.equal(verifyConsistency(0, 1, r, r, [EMPTY_ROOT]), false);
  });
});
