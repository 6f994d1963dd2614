/**
 * Threat intel the demo makes up for each party: an identity, indicators, malware and a report with
 * its relationships under every TLP label. AMBER and AMBER+STRICT objects name one partner as their
 * recipient (docs/SHARING.md), so the sharing rules show: CLEAR and GREEN reach every partner,
 * AMBER only the one named, RED stays at its origin. Ids are derived from the party, so the same
 * party always gets the same objects.
 */
import { createHash } from 'node:crypto';
import { withSharing } from '../exchange/policy/index.js';
import { TLP2_IDS, type TlpLevel, tlpMarkingDefinitions } from '../stix/index.js';

const uuid = (seed: string): string => {
  const h = createHash('sha256').update(seed).digest('hex');
  // A version-5-shaped UUID (RFC 9562 layout) from the hash.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((Number.parseInt(h[16] ?? '0', 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

interface Theme {
  malware: string;
  family: string[];
  ip: string;
  domain: string;
  sha256: string;
  report: string;
}

const THEMES: Record<TlpLevel, (n: number) => Theme> = {
  clear: (n) => ({
    malware: `PaperLantern-${n}`,
    family: ['downloader'],
    ip: `198.51.100.${10 + n}`,
    domain: `update-check${n}.example.net`,
    sha256: createHash('sha256').update(`clear${n}`).digest('hex'),
    report: 'Public advisory: phishing wave against municipal services',
  }),
  green: (n) => ({
    malware: `GreyHeron-${n}`,
    family: ['backdoor'],
    ip: `203.0.113.${20 + n}`,
    domain: `cdn-sync${n}.example.org`,
    sha256: createHash('sha256').update(`green${n}`).digest('hex'),
    report: 'Community alert: backdoor in VPN appliances',
  }),
  amber: (n) => ({
    malware: `SilentFerry-${n}`,
    family: ['remote-access-trojan'],
    ip: `192.0.2.${30 + n}`,
    domain: `telemetry${n}.example.com`,
    sha256: createHash('sha256').update(`amber${n}`).digest('hex'),
    report: 'Restricted: intrusion set targeting energy grid operators',
  }),
  'amber+strict': (n) => ({
    malware: `NightOrchid-${n}`,
    family: ['wiper'],
    ip: `192.0.2.${130 + n}`,
    domain: `backup-portal${n}.example.com`,
    sha256: createHash('sha256').update(`amber-strict${n}`).digest('hex'),
    report: 'Restricted to one CERT: wiper staged in a ministry network',
  }),
  red: (n) => ({
    malware: `BlackTide-${n}`,
    family: ['exploit-kit'],
    ip: `198.51.100.${200 + n}`,
    domain: `ops-relay${n}.example.net`,
    sha256: createHash('sha256').update(`red${n}`).digest('hex'),
    report: 'For named recipients only: zero-day under active exploitation',
  }),
};

export const DEMO_TLPS: readonly TlpLevel[] = ['clear', 'green', 'amber', 'amber+strict', 'red'];

/**
 * The bundle of one party. `partners` are the node ids AMBER objects may name (the first one is
 * named); `n` varies the values so each party's indicators differ.
 */
export function demoIntel(opts: {
  node: string;
  party: string;
  partners: string[];
  n: number;
  at: string;
}): Record<string, unknown>[] {
  const { node, party, partners, n, at } = opts;
  const id = (type: string, what: string) => `${type}--${uuid(`${node}/${type}/${what}`)}`;
  const identity = id('identity', 'cert');
  const objects: Record<string, unknown>[] = [
    ...tlpMarkingDefinitions(),
    {
      type: 'identity',
      spec_version: '2.1',
      id: identity,
      created: at,
      modified: at,
      name: `National CERT of ${party}`,
      identity_class: 'organization',
      sectors: ['government-national'],
      object_marking_refs: [TLP2_IDS.clear],
    },
  ];
  for (const tlp of DEMO_TLPS) {
    const t = THEMES[tlp](n);
    const marking = [TLP2_IDS[tlp]];
    const common = {
      spec_version: '2.1',
      created: at,
      modified: at,
      created_by_ref: identity,
      object_marking_refs: marking,
    };
    const named = (o: Record<string, unknown>) =>
      tlp === 'amber' || tlp === 'amber+strict' ? withSharing(o, { shareWith: partners.slice(0, 1) }) : o;
    const malware = id('malware', tlp);
    const indicators = [
      { what: 'ip', name: `${t.malware} C2 address`, pattern: `[ipv4-addr:value = '${t.ip}']` },
      { what: 'domain', name: `${t.malware} C2 domain`, pattern: `[domain-name:value = '${t.domain}']` },
      { what: 'hash', name: `${t.malware} sample`, pattern: `[file:hashes.'SHA-256' = '${t.sha256}']` },
    ].map((x) => ({
      type: 'indicator',
      id: id('indicator', `${tlp}/${x.what}`),
      ...common,
      name: x.name,
      indicator_types: ['malicious-activity'],
      pattern: x.pattern,
      pattern_type: 'stix',
      valid_from: at,
    }));
    const rels = indicators.map((ind) => ({
      type: 'relationship',
      id: id('relationship', `${ind.id}->${malware}`),
      ...common,
      relationship_type: 'indicates',
      source_ref: ind.id,
      target_ref: malware,
    }));
    const mal = {
      type: 'malware',
      id: malware,
      ...common,
      name: t.malware,
      is_family: true,
      malware_types: t.family,
      description: `Seen by ${party}; made up for the parley demo.`,
    };
    const report = {
      type: 'report',
      id: id('report', tlp),
      ...common,
      name: `${party}: ${t.report}`,
      report_types: ['threat-report'],
      published: at,
      object_refs: [malware, ...indicators.map((i) => i.id), ...rels.map((r) => r.id)],
    };
    objects.push(...[mal, ...indicators, ...rels, report].map(named));
  }
  return objects;
}
