/** Re-checks the signatures of a consultation's stored entries, e.g. before its records are cited. */
import type { Kysely } from 'kysely';
import type { Schema } from '../store/index.js';
import { verifyEntry } from './entry.js';
import { entriesOf } from './fold.js';

export interface VerifyResult {
  entries: number;
  /** Ids of entries whose signature does not verify (altered after they were stored). */
  bad: string[];
}

export async function verifyStored(db: Kysely<Schema>, consultation: string): Promise<VerifyResult> {
  const all = await entriesOf(db, consultation);
  return { entries: all.length, bad: all.filter((e) => !verifyEntry(e)).map((e) => e.id) };
}
