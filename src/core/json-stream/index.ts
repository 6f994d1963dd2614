/**
 * Streaming reader of STIX input, for `parley ingest FILE|-` and any large STIX body.
 *
 * Accepts a STIX bundle, a TAXII 2.1 envelope or a bare array of objects, on one line or many, of
 * any size: only the read chunk and the element in progress are held. Each element is delimited by
 * a byte state machine, decoded with a fatal UTF-8 decoder and parsed once.
 *
 * Wrapper properties (`type`, `id`, `spec_version`, `more`, `next`) may come before or after
 * `objects`. Those before are in `reader.header` before the first element is yielded; all of them
 * are in `await reader.container` at the end. A STIX 2.0 bundle written with `spec_version` last
 * (MITRE's files) is therefore known as 2.0 only at the end: a caller that upgrades 2.0 objects
 * should also treat an object without its own `spec_version` as 2.0.
 *
 * Errors are ParleyErrors whose message names the byte offset (and element index) and why:
 * `input.empty`, `input.truncated`, `input.syntax`, `input.invalid_utf8`, `input.not_stix_container`,
 * `input.nested_bundle`, `input.not_an_object`, `input.object_too_large`, `input.too_deep`,
 * `input.trailing_data`, `input.read_failed`, and `input.not_read` (on `container` only, when the
 * caller stopped early). Elements before a fault are always yielded first, however the input was
 * cut into chunks.
 */
export { StixContainerScanner } from './container-scanner.js';
export { openStixInput } from './open-input.js';
export { readStixObjects, type StixObjectReader, type StixSource } from './read-stix-objects.js';
export {
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_OBJECT_BYTES,
  type ReadStixOptions,
  type StixContainerForm,
  type StixContainerHeader,
  type StixContainerInfo,
  type StixElement,
  type StixWrapperProperties,
} from './types.js';
