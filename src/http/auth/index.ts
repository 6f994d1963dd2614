/**
 * Authentication of HTTP callers: users (Basic, or a session cookie from signing in) and API tokens
 * (Bearer), hashed at rest; the roles' permissions on the JSON API.
 */
export { Authenticator, CHALLENGES } from './authenticate.js';
export {
  forbidden,
  KNOWN_ROLES,
  may,
  PERMISSION_NAMES,
  PERMISSIONS,
  type Permission,
  permissionsOf,
} from './permissions.js';
export { ADMIN_ROLE, checkRole, type Principal, Principals, type TokenInfo } from './principals.js';
export { type Caller, CSRF_HEADER, cookieValue, RequestAuth, unauthorized } from './request.js';
export {
  generatePassword,
  hashPassword,
  hashToken,
  newToken,
  TOKEN_PREFIX,
  verifyPassword,
} from './secrets.js';
export {
  badCredentials,
  SESSION_COOKIE,
  SESSION_IDLE_MS,
  SESSION_MAX_MS,
  type SessionInfo,
  Sessions,
} from './sessions.js';
export { FAILS_PER_USER, SignInGuard, WINDOW_MS } from './sign-in-guard.js';
