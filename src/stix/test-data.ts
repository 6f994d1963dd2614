/**
 * Test-only access to the OASIS and MITRE reference material under ../shared/data (never read by
 * the product). Not a test file itself: the *.test.ts files import it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { sharedData } from '../../test/support/shared-data.js';

export type Json = Record<string, unknown>;

export const readJson = (file: string): Json => JSON.parse(readFileSync(file, 'utf8')) as Json;

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.json')) out.push(p);
  }
  return out;
}

/** Every object of the OASIS examples (260), with the file it came from. */
export function oasisExamples(): { file: string; object: Json }[] {
  const out: { file: string; object: Json }[] = [];
  for (const file of walk(sharedData('cti-stix2-json-schemas', 'examples'))) {
    const j = readJson(file);
    const objects = j.type === 'bundle' ? (j.objects as Json[]) : [j];
    for (const object of objects) out.push({ file: path.basename(file), object });
  }
  return out;
}

export const validatorExamplesDir = () =>
  sharedData('cti-stix-validator', 'stix2validator', 'test', 'v21', 'test_examples');

/** The objects of an ATT&CK bundle, e.g. attack('ics-attack-18.1.json'). */
export const attack = (file: string): Json[] => readJson(sharedData('mitre-attack', file)).objects as Json[];

/** The base objects of the OASIS validator's tests, by `module:CONSTANT` name. */
export const validatorBaseObjects = (): Record<string, Json> =>
  readJson(sharedData('cti-stix-validator', 'v21_test_base_objects.json')).objects as Record<string, Json>;
