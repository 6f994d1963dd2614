import type { AgreementDocument } from '../../pact/index.js';
import type { TlpLevel } from '../../stix/index.js';
import type { PapLabel } from './extension.js';

export interface ShareTarget {
  /** In force: the caller checks the state. */
  agreement: AgreementDocument;
  /** Node id, a party of the agreement. */
  recipient: string;
  /** This node's id. */
  self: string;
  /** RED moves only via 'hotline', to named recipients. */
  purpose: 'collection' | 'hotline';
}

export interface Provenance {
  /** The node where the object entered the network (self for local objects). */
  origin: string;
  /** The peer this node got it from, null for local objects. */
  receivedFrom: string | null;
  /** Grants this node holds, signature already checked by the caller; only the origin's count. */
  permissions: PermissionGrant[];
}

/** A verified hotline permission-grant (granted: true), widening who may receive objects. */
export interface PermissionGrant {
  objectRefs: string[];
  /** Node ids, or 'agreement:<agreement id>' for every party of that agreement. */
  shareWith: string[];
  /** The label the objects may be shared under, "TLP:AMBER" etc. (TLP:RED: through the hotline only). */
  tlp: string;
  /** The origin node; a grant by anyone else is ignored. */
  grantedBy: string;
}

/** What let the object go: its own marking, the agreement's default, an origin's grant, or its being a TLP definition. */
export type ShareBasis = 'marking' | 'default' | 'grant' | 'public-definition';

export type ShareDecision =
  | {
      share: true;
      /** The label the recipient holds it under ('none': a TLP marking definition, public). */
      tlp: TlpLevel | 'none';
      basis: ShareBasis;
      /** The object's PAP label, carried and shown. */
      pap: PapLabel | null;
    }
  | { share: false; code: string; reason: string };
