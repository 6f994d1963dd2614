/**
 * Test-only: the OASIS STIX 2.1 JSON schemas loaded with Ajv's 2020-12 build, as the oracle of the
 * differential test. Never used by the product (see ../shared/data/README.md).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { sharedData } from '../../test/support/shared-data.js';
import { isCustomSdoLike } from './custom.js';
import { readJson } from './test-data.js';

export interface Oracle {
  /** The OASIS verdict for one object, and Ajv's errors when it says no. */
  check(o: Record<string, unknown>): { ok: boolean; errors: unknown };
}

export function loadOracle(): Oracle {
  const ajv = new Ajv2020({ unicodeRegExp: false, strict: false, allErrors: true, logger: false });
  addFormats.default(ajv);
  const byName = new Map<string, string>();
  const root = sharedData('cti-stix2-json-schemas', 'schemas');
  for (const dir of ['common', 'sdos', 'sros', 'observables']) {
    for (const f of readdirSync(path.join(root, dir))) {
      const s = readJson(path.join(root, dir, f));
      ajv.addSchema(s);
      byName.set(f.replace(/\.json$/, ''), s.$id as string);
    }
  }
  const cache = new Map<string, ValidateFunction>();
  const get = (name: string): ValidateFunction => {
    let fn = cache.get(name);
    if (!fn) {
      fn = ajv.getSchema(byName.get(name) as string) as ValidateFunction;
      cache.set(name, fn);
    }
    return fn;
  };
  // Schemas that are building blocks, not object types.
  const notTypes = new Set([
    'core',
    'cyber-observable-core',
    'bundle',
    'properties',
    'dictionary',
    'extension',
  ]);
  return {
    check(o) {
      const type = typeof o.type === 'string' ? o.type : '';
      // For custom types OASIS has only bundle.json's oneOf(core, cyber-observable-core), which
      // nothing with `created` passes (it matches both): use the one the object's shape calls for,
      // as parley does (custom.ts).
      const name =
        byName.has(type) && !notTypes.has(type)
          ? type
          : isCustomSdoLike(o)
            ? 'core'
            : 'cyber-observable-core';
      const fn = get(name);
      const ok = fn(o) as boolean;
      return { ok, errors: fn.errors };
    },
  };
}
