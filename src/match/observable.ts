/**
 * What a looked-up value is: a bare value is typed by its form (address, hash by length, URL,
 * e-mail, registry key, domain, else a file or mutex name); `type:value` names the type. The
 * result is the SCOs that stand for it, which both the index probes and the evaluator reads.
 */
import { invalid } from '../core/index.js';
import type { Sco } from '../stix/pattern/index.js';
import { keyHash } from './exact-table.js';
import { fieldOf } from './indicator-entry.js';
import {
  HASH_NAMES,
  hashKey,
  normaliseAddress,
  normaliseDomain,
  normaliseEmail,
  normaliseHash,
  normaliseUrl,
  normaliseValue,
} from './normalise.js';
import { type Block, parseBlock, v4Text } from './prefix-index.js';

export type ObservableKind =
  | 'ipv4-addr'
  | 'ipv6-addr'
  | 'domain-name'
  | 'url'
  | 'email-addr'
  | 'hash'
  | 'file'
  | 'mutex'
  | 'windows-registry-key'
  | 'directory'
  | 'generic';

export interface Observable {
  /** As given. */
  input: string;
  kind: ObservableKind;
  /** The normalised value. */
  value: string;
  /** For a hash: the STIX algorithm name, e.g. 'SHA-256'. */
  algorithm?: string;
  /** The SCOs a lookup matches patterns against (one, or two for IPv4-mapped IPv6 and generic). */
  scos: Sco[];
  /** The index keys the SCOs reach, computed once. */
  probes: Probe[];
}

/**
 * One exact-value key (`field` = type NUL property), its hash in the index's table (computed once
 * here, so that a lookup hashes nothing) and, for addresses, the block to contain.
 */
export interface Probe {
  field: string;
  value: string;
  hash: number;
  block: Block | undefined;
}

type Raw = Omit<Observable, 'probes'>;

const HASH_BY_LENGTH = new Map([
  [32, 'MD5'],
  [40, 'SHA-1'],
  [64, 'SHA-256'],
  [128, 'SHA-512'],
]);

const EXPLICIT: Record<string, ObservableKind> = {
  'ipv4-addr': 'ipv4-addr',
  'ipv6-addr': 'ipv6-addr',
  ip: 'ipv4-addr',
  'domain-name': 'domain-name',
  domain: 'domain-name',
  url: 'url',
  'email-addr': 'email-addr',
  email: 'email-addr',
  file: 'file',
  'file-name': 'file',
  mutex: 'mutex',
  'windows-registry-key': 'windows-registry-key',
  registry: 'windows-registry-key',
  directory: 'directory',
};

/** Extensions that make `name.ext` a file name rather than a domain (none is a delegated TLD). */
const FILE_EXTENSIONS = new Set(
  'exe dll sys scr bat cmd ps1 vbs vbe js jse hta lnk msi msp jar apk iso img vhd doc docx docm xls xlsx xlsm ppt pptx pdf rtf txt log tmp dat bin elf so dylib py sh pl php asp aspx jsp war rar 7z gz tgz bz2 xz cab chm ocx cpl'.split(
    ' ',
  ),
);

const URL_RE = /^[a-z][a-z0-9+.-]*:\/\//i;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const REGISTRY_RE = /^(?:HKEY_[A-Z_]+|HKLM|HKCU|HKCR|HKU|HKCC)\\/i;
const DOMAIN_RE =
  /^(?=.{1,253}\.?$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})\.?$/i;
const HEX_RE = /^[0-9a-fA-F]+$/;

function address(input: string, value: string, explicit?: ObservableKind): Raw | null {
  const block = parseBlock(value);
  if (!block) {
    if (!explicit) return null;
    return { input, kind: explicit, value, scos: [{ type: explicit, value }] };
  }
  const norm = normaliseAddress(value);
  if (block.family === 6)
    return { input, kind: 'ipv6-addr', value: norm, scos: [{ type: 'ipv6-addr', value: norm }] };
  if (!value.includes(':'))
    return { input, kind: 'ipv4-addr', value: norm, scos: [{ type: 'ipv4-addr', value: norm }] };
  // IPv4-mapped IPv6 (RFC 4291 section 2.5.5.2) is the IPv4 host: look it up as both.
  const v4 = v4Text(block.addr as number, block.prefix);
  return {
    input,
    kind: 'ipv6-addr',
    value: norm,
    scos: [
      { type: 'ipv6-addr', value: norm },
      { type: 'ipv4-addr', value: v4 },
    ],
  };
}

