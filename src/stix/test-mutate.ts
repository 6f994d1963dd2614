/**
 * Test-only: deterministic mutations of STIX objects for the differential test. Each mutation
 * breaks (or merely bends) one thing the schemas speak about; the test asks both validators.
 */
type Json = Record<string, unknown>;

/** mulberry32: a small seeded generator, so that every run sees the same cases. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Mutation {
  kind: string;
  /** The top-level property the mutation touched, if one. */
  property?: string;
  object: Json;
}

const TIMESTAMP_KEYS = [
  'created',
  'modified',
  'valid_from',
  'first_seen',
  'last_seen',
  'published',
  'first_observed',
];
const BAD_TIMESTAMPS = [
  '2020-13-01T00:00:00.000Z',
  '2020-01-01T00:00:00.000',
  '2020-01-01 00:00:00.000Z',
  '2020-01-01T24:00:00.000Z',
  '2020-01-01T00:00:00Z',
  '2020-01-01T00:00:00.000+01:00',
  '20200101T000000Z',
];
const BAD_IDS = (type: string) => [
  'not-an-id',
  `${type}--0c7b5b88-8ff7-4a4d-aa9d-feb398cd006`,
  `${type}--0c7b5b88-8ff7-6a4d-aa9d-feb398cd0061`,
  `${type}--0c7b5b88-8ff7-4a4d-ca9d-feb398cd0061`,
  `${type.toUpperCase()}--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061`,
  'attack-pattern--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061',
  'x-other--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061',
];

const clone = (o: Json): Json => structuredClone(o);
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

function retype(v: unknown, r: () => number): unknown {
  if (typeof v === 'string') return pick(r, [42, true, ['x'], { a: 1 }, null]);
  if (typeof v === 'number') return pick(r, ['42', false, [1]]);
  if (typeof v === 'boolean') return pick(r, ['true', 1, null]);
  if (Array.isArray(v)) return pick(r, ['x', {}, [], 3]);
  if (v && typeof v === 'object') return pick(r, [[v], 'x', {}, 7]);
  return 'x';
}

/** One random mutation of `o`. */
export function mutate(o: Json, r: () => number): Mutation {
  const m = clone(o);
  const keys = Object.keys(m);
  const type = String(m.type);
  const kind = pick(r, [
    'remove',
    'remove',
    'retype',
    'retype',
    'timestamp',
    'id',
    'enum',
    'bad-name',
    'null-custom',
    'empty-list',
    'nested',
    'hex-bin',
    'ref',
    'deep',
    'deep',
  ]);
  switch (kind) {
    case 'remove': {
      const k = pick(r, keys);
      delete m[k];
      return { kind, property: k, object: m };
    }
    case 'retype': {
      const k = pick(r, keys);
      m[k] = retype(m[k], r);
      return { kind, property: k, object: m };
    }
    case 'timestamp': {
      const present = TIMESTAMP_KEYS.filter((k) => k in m);
      const k = present.length > 0 ? pick(r, present) : 'created';
      m[k] = pick(r, BAD_TIMESTAMPS);
      return { kind, property: k, object: m };
    }
    case 'id':
      m.id = pick(r, BAD_IDS(type));
      return { kind, property: 'id', object: m };
    case 'enum': {
      const k = pick(r, [
        'spec_version',
        'type',
        'opinion',
        'is_family',
        'encryption_algorithm',
        'definition_type',
      ]);
      m[k] = pick(r, ['3.0', 'bogus', 'action', 'a', '']);
      return { kind, property: k, object: m };
    }
    case 'bad-name': {
      const k = pick(r, ['Bad-Name', 'ab', 'x-dash', 'UPPER', 'x_ok_name', 'a_bin', 'aa']);
      m[k] = 'value';
      return { kind, property: k, object: m };
    }
    case 'null-custom': {
      const k = pick(r, ['x_custom', 'x_list']);
      m[k] = k === 'x_list' ? [] : null;
      return { kind, property: k, object: m };
    }
    case 'empty-list': {
      const lists = keys.filter((k) => Array.isArray(m[k]));
      const k = lists.length > 0 ? pick(r, lists) : 'labels';
      m[k] = [];
      return { kind, property: k, object: m };
    }
    case 'nested': {
      const refs = m.external_references;
      if (Array.isArray(refs) && refs.length > 0) {
        const ref = refs[Math.floor(r() * refs.length)] as Json;
        const what = pick(r, ['source_name', 'url', 'hashes', 'cve', 'only-source']);
        if (what === 'source_name') delete ref.source_name;
        else if (what === 'url') ref.url = 'not a url';
        else if (what === 'hashes') ref.hashes = { MD5: 'abc' };
        else if (what === 'cve') Object.assign(ref, { source_name: 'cve', external_id: 'CVE-20-1' });
        else for (const k of Object.keys(ref)) if (k !== 'source_name') delete ref[k];
        return { kind: `nested-${what}`, property: 'external_references', object: m };
      }
      const kcp = m.kill_chain_phases;
      if (Array.isArray(kcp) && kcp.length > 0) {
        delete (kcp[0] as Json).phase_name;
        return { kind: 'nested-kill-chain', property: 'kill_chain_phases', object: m };
      }
      m.granular_markings = [
        { selectors: ['Bad'], marking_ref: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9' },
      ];
      return { kind: 'nested-granular', property: 'granular_markings', object: m };
    }
    case 'hex-bin': {
      const k = pick(r, ['x_thing_hex', 'x_thing_bin']);
      m[k] = pick(r, ['zz', 'abc', 'YWJj', '00ff', 'YW=']);
      return { kind, property: k, object: m };
    }
    case 'deep': {
      // Any value below the top level: extension properties, hashes, list items...
      const slots: [Record<string | number, unknown>, string | number, string][] = [];
      const walk = (node: unknown, top: string, depth: number) => {
        if (Array.isArray(node)) {
          node.forEach((x, i) => {
            slots.push([node as unknown as Record<number, unknown>, i, top]);
            walk(x, top, depth + 1);
          });
        } else if (node && typeof node === 'object') {
          for (const [k, x] of Object.entries(node)) {
            if (depth > 0) slots.push([node as Json, k, top]);
            walk(x, depth === 0 ? k : top, depth + 1);
          }
        }
      };
      walk(m, '', 0);
      if (slots.length === 0) return { kind: 'deep-none', object: m };
      const [parent, key, top] = pick(r, slots);
      if (!Array.isArray(parent) && r() < 0.4) {
        delete parent[key];
        return { kind: 'deep-remove', property: top, object: m };
      }
      parent[key] = retype(parent[key], r);
      return { kind: 'deep-retype', property: top, object: m };
    }
    default: {
      const k = pick(r, [
        'created_by_ref',
        'object_marking_refs',
        'source_ref',
        'where_sighted_refs',
        'object_refs',
      ]);
      m[k] = pick(r, [
        'identity--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061',
        ['relationship--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061'],
        ['marking-definition--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061'],
        'bundle--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061',
        ['location--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061'],
      ]);
      return { kind: 'ref', property: k, object: m };
    }
  }
}
