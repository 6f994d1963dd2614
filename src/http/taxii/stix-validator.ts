/**
 * The STIX core's validator in the shape the TAXII ingest path wants: a verdict per object with the
 * head the store indexes, or every error in one message (what a status failure shows).
 */
import { validateObject } from '../../stix/index.js';
import type { StixValidator } from './ingest.js';

export const stixValidator: StixValidator = (obj) => {
  const r = validateObject(obj);
  if (!r.ok) {
    return {
      ok: false,
      message: r.errors.map((e) => `${e.message} [${e.rule}]`).join('; '),
    };
  }
  const o = r.object;
  return {
    ok: true,
    head: {
      id: o.id,
      type: o.type,
      ...(o.spec_version ? { spec_version: o.spec_version } : {}),
      ...(o.created ? { created: o.created } : {}),
      ...(o.modified ? { modified: o.modified } : {}),
      ...(o.revoked !== undefined ? { revoked: o.revoked } : {}),
    },
  };
};
