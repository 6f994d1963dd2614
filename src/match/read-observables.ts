/**
 * The values in a log handed to `parley lookup --file`: one observable per line (blank lines and
 * `#` comments skipped), or a STIX bundle whose SCOs (top-level, or inside observed-data `objects`,
 * the STIX 2.0 form) become `type:value` lookups.
 */
import { invalid } from '../core/index.js';

const VALUE_TYPES = new Set(['ipv4-addr', 'ipv6-addr', 'domain-name', 'url', 'email-addr']);

function fromSco(sco: Record<string, unknown>, out: string[]): void {
  const t = sco.type;
  if (typeof t !== 'string') return;
  if (VALUE_TYPES.has(t) && typeof sco.value === 'string') out.push(`${t}:${sco.value}`);
  if (t === 'file') {
    if (sco.hashes && typeof sco.hashes === 'object') {
      for (const [alg, h] of Object.entries(sco.hashes as Record<string, unknown>))
        if (typeof h === 'string') out.push(`${alg}:${h}`);
    }
    if (typeof sco.name === 'string') out.push(`file:${sco.name}`);
  }
  if (t === 'mutex' && typeof sco.name === 'string') out.push(`mutex:${sco.name}`);
  if (t === 'windows-registry-key' && typeof sco.key === 'string')
    out.push(`windows-registry-key:${sco.key}`);
  if (t === 'directory' && typeof sco.path === 'string') out.push(`directory:${sco.path}`);
}

/** The lookup values in `text` (a log file's content). */
export function readObservables(text: string): string[] {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{')) {
    return text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
  }
  let bundle: { type?: unknown; objects?: unknown };
  try {
    bundle = JSON.parse(trimmed) as typeof bundle;
  } catch (e) {
    throw invalid('match.bad_input', `the input starts with "{" but is not JSON: ${(e as Error).message}`);
  }
  if (bundle.type !== 'bundle' || !Array.isArray(bundle.objects)) {
    throw invalid('match.bad_input', 'a JSON input must be a STIX bundle with an "objects" array');
  }
  const out: string[] = [];
  for (const o of bundle.objects as Record<string, unknown>[]) {
    if (!o || typeof o !== 'object') continue;
    if (o.type === 'observed-data' && o.objects && typeof o.objects === 'object') {
      for (const sco of Object.values(o.objects as Record<string, Record<string, unknown>>))
        fromSco(sco, out);
    } else fromSco(o, out);
  }
  return [...new Set(out)];
}
