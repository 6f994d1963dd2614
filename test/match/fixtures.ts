/** Indicator objects for the matching tests. */
import { TLP2_IDS } from '../../src/stix/index.js';

let n = 0;

/** A STIX 2.1 indicator with `pattern`; `extra` overrides any property. */
export function indicator(pattern: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  n++;
  const id = `indicator--${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`;
  return {
    type: 'indicator',
    spec_version: '2.1',
    id,
    created: '2024-01-01T00:00:00.000Z',
    modified: '2024-01-01T00:00:00.000Z',
    name: `indicator ${n}`,
    pattern,
    pattern_type: 'stix',
    valid_from: '2024-01-01T00:00:00Z',
    ...extra,
  };
}

export const AMBER = TLP2_IDS.amber;

/** 2025-06-01, inside the default validity window of `indicator()`. */
export const NOW = Date.parse('2025-06-01T00:00:00Z');
