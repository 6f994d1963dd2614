/**
 * The TLP label of a STIX object for sharing: every well-known TLP marking it carries, in
 * `object_marking_refs` or in `granular_markings` (a TLP on any part makes the whole object at least
 * that restrictive, since the object travels whole), the most restrictive winning. Non-TLP markings
 * (statements, custom definitions) neither block nor widen.
 */
import { TLP_MARKINGS, TLP_ORDER, type TlpLevel } from '../../stix/index.js';

/** The level of an agreement's or grant's label such as "TLP:AMBER+STRICT"; undefined if it is none. */
export function parseTlpLabel(label: unknown): TlpLevel | undefined {
  if (typeof label !== 'string' || !label.startsWith('TLP:')) return undefined;
  const level = label.slice(4).toLowerCase();
  return (TLP_ORDER as readonly string[]).includes(level) ? (level as TlpLevel) : undefined;
}

export const stricter = (a: TlpLevel, b: TlpLevel): TlpLevel =>
  TLP_ORDER.indexOf(a) >= TLP_ORDER.indexOf(b) ? a : b;

/** True for the nine well-known TLP marking-definition objects: public by nature. */
export function isTlpDefinition(obj: Record<string, unknown>): boolean {
  return obj.type === 'marking-definition' && typeof obj.id === 'string' && TLP_MARKINGS.has(obj.id);
}

/**
 * The object's TLP level from its markings ({ level: undefined } when it carries none), or the
 * problem when a marking property is malformed (then nothing is shared: fail closed).
 */
export function markedTlp(obj: Record<string, unknown>): { level: TlpLevel | undefined } | { error: string } {
  let level: TlpLevel | undefined;
  const take = (ref: unknown) => {
    const m = typeof ref === 'string' ? TLP_MARKINGS.get(ref) : undefined;
    if (m) level = level ? stricter(level, m.level) : m.level;
  };
  const refs = obj.object_marking_refs;
  if (refs !== undefined) {
    if (!Array.isArray(refs) || !refs.every((r) => typeof r === 'string'))
      return { error: 'object_marking_refs must be a list of marking-definition ids' };
    refs.forEach(take);
  }
  const gm = obj.granular_markings;
  if (gm !== undefined) {
    if (!Array.isArray(gm)) return { error: 'granular_markings must be a list' };
    for (const g of gm) {
      if (typeof g !== 'object' || g === null || Array.isArray(g))
        return { error: 'granular_markings entries must be objects' };
      const ref = (g as Record<string, unknown>).marking_ref;
      if (ref !== undefined && typeof ref !== 'string')
        return { error: 'granular_markings marking_ref must be a marking-definition id' };
      take(ref);
    }
  }
  return { level };
}
