/**
 * Multi-row INSERT without the query builder. Building a 500-row insert through Kysely's AST costs
 * about 20 times more than the parameters themselves, which made it the append path's bottleneck;
 * the statement text depends only on (dialect, table, columns, row count), so it is built once.
 * Table and column names are constants of this part, never input.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import type { DialectName, Schema } from '../store/index.js';

const texts = new Map<string, string>();

function statement(dialect: DialectName, table: string, columns: readonly string[], rows: number): string {
  const key = `${dialect}|${table}|${columns.join(',')}|${rows}`;
  let text = texts.get(key);
  if (text === undefined) {
    const tuples: string[] = [];
    let n = 0;
    for (let r = 0; r < rows; r++) {
      // SQLite takes `?`; PostgreSQL numbers its parameters.
      tuples.push(`(${columns.map(() => (dialect === 'postgres' ? `$${++n}` : '?')).join(', ')})`);
    }
    text = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${tuples.join(', ')}`;
    if (texts.size > 64) texts.clear();
    texts.set(key, text);
  }
  return text;
}

/** Inserts rows given as flat parameter arrays (one value per column, in `columns` order). */
export async function insertRows<T extends keyof Schema & string>(
  db: Kysely<Schema>,
  dialect: DialectName,
  table: T,
  columns: readonly (keyof Schema[T] & string)[],
  params: readonly unknown[],
): Promise<void> {
  const rows = params.length / columns.length;
  if (rows === 0) return;
  await db.executeQuery(CompiledQuery.raw(statement(dialect, table, columns, rows), params as unknown[]));
}
