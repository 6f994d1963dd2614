/**
 * Where the OASIS and MITRE reference material lives: ../shared/data beside the repository. It is
 * read by tests and benchmarks only, never by the product.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED_DATA = process.env.PARLEY_SHARED_DATA ?? path.resolve(REPO_ROOT, '..', 'shared', 'data');

/** Absolute path of a file under ../shared/data; throws a clear error if the material is missing. */
export function sharedData(...parts: string[]): string {
  const p = path.join(SHARED_DATA, ...parts);
  if (!existsSync(p)) throw new Error(`reference data missing: ${p} (set PARLEY_SHARED_DATA to its folder)`);
  return p;
}
