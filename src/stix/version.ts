/**
 * STIX versioning (section 3.6): a version of an object is (id, modified); `created` never changes
 * between versions; a revoked object gets no later version; marking definitions (no `modified`)
 * never change at all (section 7.2). SCOs carry neither timestamp: their version is ''.
 * These are pure checks for the ingest layer; the store enforces idempotence itself.
 */
import canonicalize from 'canonicalize';
import type { StixHead } from '../store/stix-store.js';
import { issue, type StixIssue } from './issues.js';
import { compareTimestamps } from './timestamp.js';

type Versioned = { id?: unknown; type?: unknown; created?: unknown; modified?: unknown; revoked?: unknown };

/** The version timestamp: `modified`, else `created` (marking definitions), else '' (SCOs). */
export function versionOf(o: Versioned): string {
  if (typeof o.modified === 'string') return o.modified;
  if (typeof o.created === 'string') return o.created;
  return '';
}

/** A string naming one version, e.g. `indicator--...@2024-01-01T00:00:00.000Z`. */
export const versionKey = (o: Versioned): string => `${String(o.id)}@${versionOf(o)}`;

/** Orders versions of one object by time (negative when `a` is older); '' is oldest. */
export function compareVersions(a: Versioned, b: Versioned): number {
  const va = versionOf(a);
  const vb = versionOf(b);
  if (va === vb) return 0;
  if (va === '') return -1;
  if (vb === '') return 1;
  return compareTimestamps(va, vb);
}

/** The properties the store indexes (src/store/stix-store.ts `StixHead`). */
export function toStoreHead(o: Versioned & { spec_version?: unknown }): StixHead {
  return {
    id: String(o.id),
    type: String(o.type),
    ...(typeof o.spec_version === 'string' ? { spec_version: o.spec_version } : {}),
    ...(typeof o.created === 'string' ? { created: o.created } : {}),
    ...(typeof o.modified === 'string' ? { modified: o.modified } : {}),
    ...(typeof o.revoked === 'boolean' ? { revoked: o.revoked } : {}),
  };
}

/** Whether two objects have the same content (RFC 8785 canonical forms are equal). */
export const sameContent = (a: unknown, b: unknown): boolean => canonicalize(a) === canonicalize(b);

/**
 * Checks that `next` may follow `latest`, the newest version already held of the same id.
 * Returns the broken rule, or undefined when `next` is acceptable (including when it is the very
 * same version again: idempotence is the store's business).
 *   stix.marking_immutable  a marking definition whose content differs
 *   stix.version_conflict   same (id, modified) with different content (section 3.6.1)
 *   stix.revoked_is_final   a newer version of a revoked object (section 3.6.2)
 *   stix.created_changed    `created` differs between versions (section 3.2)
 *   stix.type_changed       the same id with another type
 */
export function checkSuccessor(
  latest: Record<string, unknown>,
  next: Record<string, unknown>,
): StixIssue | undefined {
  const id = String(next.id);
  if (latest.id !== next.id)
    return issue('stix.version_conflict', '/id', `${id} is not ${String(latest.id)}`, id);
  if (latest.type !== next.type) {
    return issue(
      'stix.type_changed',
      '/type',
      `${id} was a ${String(latest.type)}, now a ${String(next.type)}`,
      id,
    );
  }
  if (next.type === 'marking-definition') {
    return sameContent(latest, next)
      ? undefined
      : issue('stix.marking_immutable', '', `marking definition ${id} cannot change (section 7.2)`, id);
  }
  const order = compareVersions(latest, next);
  if (order === 0) {
    return sameContent(latest, next)
      ? undefined
      : issue('stix.version_conflict', '/modified', `${versionKey(next)} exists with different content`, id);
  }
  if (order < 0 && latest.revoked === true) {
    return issue('stix.revoked_is_final', '/modified', `${id} is revoked; no later version may follow`, id);
  }
  if (latest.created !== undefined && next.created !== latest.created) {
    return issue('stix.created_changed', '/created', `${id}: created differs between versions`, id);
  }
  return undefined;
}
