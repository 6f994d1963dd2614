/**
 * The hotline's message model (schema parley/hotline/1): the check every message passes at the
 * sender and the receiver, composing a message from a caller's few fields, its JSON Schema, and
 * its languages. Pure code: no storage, no network. See docs/HOTLINE.md.
 */
export { checkMessage } from './check.js';
export { type ComposeContext, type ComposeInput, composeMessage } from './compose.js';
export { HOTLINE_CHANNEL_NOT_ENABLED, HOTLINE_INVALID, HOTLINE_UNKNOWN_KIND } from './errors.js';
export { HotlineMessageSchema, LIMITS } from './fields.js';
export * from './i18n/index.js';
export { KIND_RULES, type KindRule, languageAllowed } from './rules.js';
