/**
 * Information exchange from batch observations: objects that flowed each way by type and TLP
 * label, reciprocity (shared against received) per peer, and timeliness: from the object version's
 * time at its origin (`modified`, else `created`) to its logging by the receiving node.
 */
import type { BatchObs } from './collect.js';
import { type Summary, summarise } from './stats.js';

export interface FlowRow {
  id: string;
  from: string;
  to: string;
  objects: number;
  batches: number;
  byLabel: { type: string; tlp: string; objects: number }[];
  timeliness: Summary;
  evidence: number[];
}

export interface ReciprocityRow {
  id: string;
  peer: string;
  shared: number;
  received: number;
  /** shared / received, 4 decimals; null when nothing was received. */
  ratio: number | null;
  evidence: number[];
}

export function flows(batches: readonly BatchObs[]): FlowRow[] {
  const by = new Map<string, BatchObs[]>();
  for (const b of batches) {
    const k = `${b.from}>${b.to}`;
    const g = by.get(k) ?? [];
    g.push(b);
    by.set(k, g);
  }
  const rows: FlowRow[] = [];
  for (const [k, g] of by) {
    const [from, to] = k.split('>') as [string, string];
    const labels = new Map<string, number>();
    let n = 0;
    for (const b of g) for (const v of Object.values(b.facts.groups)) n += v.length;
    const delays = new Float64Array(n);
    let i = 0;
    for (const b of g)
      for (const [label, versions] of Object.entries(b.facts.groups)) {
        labels.set(label, (labels.get(label) ?? 0) + versions.length);
        if (b.at === null) continue;
        for (const v of versions) delays[i++] = b.at - v;
      }
    rows.push({
      id: `exchange/${k}`,
      from,
      to,
      objects: n,
      batches: g.length,
      byLabel: [...labels]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([l, objects]) => {
          const [type, tlp] = l.split('\t') as [string, string];
          return { type, tlp, objects };
        }),
      timeliness: summarise(delays.subarray(0, i)),
      evidence: g.map((b) => b.ref).sort((a, b) => a - b),
    });
  }
  return rows.sort((a, b) => (a.id < b.id ? -1 : 1));
}

export function reciprocity(self: string, rows: readonly FlowRow[]): ReciprocityRow[] {
  const peers = new Set<string>();
  for (const r of rows) peers.add(r.from === self ? r.to : r.from);
  return [...peers].sort().map((peer) => {
    const out = rows.find((r) => r.from === self && r.to === peer);
    const inn = rows.find((r) => r.from === peer && r.to === self);
    const shared = out?.objects ?? 0;
    const received = inn?.objects ?? 0;
    return {
      id: `reciprocity/${self}>${peer}`,
      peer,
      shared,
      received,
      ratio: received === 0 ? null : Math.round((shared / received) * 10_000) / 10_000,
      evidence: [...(out?.evidence ?? []), ...(inn?.evidence ?? [])].sort((a, b) => a - b),
    };
  });
}
