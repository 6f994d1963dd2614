/**
 * Property: in random networks of 3 to 5 nodes, sync driven by decideShare leaks nothing and misses
 * nothing. The sync engine's decisions are run in memory (each node offers each peer, under each
 * agreement in force between them, exactly what the engine's relay rule, mayRelay, and then
 * decideShare allow, through collections and the hotline, until nothing changes); who is entitled to what is computed by an oracle written from the
 * rules of docs/SHARING.md, without calling the policy.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type AgreementDocument, agreementIdOf } from '../../pact/index.js';
import { TLP1_IDS, TLP2_IDS, type TlpLevel, tlpMarkingDefinitions } from '../../stix/index.js';
import { mayRelay } from '../offer.js';
import { decideShare, type PermissionGrant, SHARING_EXTENSION_ID } from './index.js';
import { agreementOf, STATEMENT_ID } from './test-fixtures.js';

const NUM_RUNS = 10_000;
const LEVELS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
const RANK: Record<string, number> = { clear: 0, green: 1, amber: 2, 'amber+strict': 3, red: 4 };
const LABEL: Record<string, string> = {
  clear: 'TLP:CLEAR',
  green: 'TLP:GREEN',
  amber: 'TLP:AMBER',
  'amber+strict': 'TLP:AMBER+STRICT',
  red: 'TLP:RED',
};
const TLP1: Record<string, string> = {
  clear: TLP1_IDS.white,
  green: TLP1_IDS.green,
  amber: TLP1_IDS.amber,
  red: TLP1_IDS.red,
};

type Mark = { kind: 'object' | 'granular'; version: '1.0' | '2.0'; level: TlpLevel } | { kind: 'statement' };

interface GrantSpec {
  holder: number;
  nodes: number[];
  agreements: number[];
  label: string;
  /** Index of the granting node; the grant counts only when it is the origin. */
  by: number;
}

interface ObjectSpec {
  kind: 'indicator' | 'tlp-definition' | 'bad-extension';
  origin: number;
  marks: Mark[];
  shareWith: number[];
  grants: GrantSpec[];
}

interface NetworkSpec {
  size: number;
  agreements: { parties: number[]; defaultTlp: TlpLevel | null }[];
  objects: ObjectSpec[];
}

const level = fc.constantFrom(...LEVELS);
const mark: fc.Arbitrary<Mark> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('object' as const, 'granular' as const),
    version: fc.constant('2.0' as const),
    level,
  }),
  fc.record({
    kind: fc.constant('object' as const),
    version: fc.constant('1.0' as const),
    level: fc.constantFrom<TlpLevel>('clear', 'green', 'amber', 'red'),
  }),
  fc.constant({ kind: 'statement' as const }),
);

const network: fc.Arbitrary<NetworkSpec> = fc.integer({ min: 3, max: 5 }).chain((size) => {
  const node = fc.integer({ min: 0, max: size - 1 });
  const nodes = fc.uniqueArray(node, { maxLength: size });
  return fc.integer({ min: 1, max: 4 }).chain((nAgreements) => {
    const grant: fc.Arbitrary<GrantSpec> = fc.record({
      holder: node,
      nodes,
      agreements: fc.uniqueArray(fc.integer({ min: 0, max: nAgreements - 1 }), { maxLength: 2 }),
      label: fc.constantFrom(...Object.values(LABEL), 'TLP:WHITE', 'AMBER'),
      by: fc.oneof({ weight: 4, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: node }),
    });
    return fc.record({
      size: fc.constant(size),
      agreements: fc.array(
        fc.record({
          parties: fc.uniqueArray(node, { minLength: 2, maxLength: size }),
          defaultTlp: fc.option(level, { freq: 3 }),
        }),
        { minLength: nAgreements, maxLength: nAgreements },
      ),
      objects: fc.array(
        fc.record({
          kind: fc.oneof(
            { weight: 18, arbitrary: fc.constant('indicator' as const) },
            { weight: 1, arbitrary: fc.constant('tlp-definition' as const) },
            { weight: 1, arbitrary: fc.constant('bad-extension' as const) },
          ),
          origin: node,
          marks: fc.array(mark, { maxLength: 3 }),
          shareWith: nodes,
          grants: fc.array(grant, { maxLength: 2 }),
        }),
        { minLength: 1, maxLength: 4 },
      ),
    });
  });
});

