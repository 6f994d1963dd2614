/**
 * The one error type of parley. Every failure that reaches an edge (CLI, HTTP, peer protocol) is a
 * ParleyError with a stable code; the edge turns it into an exit status or an HTTP response.
 * Codes are part of the public contract: never rename one, add a new one instead.
 */
export type ErrorDetails = Record<string, unknown>;

export class ParleyError extends Error {
  override readonly name = 'ParleyError';
  constructor(
    /** Stable, dotted, lower-case code, e.g. `stix.invalid`, `envelope.bad_signature`. */
    readonly code: string,
    message: string,
    /** Suggested HTTP status at an HTTP edge. */
    readonly status = 400,
    readonly details: ErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  toJSON(): { code: string; message: string; details: ErrorDetails } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export const isParleyError = (e: unknown): e is ParleyError => e instanceof ParleyError;

/** Input that is wrong: names the field and the rule. */
export const invalid = (code: string, message: string, details: ErrorDetails = {}) =>
  new ParleyError(code, message, 400, details);

export const notFound = (code: string, message: string, details: ErrorDetails = {}) =>
  new ParleyError(code, message, 404, details);

export const conflict = (code: string, message: string, details: ErrorDetails = {}) =>
  new ParleyError(code, message, 409, details);

/** A bug or an unreachable dependency; its message is never shown to a remote caller. */
export const internal = (message: string, cause?: unknown) =>
  new ParleyError('internal', message, 500, {}, { cause });
