/**
 * Traffic Light Protocol markings: the well-known marking-definition ids of TLP 1.0 (STIX 2.1
 * section 7.2.1.3) and of TLP 2.0 (FIRST, published as the STIX extension
 * extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d, property `tlp_2_0`).
 * TLP 1.0 WHITE is read as TLP 2.0 CLEAR, the label FIRST gave it the same meaning.
 */
export type TlpLevel = 'clear' | 'green' | 'amber' | 'amber+strict' | 'red';

export const TLP2_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

export const TLP1_IDS = {
  white: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
  green: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da',
  amber: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82',
  red: 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed',
} as const;

export const TLP2_IDS = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
} as const;

export interface TlpMarking {
  id: string;
  version: '1.0' | '2.0';
  /** The label as written in that version (`white` only in 1.0). */
  label: string;
  /** The TLP 2.0 level it means. */
  level: TlpLevel;
}

/** Every well-known TLP marking definition, by id. */
export const TLP_MARKINGS: ReadonlyMap<string, TlpMarking> = new Map<string, TlpMarking>([
  ...Object.entries(TLP1_IDS).map(([label, id]): [string, TlpMarking] => [
    id,
    { id, version: '1.0', label, level: label === 'white' ? 'clear' : (label as TlpLevel) },
  ]),
  ...Object.entries(TLP2_IDS).map(([label, id]): [string, TlpMarking] => [
    id,
    { id, version: '2.0', label, level: label as TlpLevel },
  ]),
]);

/** Least to most restrictive. */
export const TLP_ORDER: readonly TlpLevel[] = ['clear', 'green', 'amber', 'amber+strict', 'red'];

/** Whether `id` is one of the nine well-known TLP marking definitions. */
export const isTlpMarkingId = (id: string): boolean => TLP_MARKINGS.has(id);

/**
 * The TLP level of an object from its `object_marking_refs`, e.g. 'amber' for an object marked
 * TLP 1.0 AMBER. With several TLP markings, the most restrictive wins (sharing fails closed);
 * undefined when none is a well-known TLP marking.
 */
export function tlpOf(obj: { object_marking_refs?: unknown }): TlpLevel | undefined {
  const refs = obj.object_marking_refs;
  if (!Array.isArray(refs)) return undefined;
  let best = -1;
  for (const ref of refs) {
    const m = typeof ref === 'string' ? TLP_MARKINGS.get(ref) : undefined;
    if (m) best = Math.max(best, TLP_ORDER.indexOf(m.level));
  }
  return best < 0 ? undefined : TLP_ORDER[best];
}

/** The exact marking-definition objects behind the well-known ids, e.g. to seed a store. */
export function tlpMarkingDefinitions(): Record<string, unknown>[] {
  const v1 = Object.entries(TLP1_IDS).map(([label, id]) => ({
    type: 'marking-definition',
    spec_version: '2.1',
    id,
    created: '2017-01-20T00:00:00.000Z',
    definition_type: 'tlp',
    name: `TLP:${label.toUpperCase()}`,
    definition: { tlp: label },
  }));
  const v2 = Object.entries(TLP2_IDS).map(([label, id]) => ({
    type: 'marking-definition',
    spec_version: '2.1',
    id,
    created: '2022-10-01T00:00:00.000Z',
    name: `TLP:${label.toUpperCase()}`,
    extensions: { [TLP2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: label } },
  }));
  return [...v1, ...v2];
}