const nodeId = (i: number) => `n${i}`;

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

/** The STIX object an ObjectSpec describes. */
function stixOf(o: ObjectSpec, i: number): Record<string, unknown> {
  if (o.kind === 'tlp-definition') return tlpMarkingDefinitions().find((d) => d.id === TLP2_IDS.clear)!;
  const refs: string[] = [];
  const granular: { selectors: string[]; marking_ref: string }[] = [];
  for (const m of o.marks) {
    if (m.kind === 'statement') refs.push(STATEMENT_ID);
    else {
      const id = m.version === '1.0' ? (TLP1[m.level] as string) : TLP2_IDS[m.level];
      if (m.kind === 'granular') granular.push({ selectors: ['pattern'], marking_ref: id });
      else refs.push(id);
    }
  }
  const ext =
    o.kind === 'bad-extension'
      ? { extension_type: 'property-extension', share_with: o.shareWith.map(nodeId), scope: 'all' }
      : { extension_type: 'property-extension', share_with: o.shareWith.map(nodeId) };
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
    created: '2025-03-01T00:00:00.000Z',
    modified: '2025-03-01T00:00:00.000Z',
    pattern: "[ipv4-addr:value = '198.51.100.7']",
    pattern_type: 'stix',
    valid_from: '2025-03-01T00:00:00Z',
    ...(refs.length ? { object_marking_refs: refs } : {}),
    ...(granular.length ? { granular_markings: granular } : {}),
    extensions: { [SHARING_EXTENSION_ID]: ext },
  };
}

// ---- The oracle: entitlement from the rules, by closure over hops; no call into the policy. ----

/** The most restrictive TLP among the marks, or null when there is none. */
function labelOf(marks: Mark[]): TlpLevel | null {
  let best: TlpLevel | null = null;
  for (const m of marks)
    if (m.kind !== 'statement' && (best === null || RANK[m.level]! > RANK[best]!)) best = m.level;
  return best;
}

const VALID_LABELS = new Set(Object.values(LABEL));

function entitled(net: NetworkSpec, o: ObjectSpec): Set<number> {
  const has = new Set([o.origin]);
  if (o.kind === 'bad-extension') return has;
  const label = labelOf(o.marks);
  const hop = (x: number, r: number, a: number): boolean => {
    const agreement = net.agreements[a]!;
    if (o.kind === 'tlp-definition') return true;
    const fromOrigin = x === o.origin;
    // By the label: the object's own, or (origin only) this agreement's default.
    const l = label ?? (fromOrigin ? agreement.defaultTlp : null);
    if (l === 'clear' || l === 'green') return true;
    if (l !== null && fromOrigin && o.shareWith.includes(r)) return true; // amber, amber+strict, red (hotline)
    // By a grant the holder has from the origin, naming r or this agreement.
    return o.grants.some(
      (g) =>
        g.holder === x &&
        (g.by < 0 ? o.origin : g.by) === o.origin &&
        VALID_LABELS.has(g.label) &&
        (g.nodes.includes(r) || g.agreements.includes(a)),
    );
  };
  for (let grew = true; grew; ) {
    grew = false;
    for (const [a, ag] of net.agreements.entries())
      for (const x of ag.parties)
        for (const r of ag.parties)
          if (has.has(x) && !has.has(r) && hop(x, r, a)) {
            has.add(r);
            grew = true;
          }
  }
  return has;
}

// ---- The model of sync: offer what decideShare allows, until nothing changes. ----

interface Stats {
  objects: number;
  deliveries: number;
  onward: number;
  byBasis: Record<string, number>;
  hotlineOnly: number;
}

