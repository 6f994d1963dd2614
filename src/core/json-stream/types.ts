/** What the streaming STIX reader yields and reports. */

/** One element of the `objects` array (or of a top-level array), decoded and parsed once. */
export interface StixElement {
  /** Position in the array, from 0. */
  index: number;
  /** Byte offset of the element's first byte (`{`) in the input. */
  offset: number;
  /** The element's exact text, as decoded from the input bytes (for hashing or storing verbatim). */
  raw: string;
  /** `JSON.parse(raw)`: always a plain object. */
  value: Record<string, unknown>;
}

/**
 * The three container forms accepted (DOMAIN: STIX 2.1 §8 bundle; TAXII 2.1 §3.7 envelope):
 * `{"type":"bundle","id":...,"objects":[...]}`, `{"more":false,"objects":[...]}`, `[...]`.
 */
export type StixContainerForm = 'bundle' | 'envelope' | 'array';

/** The properties of the wrapper object that parley reads. All absent for the array form. */
export interface StixWrapperProperties {
  /** `"bundle"` for a bundle; absent for an envelope. */
  type?: string;
  /** The bundle's id, e.g. `bundle--…`. */
  id?: string;
  /** Only STIX 2.0 bundles carry it (`"2.0"`); the objects inside then need upgrading to 2.1. */
  specVersion?: string;
  /** TAXII envelope: whether the server holds more pages. */
  more?: boolean;
  /** TAXII envelope: the cursor of the next page. */
  next?: string;
}

/**
 * What was known when the objects array opened: the wrapper properties written BEFORE `objects`.
 * A property written after `objects` (MITRE's STIX 2.0 files put `spec_version` last) is only in
 * {@link StixContainerInfo}, known once the input has been read to its end.
 */
export interface StixContainerHeader extends StixWrapperProperties {
  /** `'object'` while a wrapper object's `type` is not (yet) known. */
  form: 'array' | 'bundle' | 'object';
}

/** Everything about the container, known at the end of the input. */
export interface StixContainerInfo extends StixWrapperProperties {
  form: StixContainerForm;
  /** Number of elements read. */
  count: number;
  /** Number of bytes read. */
  bytes: number;
  /** Names of wrapper properties parley does not read (kept for a warning, values dropped). */
  otherProperties: string[];
}

export interface ReadStixOptions {
  /**
   * Largest element accepted, in bytes (default 16 MiB). Crossing it fails with
   * `input.object_too_large` at the first byte past the limit, without buffering the rest.
   * Also bounds each wrapper property.
   */
  maxObjectBytes?: number;
  /** Deepest nesting of arrays/objects inside one element (default 128). */
  maxDepth?: number;
}

export const DEFAULT_MAX_OBJECT_BYTES = 16 * 1024 * 1024;
export const DEFAULT_MAX_DEPTH = 128;
