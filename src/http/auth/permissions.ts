/**
 * What each role may do on the node's JSON API (docs/WEB-API.md "Roles"). `admin` may do everything.
 * The hotline's own table (src/http/api/hotline/guard.ts) says the same for `hotline.*` and `pings`;
 * a test keeps the two in step. The session answer carries `permissionsOf(role)` so the browser app
 * offers only what the role may do.
 */
import { ParleyError } from '../../core/index.js';
import { ADMIN_ROLE } from './principals.js';

export const PERMISSIONS = {
  /** dashboard, agreements, directory, peers and ledger, read only */
  overview: ['officer', 'hotline-reader', 'directory-manager', 'analyst', 'auditor'],
  /** propose and sign agreements */
  'agreements.write': [],
  /** add and confirm points of contact, publish the directory */
  'directory.write': ['directory-manager'],
  'hotline.read': ['officer', 'hotline-reader'],
  'hotline.write': ['officer'],
  pings: ['directory-manager'],
  'intel.read': ['analyst', 'officer', 'reader'],
  'intel.write': ['analyst'],
  'ledger.verify': ['auditor', 'officer'],
  'compliance.read': ['auditor', 'officer'],
} as const satisfies Record<string, readonly string[]>;

export type Permission = keyof typeof PERMISSIONS;

export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as Permission[];

/** Every role name the node knows of, admin first. */
export const KNOWN_ROLES: readonly string[] = [
  ADMIN_ROLE,
  ...new Set(Object.values(PERMISSIONS).flat() as string[]),
].sort((a, b) => (a === ADMIN_ROLE ? -1 : b === ADMIN_ROLE ? 1 : a.localeCompare(b)));

export const may = (role: string, p: Permission): boolean =>
  role === ADMIN_ROLE || (PERMISSIONS[p] as readonly string[]).includes(role);

export function permissionsOf(role: string): Record<Permission, boolean> {
  return Object.fromEntries(PERMISSION_NAMES.map((p) => [p, may(role, p)])) as Record<Permission, boolean>;
}

/** The 403 for a role that may not: names the role and the roles that may. */
export function forbidden(role: string, p: Permission): ParleyError {
  const allowed = [...PERMISSIONS[p], ADMIN_ROLE];
  return new ParleyError(
    'auth.forbidden',
    `role "${role}" may not ${p} (roles allowed: ${allowed.join(', ')})`,
    403,
    { role, allowed },
  );
}