function hash(input: string, algorithm: string, value: string): Raw {
  const v = normaliseHash(value);
  return { input, kind: 'hash', value: v, algorithm, scos: [{ type: 'file', hashes: { [algorithm]: v } }] };
}

function typed(input: string, kind: ObservableKind, value: string): Raw {
  switch (kind) {
    case 'ipv4-addr':
    case 'ipv6-addr':
      return address(input, value, kind)!;
    case 'domain-name': {
      const v = normaliseDomain(value);
      return { input, kind, value: v, scos: [{ type: kind, value: v }] };
    }
    case 'url': {
      const v = normaliseUrl(value);
      return { input, kind, value: v, scos: [{ type: kind, value: v }] };
    }
    case 'email-addr': {
      const v = normaliseEmail(value);
      return { input, kind, value: v, scos: [{ type: kind, value: v }] };
    }
    case 'file':
    case 'mutex':
      return { input, kind, value, scos: [{ type: kind, name: value }] };
    case 'windows-registry-key': {
      const v = value.toLowerCase();
      return { input, kind, value: v, scos: [{ type: kind, key: v }] };
    }
    case 'directory':
      return { input, kind, value, scos: [{ type: kind, path: value }] };
    default:
      return generic(input, value);
  }
}

function generic(input: string, value: string): Raw {
  return {
    input,
    kind: 'generic',
    value,
    scos: [
      { type: 'file', name: value },
      { type: 'mutex', name: value },
    ],
  };
}

/**
 * Types a looked-up value.
 * @example parseObservable('198.51.100.7').kind // 'ipv4-addr'
 * @example parseObservable('sha256:AEC0...').algorithm // 'SHA-256'
 */
export function parseObservable(input: string): Observable {
  const raw = classify(input);
  return { ...raw, probes: raw.scos.flatMap(probesOf) };
}

function classify(input: string): Raw {
  const text = input.trim();
  if (text === '') throw invalid('match.empty_value', 'a looked-up value is empty');
  const colon = text.indexOf(':');
  if (colon > 0) {
    const prefix = text.slice(0, colon).toLowerCase();
    const rest = text.slice(colon + 1);
    const kind = EXPLICIT[prefix];
    // `http://...` is a URL, not type `http`: only known type names select a type.
    if (kind && rest !== '') return typed(text, kind, rest);
    const alg = HASH_NAMES.get(hashKey(prefix));
    if (alg && rest !== '') return hash(text, alg, rest);
  }
  const addr = address(text, text);
  if (addr) return addr;
  if (HEX_RE.test(text)) {
    const alg = HASH_BY_LENGTH.get(text.length);
    if (alg) return hash(text, alg, text);
  }
  if (URL_RE.test(text)) return typed(text, 'url', text);
  if (EMAIL_RE.test(text)) return typed(text, 'email-addr', text);
  if (REGISTRY_RE.test(text)) return typed(text, 'windows-registry-key', text);
  if (DOMAIN_RE.test(text)) {
    const last = text.replace(/\.$/, '').split('.').pop()!.toLowerCase();
    if (!FILE_EXTENSIONS.has(last)) return typed(text, 'domain-name', text);
  }
  return generic(text, text);
}

// One shape for every probe (block present, perhaps undefined): the lookup loop stays monomorphic.
const probe = (field: string, value: string, block: Block | undefined): Probe => ({
  field,
  value,
  hash: keyHash(field, value),
  block,
});

/** The exact and range keys one SCO probes: every string property, and each hash. */
function probesOf(sco: Sco): Probe[] {
  const out: Probe[] = [];
  for (const [prop, v] of Object.entries(sco)) {
    if (prop === 'type' || prop === 'id') continue;
    if (prop === 'hashes' && v && typeof v === 'object') {
      for (const [alg, h] of Object.entries(v as Record<string, unknown>)) {
        if (typeof h !== 'string') continue;
        const property = `hashes.${hashKey(alg)}`;
        out.push(probe(fieldOf(sco.type, property), normaliseValue(sco.type, property, h), undefined));
      }
    } else if (typeof v === 'string') {
      const block =
        sco.type === 'ipv4-addr' || sco.type === 'ipv6-addr' ? (parseBlock(v) ?? undefined) : undefined;
      out.push(probe(fieldOf(sco.type, prop), normaliseValue(sco.type, prop, v), block));
    }
  }
  return out;
}
