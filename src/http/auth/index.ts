/** Authentication of HTTP callers: users (Basic) and API tokens (Bearer), hashed at rest. */
export { Authenticator, CHALLENGES } from './authenticate.js';
export { ADMIN_ROLE, checkRole, type Principal, Principals, type TokenInfo } from './principals.js';
export { hashPassword, hashToken, newToken, TOKEN_PREFIX, verifyPassword } from './secrets.js';
