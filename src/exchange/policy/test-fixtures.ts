/** Test helpers: agreement documents and STIX objects for the policy tests (not exported by index.ts). */
import { toB64u } from '../../crypto/index.js';
import { type AgreementDocument, buildDocument } from '../../pact/index.js';

const KEY = toB64u(new Uint8Array(32));
const NOW = Date.parse('2025-03-01T00:00:00.000Z');

/** A valid agreement document between `nodes`, with the given default label (null: none). */
export function agreementOf(nodes: string[], defaultTlp: string | null): AgreementDocument {
  return buildDocument({
    terms: { sharing: { default_tlp: defaultTlp } },
    proposer: nodes[0] as string,
    parties: nodes.map((node) => ({ node, party: `Party ${node}`, signing_key: KEY, agreement_key: KEY })),
    now: NOW,
  });
}

let n = 0;
/** A deterministic STIX 2.1 indicator id (UUIDv4 shape). */
export const indicatorId = (): string => {
  n += 1;
  return `indicator--00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
};

export const STATEMENT_ID = 'marking-definition--0a2a8b4e-8f0c-4d0e-9a3c-2d1c6c8d1f11';

export function indicator(id = indicatorId()): Record<string, unknown> {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id,
    created: '2025-03-01T00:00:00.000Z',
    modified: '2025-03-01T00:00:00.000Z',
    pattern: "[ipv4-addr:value = '198.51.100.7']",
    pattern_type: 'stix',
    valid_from: '2025-03-01T00:00:00Z',
  };
}
