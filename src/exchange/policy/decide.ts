/**
 * decideShare: may this object leave this node for that recipient under that agreement? Pure and
 * fail closed: anything not positively allowed by the object's label, the agreement's default for
 * unmarked objects, or a grant from the object's origin, is refused with a stable code. The rules
 * and their table are in docs/SHARING.md.
 */
import { agreementIdOf } from '../../pact/index.js';
import type { TlpLevel } from '../../stix/index.js';
import { readSharing } from './extension.js';
import { isTlpDefinition, markedTlp, parseTlpLabel } from './label.js';
import type { PermissionGrant, Provenance, ShareDecision, ShareTarget } from './types.js';

type Refusal = { share: false; code: string; reason: string };
const no = (code: string, reason: string): Refusal => ({ share: false, code, reason });

/**
 * What a label allows on one hop; `named` says whom the label admits beyond "every party": the
 * object's own recipient list (origin only), or a grant's shareWith. undefined: allowed.
 */
function labelRefuses(
  level: TlpLevel,
  onward: boolean,
  named: (recipient: string) => boolean,
  t: ShareTarget,
): Refusal | undefined {
  if (level === 'clear' || level === 'green') return undefined;
  const label = `TLP:${level.toUpperCase()}`;
  if (level === 'red' && t.purpose !== 'hotline')
    return no('policy.red_collection', 'TLP:RED never goes into a collection, only through the hotline');
  if (onward)
    return no(
      'policy.onward_forbidden',
      `${label} received from a peer is passed on only with a grant from its origin naming ${t.recipient}`,
    );
  return named(t.recipient)
    ? undefined
    : no('policy.not_named', `${label} goes only to the recipients named on the object, not ${t.recipient}`);
}

/** The label of the first grant from the origin that lets `obj` go to the recipient, if any. */
function grantedLevel(obj: Record<string, unknown>, prov: Provenance, t: ShareTarget): TlpLevel | undefined {
  if (!Array.isArray(prov.permissions)) return undefined;
  let agreementRef: string | undefined;
  // Computed only when a grant asks: a version-1 document's id is the hash of the whole document.
  const agreementNamed = (g: PermissionGrant) => {
    if (!g.shareWith.some((s) => typeof s === 'string' && s.startsWith('agreement:'))) return false;
    agreementRef = agreementRef ?? `agreement:${agreementIdOf(t.agreement)}`;
    return g.shareWith.includes(agreementRef);
  };
  for (const g of prov.permissions) {
    if (
      g.grantedBy !== prov.origin ||
      !Array.isArray(g.objectRefs) ||
      !g.objectRefs.includes(obj.id as string)
    )
      continue;
    const level = parseTlpLabel(g.tlp);
    if (!level || !Array.isArray(g.shareWith)) continue;
    const named = (r: string) => g.shareWith.includes(r) || agreementNamed(g);
    // The grant speaks for the origin: the hop is judged as if the origin sent it under g.tlp.
    if (named(t.recipient) && !labelRefuses(level, false, named, t)) return level;
  }
  return undefined;
}

/**
 * Whether `obj` may go to `t.recipient`, e.g.
 * decideShare(indicator, { origin: 'node-a', receivedFrom: null, permissions: [] },
 *   { agreement, recipient: 'node-b', self: 'node-a', purpose: 'collection' }).
 */
export function decideShare(obj: Record<string, unknown>, prov: Provenance, t: ShareTarget): ShareDecision {
  if (typeof obj !== 'object' || obj === null || typeof obj.id !== 'string')
    return no('policy.invalid_object', 'the object has no STIX id');
  const parties = t.agreement.parties.map((p) => p.node);
  if (!parties.includes(t.self))
    return no('policy.not_party', `${t.self} (this node) is not a party of the agreement`);
  if (t.recipient === t.self) return no('policy.self', 'an object is not shared with the node that holds it');
  if (!parties.includes(t.recipient))
    return no('policy.not_party', `${t.recipient} is not a party of the agreement`);
  if (t.recipient === prov.origin || t.recipient === prov.receivedFrom)
    return no('policy.origin', `${t.recipient} is the object's origin or the peer it came from`);
  if (isTlpDefinition(obj)) return { share: true, tlp: 'none', basis: 'public-definition', pap: null };

  const ext = readSharing(obj);
  if (typeof ext === 'string') return no('policy.invalid_extension', `sharing extension: ${ext}`);
  const marked = markedTlp(obj);
  if ('error' in marked) return no('policy.invalid_marking', marked.error);
  const pap = ext?.pap ?? null;
  const onward = prov.origin !== t.self;
  const named = (r: string) => ext?.shareWith?.includes(r) ?? false;

  let refusal: Refusal | undefined;
  if (marked.level) {
    refusal = labelRefuses(marked.level, onward, named, t);
    if (!refusal) return { share: true, tlp: marked.level, basis: 'marking', pap };
  } else {
    const def = t.agreement.sharing?.default_tlp ?? null;
    const level = def === null ? undefined : parseTlpLabel(def);
    if (def === null)
      refusal = no('policy.no_marking', 'the object has no TLP marking and the agreement sets no default');
    else if (!level)
      return no(
        'policy.unknown_tlp',
        `the agreement's default_tlp ${JSON.stringify(def)} is not a TLP label`,
      );
    // A default is a term of one agreement: it does not follow the object into another community.
    else if (onward)
      refusal = no(
        'policy.onward_forbidden',
        'an unmarked object is shared under a default by its origin only',
      );
    else {
      refusal = labelRefuses(level, false, named, t);
      if (!refusal) return { share: true, tlp: level, basis: 'default', pap };
    }
  }
  const granted = grantedLevel(obj, prov, t);
  if (granted) return { share: true, tlp: marked.level ?? granted, basis: 'grant', pap };
  return refusal;
}

/** True only for what anyone may see (TLP:CLEAR objects, TLP marking definitions): never GREEN or unmarked. */
export function mayPublish(obj: Record<string, unknown>): boolean {
  if (isTlpDefinition(obj)) return true;
  const marked = markedTlp(obj);
  return typeof readSharing(obj) !== 'string' && 'level' in marked && marked.level === 'clear';
}
