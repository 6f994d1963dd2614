/**
 * Media types of TAXII 2.1 (section 1.6.8): requests and responses are
 * `application/taxii+json;version=2.1`; STIX content is named `application/stix+json;version=2.1`
 * in collections' media_types and manifests. These strings are sent byte for byte: the reference
 * client compares the `;`-separated tokens of Content-Type with those of its Accept.
 */

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

interface MediaRange {
  essence: string;
  params: Map<string, string>;
  q: number;
}

function parseRange(raw: string): MediaRange | undefined {
  const parts = raw.split(';');
  const essence = (parts.shift() ?? '').trim().toLowerCase();
  if (!essence.includes('/')) return undefined;
  const params = new Map<string, string>();
  let q = 1;
  for (const p of parts) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    const k = p.slice(0, eq).trim().toLowerCase();
    const v = p
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    if (k === 'q') q = Number(v);
    else params.set(k, v);
  }
  return { essence, params, q: Number.isNaN(q) ? 1 : q };
}

/** The TAXII versions this server speaks, matched against a `version` parameter. */
const VERSIONS = ['2.1'];

/**
 * True when the Accept header admits `application/taxii+json;version=2.1`. No Accept means
 * anything (RFC 9110 section 12.5.1); `application/taxii+json` without a version means the latest
 * (TAXII 2.1 section 1.6.8.1).
 */
export function acceptsTaxii(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  for (const raw of accept.split(',')) {
    const r = parseRange(raw);
    if (!r || r.q <= 0) continue;
    if (r.essence === '*/*' || r.essence === 'application/*') return true;
    if (r.essence === 'application/taxii+json') {
      const v = r.params.get('version');
      if (v === undefined || VERSIONS.includes(v)) return true;
    }
  }
  return false;
}

/**
 * True for a request body we can read: `application/taxii+json` (TAXII 2.1 section 5.4) or
 * `application/stix+json`, version 2.1 or unstated.
 */
export function isTaxiiContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const r = parseRange(contentType);
  if (!r) return false;
  if (r.essence !== 'application/taxii+json' && r.essence !== 'application/stix+json') return false;
  const v = r.params.get('version');
  return v === undefined || VERSIONS.includes(v);
}
