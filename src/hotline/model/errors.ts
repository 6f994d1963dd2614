/** The hotline model's refusals: stable codes, messages that name the field and the problem. */
import { invalid, type ParleyError } from '../../core/index.js';

export const HOTLINE_INVALID = 'hotline.invalid_message';
export const HOTLINE_UNKNOWN_KIND = 'hotline.unknown_kind';
export const HOTLINE_CHANNEL_NOT_ENABLED = 'hotline.channel_not_enabled';

/** "hotline message: <field> <why>", status 400, details.field = field. */
export const refuse = (
  field: string,
  why: string,
  code: string = HOTLINE_INVALID,
  extra: Record<string, unknown> = {},
): ParleyError => invalid(code, `hotline message: ${field} ${why}`, { field, ...extra });

/** A value quoted in an error message, cut short so a 20,000-character field cannot flood a log. */
export const quote = (v: unknown): string => {
  const s = typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
};
