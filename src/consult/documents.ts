/**
 * Documents attached to a consultation: a compliance report (opaque JSON; when it comes as
 * `{ report, sig, key }` its Ed25519 signature is checked) or a STIX report (one `report` object,
 * or a bundle holding at least one, checked by the STIX 2.1 validator).
 */
import { createHash } from 'node:crypto';
import { invalid, ParleyError } from '../core/index.js';
import { canonicalBytes, canonicalJson, fromB64u, signingInput, verify } from '../crypto/index.js';
import { defaultValidator, type StixIssue } from '../stix/index.js';
import { COMPLIANCE_REPORT_CONTEXT, type DocumentKind } from './types.js';

/** Largest document, as canonical JSON: it travels in one envelope (1 MiB, base64 inside). */
export const MAX_DOCUMENT_BYTES = 256 * 1024;

export interface CheckedDocument {
  content: Record<string, unknown>;
  sha256: string;
  /** The key of a signed compliance report, base64url; null otherwise. */
  reportKey: string | null;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const firstIssue = (errors: readonly StixIssue[]) => {
  const e = errors[0];
  return e ? `${e.path ? `${e.path}: ` : ''}${e.message} [${e.rule}]` : 'invalid';
};

function checkStix(content: Record<string, unknown>): void {
  const v = defaultValidator();
  if (content.type === 'bundle') {
    const r = v.validateBundle(content);
    if (!r.ok)
      throw invalid(
        'consult.invalid_stix',
        `STIX bundle: object ${r.errors[0]?.index ?? 0}: ${firstIssue(r.errors)}`,
        {
          field: 'content',
        },
      );
    const objects = Array.isArray(content.objects) ? content.objects : [];
    if (!objects.some((o) => isRecord(o) && o.type === 'report'))
      throw invalid('consult.invalid_stix', 'STIX bundle holds no report object', { field: 'content' });
    return;
  }
  if (content.type !== 'report')
    throw invalid(
      'consult.invalid_stix',
      `a STIX report must be of type report (or a bundle), not ${String(content.type)}`,
      {
        field: 'content',
      },
    );
  const r = v.validate(content);
  if (!r.ok)
    throw invalid('consult.invalid_stix', `STIX report: ${firstIssue(r.errors)}`, { field: 'content' });
}

/**
 * A signed report, in either shape: `{ report, sig, key }` (signature over the report), or a report
 * carrying its own `publicKey` and `sig` (signature over the report without `sig`, as
 * src/compliance signs). Its signature must verify. Returns the key, or null when not signed.
 */
function checkReportSignature(content: Record<string, unknown>): string | null {
  let report: unknown;
  let sig: unknown;
  let key: unknown;
  if ('report' in content && 'key' in content) ({ report, sig, key } = content);
  else if ('publicKey' in content && 'sig' in content) {
    ({ sig, publicKey: key } = content);
    const { sig: _s, ...body } = content;
    report = body;
  } else return null;
  if (!isRecord(report) || typeof sig !== 'string' || typeof key !== 'string')
    throw invalid('consult.invalid', 'a signed compliance report needs an object, a sig and a key as text', {
      field: 'content',
    });
  const pub = fromB64u(key, 32);
  const s = fromB64u(sig, 64);
  if (!pub || !s || !verify(pub, signingInput(COMPLIANCE_REPORT_CONTEXT, canonicalBytes(report)), s))
    throw new ParleyError(
      'consult.bad_report_signature',
      `the compliance report's signature does not verify with its key (context ${COMPLIANCE_REPORT_CONTEXT})`,
      400,
      { field: 'content.sig' },
    );
  return key;
}

/** Checks a document of `kind`; throws consult.* naming the problem before anything is written. */
export function checkAttachment(kind: DocumentKind, content: unknown): CheckedDocument {
  if (!isRecord(content))
    throw invalid('consult.invalid', 'consultation entry: content must be a JSON object', {
      field: 'content',
    });
  let json: string;
  try {
    json = canonicalJson(content);
  } catch {
    throw invalid('consult.invalid', 'consultation entry: content is not plain JSON', { field: 'content' });
  }
  if (Buffer.byteLength(json) > MAX_DOCUMENT_BYTES)
    throw invalid(
      'consult.too_large',
      `a document may be at most ${MAX_DOCUMENT_BYTES} bytes as canonical JSON`,
      {
        field: 'content',
      },
    );
  let reportKey: string | null = null;
  if (kind === 'stix-report') checkStix(content);
  else reportKey = checkReportSignature(content);
  return { content, sha256: createHash('sha256').update(json).digest('hex'), reportKey };
}

/** The document kind a JSON file most likely is: STIX when it is a report or a bundle. */
export const guessKind = (content: unknown): DocumentKind =>
  isRecord(content) && (content.type === 'report' || content.type === 'bundle')
    ? 'stix-report'
    : 'compliance-report';
