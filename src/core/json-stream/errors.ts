/**
 * The `input.*` errors of the streaming reader. Each message names the byte offset (and the element
 * index when inside one) and why, so a duty officer can find the fault in a 100 MB single-line file.
 */
import { invalid, type ParleyError } from '../errors.js';

/** Where a fault lies: a byte offset, and the element it is inside, if any. */
export interface InputPlace {
  offset: number;
  index?: number | undefined;
}

const where = (p: InputPlace): string =>
  p.index === undefined ? `at byte ${p.offset}` : `in element ${p.index}, at byte ${p.offset}`;

/** `input.<code>` with a message "<why> (<where>)" and the place in `details`. */
export function inputError(code: string, why: string, place: InputPlace): ParleyError {
  const details: Record<string, unknown> = { offset: place.offset };
  if (place.index !== undefined) details.index = place.index;
  return invalid(`input.${code}`, `${why} (${where(place)})`, details);
}

/** How a byte is shown in a message: `'x'` when printable ASCII, else `0xNN`. */
export function showByte(c: number): string {
  return c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `0x${c.toString(16).padStart(2, '0')}`;
}
