/** A point of contact as published (OSCE CBM 8; the UN POC directory): its fields and their checks. */
import { invalid } from '../core/index.js';

export const POC_ROLES = ['policy', 'technical', 'law-enforcement'] as const;
export type PocRole = (typeof POC_ROLES)[number];
export const POC_KINDS = ['desk', 'person'] as const;

export interface PointOfContact {
  id: string;
  role: PocRole;
  kind: (typeof POC_KINDS)[number];
  name: string;
  /** How to reach it, "scheme:address", e.g. "email:soc@cert-a.example", "phone:+15550100", "parley:hotline". */
  channels: string[];
  languages: string[];
  /** IANA time zone, e.g. "Europe/Vienna". */
  timezone: string;
  /** "24/7" or opening hours, e.g. "Mo-Fr 08:00-18:00". */
  hours: string;
  /** YYYY-MM-DD: when the party last confirmed the entry is current. */
  confirmed_on: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A point of contact's id: the one rule the hotline and its API use too. */
export const POC_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const ID = POC_ID;
const LANG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const CHANNEL = /^[a-z][a-z0-9+.-]*:\S{1,300}$/;

const bad = (field: string, why: string) =>
  invalid('directory.invalid_poc', `point of contact: ${field} ${why}`, { field });

/** Validates a POC (from the CLI or from a peer); throws directory.invalid_poc naming the field. */
export function checkPoc(value: unknown): PointOfContact {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw bad('entry', 'is not an object');
  const p = value as Record<string, unknown>;
  const keys = 'channels,confirmed_on,hours,id,kind,languages,name,role,timezone';
  if (Object.keys(p).sort().join(',') !== keys) throw bad('entry', `must have exactly ${keys}`);
  if (typeof p.id !== 'string' || !ID.test(p.id)) throw bad('id', `must match ${ID.source}`);
  if (!(POC_ROLES as readonly unknown[]).includes(p.role))
    throw bad('role', `must be one of ${POC_ROLES.join(', ')}`);
  if (!(POC_KINDS as readonly unknown[]).includes(p.kind)) throw bad('kind', 'must be desk or person');
  if (typeof p.name !== 'string' || p.name.trim().length === 0 || p.name.length > 200)
    throw bad('name', 'must be 1 to 200 characters');
  if (
    !Array.isArray(p.channels) ||
    p.channels.length === 0 ||
    !p.channels.every((c) => typeof c === 'string' && CHANNEL.test(c))
  )
    throw bad('channels', 'must list at least one "scheme:address", e.g. email:soc@example.org');
  if (
    !Array.isArray(p.languages) ||
    p.languages.length === 0 ||
    !p.languages.every((l) => typeof l === 'string' && LANG.test(l))
  )
    throw bad('languages', 'must list BCP 47 tags such as en, ru, zh');
  if (typeof p.timezone !== 'string' || !validZone(p.timezone))
    throw bad('timezone', `"${p.timezone}" is not an IANA time zone`);
  if (typeof p.hours !== 'string' || p.hours.length === 0 || p.hours.length > 100)
    throw bad('hours', 'must be "24/7" or opening hours');
  if (
    typeof p.confirmed_on !== 'string' ||
    !DATE.test(p.confirmed_on) ||
    Number.isNaN(Date.parse(p.confirmed_on))
  )
    throw bad('confirmed_on', 'must be a date YYYY-MM-DD');
  return p as unknown as PointOfContact;
}

/** Zones already found valid: building an Intl.DateTimeFormat costs more than a directory read. */
const knownZones = new Set<string>();

function validZone(tz: string): boolean {
  if (knownZones.has(tz)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    return false;
  }
  if (knownZones.size < 1000) knownZones.add(tz);
  return true;
}
