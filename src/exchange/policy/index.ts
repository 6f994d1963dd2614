/**
 * exchange/policy: which STIX object may leave this node for which peer (TLP 2.0, per-object
 * recipients, grants from the origin), pure code with no store and no I/O. The sync engine asks
 * decideShare for every object and peer; docs/SHARING.md has the rules and their table.
 *
 *   const d = decideShare(obj, { origin, receivedFrom, permissions }, { agreement, recipient, self, purpose });
 *   if (d.share) offer(obj); else log(d.code);   // policy.not_named, policy.red_collection, ...
 *   mayPublish(obj)                               // TLP:CLEAR only: never GREEN on a public feed
 */
export { decideShare, mayPublish } from './decide.js';
export {
  checkSharingExtension,
  PAP_LABELS,
  type PapLabel,
  papOf,
  readSharing,
  recipientsOf,
  SHARING_EXTENSION_ID,
  type SharingExtension,
  withSharing,
} from './extension.js';
export { markedTlp, parseTlpLabel } from './label.js';
export type { PermissionGrant, Provenance, ShareBasis, ShareDecision, ShareTarget } from './types.js';
