/**
 * The wrapper object around the objects: a STIX bundle (STIX 2.1 §8: `type`, `id`, `objects`; a
 * STIX 2.0 bundle also `spec_version`) or a TAXII 2.1 envelope (§3.7: `more`, `next`, `objects`).
 * Its properties may come in any order, `objects` included.
 */
import { inputError } from './errors.js';
import type { StixContainerHeader, StixContainerInfo, StixWrapperProperties } from './types.js';

const KNOWN_KEYS = new Set(['type', 'id', 'spec_version', 'more', 'next', 'objects']);

export class Wrapper {
  private readonly props: StixWrapperProperties = {};
  private readonly keys = new Set<string>();
  private sawObjects = false;

  /** A property name was read. */
  key(name: string): void {
    this.keys.add(name);
  }

  /** The `objects` array opens at `offset`: returns what was known before it. */
  objects(offset: number): StixContainerHeader {
    if (this.sawObjects)
      throw inputError('not_stix_container', 'the wrapper has a second "objects"', { offset });
    this.sawObjects = true;
    return { ...this.props, form: this.props.type === 'bundle' ? 'bundle' : 'object' };
  }

  /** Keeps the properties parley reads, checking their types; a `type` other than bundle is refused. */
  property(key: string, value: unknown, offset: number): void {
    if (!KNOWN_KEYS.has(key)) return;
    const want = key === 'more' ? 'boolean' : 'string';
    if (typeof value !== want) {
      throw inputError('not_stix_container', `the wrapper's "${key}" is not a ${want}`, { offset });
    }
    if (key === 'type' && value !== 'bundle') {
      throw inputError(
        'not_stix_container',
        `the top-level object has type "${String(value).slice(0, 100)}": a single STIX object, not a bundle`,
        { offset },
      );
    }
    if (key === 'spec_version') this.props.specVersion = value as string;
    else (this.props as Record<string, unknown>)[key] = value;
  }

  /**
   * The wrapper closes at `offset`. Without `"type":"bundle"` it must look like an envelope: it has
   * `objects`, `more` or `next`, or is `{}` (TAXII 2.1 §3.7: every envelope property is optional).
   */
  close(offset: number): void {
    const p = this.props;
    if (p.type !== undefined) return;
    if (this.sawObjects || this.keys.size === 0 || p.more !== undefined || p.next !== undefined) return;
    throw inputError(
      'not_stix_container',
      'the top-level object has no "type":"bundle" and no "objects": it is not a bundle or TAXII envelope',
      { offset },
    );
  }

  info(count: number, bytes: number): StixContainerInfo {
    return {
      ...this.props,
      form: this.props.type === 'bundle' ? 'bundle' : 'envelope',
      count,
      bytes,
      otherProperties: [...this.keys].filter((k) => !KNOWN_KEYS.has(k)),
    };
  }
}