function sync(net: NetworkSpec, docs: AgreementDocument[], objs: Record<string, unknown>[], stats: Stats) {
  // held[o]: node -> the peer it came from (null at the origin); via[o]: node -> the agreement it came under.
  const held = net.objects.map((o) => new Map<number, number | null>([[o.origin, null]]));
  const via = net.objects.map(() => new Map<number, number>());
  const grantsOf = (o: ObjectSpec, x: number): PermissionGrant[] =>
    o.grants
      .filter((g) => g.holder === x)
      .map((g) => ({
        objectRefs: [objs[net.objects.indexOf(o)]!.id as string],
        shareWith: [
          ...g.nodes.map(nodeId),
          ...g.agreements.map((a) => `agreement:${agreementIdOf(docs[a]!)}`),
        ],
        tlp: g.label,
        grantedBy: nodeId(g.by < 0 ? o.origin : g.by),
      }));
  const work: [number, number][] = net.objects.map((o, i) => [i, o.origin]);
  while (work.length) {
    const [i, x] = work.pop()!;
    const o = net.objects[i]!;
    const from = held[i]!.get(x)!;
    const prov = {
      origin: nodeId(o.origin),
      receivedFrom: from === null ? null : nodeId(from),
      permissions: grantsOf(o, x),
    };
    for (const [a, ag] of net.agreements.entries()) {
      if (!ag.parties.includes(x)) continue;
      for (const r of ag.parties) {
        if (r === x) continue;
        // A received object also passes the engine's relay rule (src/exchange/offer.ts), as in sync.
        if (
          from !== null &&
          !mayRelay(
            {
              origin: prov.origin,
              receivedFrom: prov.receivedFrom,
              agreement: agreementIdOf(docs[via[i]!.get(x)!]!),
            },
            prov.permissions,
            nodeId(r),
            { id: agreementIdOf(docs[a]!), doc: docs[a]! },
          )
        )
          continue;
        for (const purpose of ['collection', 'hotline'] as const) {
          const d = decideShare(objs[i]!, prov, {
            agreement: docs[a]!,
            recipient: nodeId(r),
            self: nodeId(x),
            purpose,
          });
          if (!d.share) continue;
          assert.ok(r !== o.origin && r !== from, `offered ${i} back to ${nodeId(r)}, its origin or source`);
          if (held[i]!.has(r)) continue;
          held[i]!.set(r, x);
          via[i]!.set(r, a);
          work.push([i, r]);
          stats.deliveries += 1;
          if (x !== o.origin) stats.onward += 1;
          stats.byBasis[d.basis] = (stats.byBasis[d.basis] ?? 0) + 1;
          if (purpose === 'hotline') stats.hotlineOnly += 1;
          break;
        }
      }
    }
  }
  return held;
}

describe('sharing policy over random networks', () => {
  it(`leaks nothing and misses nothing after sync (${NUM_RUNS} networks of 3 to 5 nodes)`, () => {
    const stats: Stats = { objects: 0, deliveries: 0, onward: 0, byBasis: {}, hotlineOnly: 0 };
    let leaks = 0;
    const started = performance.now();
    fc.assert(
      fc.property(network, (net) => {
        const names = Array.from({ length: net.size }, (_, i) => nodeId(i));
        const docs = net.agreements.map((a) =>
          agreementOf(
            a.parties.map((p) => names[p]!),
            a.defaultTlp ? LABEL[a.defaultTlp]! : null,
          ),
        );
        const objs = net.objects.map((o, i) => deepFreeze(stixOf(o, i)));
        const held = sync(net, docs, objs, stats);
        stats.objects += net.objects.length;
        for (const [i, o] of net.objects.entries()) {
          const want = entitled(net, o);
          const got = held[i]!;
          const leaked = [...got.keys()].filter((n) => !want.has(n));
          const missing = [...want].filter((n) => !got.has(n));
          leaks += leaked.length;
          assert.deepEqual({ object: i, leaked, missing }, { object: i, leaked: [], missing: [] });
        }
      }),
      { numRuns: NUM_RUNS },
    );
    const ms = Math.round(performance.now() - started);
    console.log(
      `network property: ${NUM_RUNS} networks, ${stats.objects} objects, ${leaks} leaks, ${ms} ms`,
      stats,
    );
    assert.equal(leaks, 0);
    // Not vacuous: objects moved, onward and by every basis.
    assert.ok(stats.onward > 1000, `only ${stats.onward} onward deliveries`);
    for (const b of ['marking', 'default', 'grant', 'public-definition'])
      assert.ok((stats.byBasis[b] ?? 0) > 100, `only ${stats.byBasis[b] ?? 0} deliveries by ${b}`);
    assert.ok(stats.hotlineOnly > 100, `only ${stats.hotlineOnly} deliveries through the hotline alone`);
  });
});
