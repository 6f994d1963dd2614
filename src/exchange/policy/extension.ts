/**
 * parley's sharing extension: a STIX 2.1 property extension (section 7.3) that carries, on the
 * object itself, who its producer names as recipients and its PAP label:
 *
 *   extensions: { "extension-definition--7e062afd-cc00-4045-b314-b41e6a5b4717": {
 *     extension_type: "property-extension", share_with: ["node-b", "node-c"], pap: "PAP:AMBER" } }
 *
 * Recipients are node ids, not party names: node ids are what an agreement lists as parties
 * (`parties[].node`), what grants and the sync engine speak, unique and checked (NODE_ID); party
 * names are free text that two agreements may spell differently. See docs/SHARING.md.
 */
import { invalid } from '../../core/index.js';
import { NODE_ID } from '../../crypto/index.js';

export const SHARING_EXTENSION_ID = 'extension-definition--7e062afd-cc00-4045-b314-b41e6a5b4717';

/** Permissible Actions Protocol labels, least to most restrictive; carried and shown, never enforced. */
export const PAP_LABELS = ['PAP:CLEAR', 'PAP:GREEN', 'PAP:AMBER', 'PAP:RED'] as const;
export type PapLabel = (typeof PAP_LABELS)[number];

export interface SharingExtension {
  /** Node ids the producer names (the recipients of AMBER, AMBER+STRICT and RED). */
  shareWith: string[] | undefined;
  pap: PapLabel | undefined;
}

const MAX_RECIPIENTS = 64;
const KEYS = new Set(['extension_type', 'share_with', 'pap']);

/**
 * Reads the extension: undefined when the object has none, a string naming the problem when it is
 * malformed (the policy then refuses to share the object at all: fail closed).
 */
export function readSharing(obj: Record<string, unknown>): SharingExtension | undefined | string {
  const exts = obj.extensions;
  if (exts === undefined) return undefined;
  if (typeof exts !== 'object' || exts === null || Array.isArray(exts)) return 'extensions is not an object';
  const ext = (exts as Record<string, unknown>)[SHARING_EXTENSION_ID];
  if (ext === undefined) return undefined;
  const at = `extensions["${SHARING_EXTENSION_ID}"]`;
  if (typeof ext !== 'object' || ext === null || Array.isArray(ext)) return `${at} is not an object`;
  const e = ext as Record<string, unknown>;
  if (e.extension_type !== 'property-extension') return `${at}.extension_type must be "property-extension"`;
  const extra = Object.keys(e).find((k) => !KEYS.has(k));
  if (extra) return `${at} has the unknown property ${extra}`;
  let shareWith: string[] | undefined;
  if (e.share_with !== undefined) {
    const sw = e.share_with;
    if (!Array.isArray(sw) || sw.length > MAX_RECIPIENTS)
      return `${at}.share_with must be a list of at most ${MAX_RECIPIENTS} node ids`;
    for (const n of sw)
      if (typeof n !== 'string' || !NODE_ID.test(n))
        return `${at}.share_with has ${JSON.stringify(n)}, not a node id`;
    if (new Set(sw).size !== sw.length) return `${at}.share_with lists a node twice`;
    shareWith = sw as string[];
  }
  if (e.pap !== undefined && !(PAP_LABELS as readonly unknown[]).includes(e.pap))
    return `${at}.pap must be one of ${PAP_LABELS.join(', ')}`;
  return { shareWith, pap: e.pap as PapLabel | undefined };
}

/** The per-object recipient list (node ids); undefined when absent or malformed. */
export function recipientsOf(obj: Record<string, unknown>): string[] | undefined {
  const s = readSharing(obj);
  return typeof s === 'object' ? s.shareWith : undefined;
}

/** The object's PAP label, e.g. "PAP:AMBER"; undefined when absent or malformed. */
export function papOf(obj: Record<string, unknown>): PapLabel | undefined {
  const s = readSharing(obj);
  return typeof s === 'object' ? s.pap : undefined;
}

/** Throws policy.invalid_extension naming the field when the sharing extension is malformed (for ingest). */
export function checkSharingExtension(obj: Record<string, unknown>): void {
  const s = readSharing(obj);
  if (typeof s === 'string')
    throw invalid('policy.invalid_extension', `sharing extension: ${s}`, { field: SHARING_EXTENSION_ID });
}

/** A copy of `obj` carrying the sharing extension, e.g. withSharing(indicator, { shareWith: ['node-b'] }). */
export function withSharing(
  obj: Record<string, unknown>,
  s: { shareWith?: string[]; pap?: PapLabel },
): Record<string, unknown> {
  const ext: Record<string, unknown> = { extension_type: 'property-extension' };
  if (s.shareWith) ext.share_with = [...s.shareWith];
  if (s.pap) ext.pap = s.pap;
  const out = {
    ...obj,
    extensions: { ...((obj.extensions as Record<string, unknown>) ?? {}), [SHARING_EXTENSION_ID]: ext },
  };
  checkSharingExtension(out);
  return out;
}
