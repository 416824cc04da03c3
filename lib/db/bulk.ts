import type { Database } from './client';

/**
 * Sets columns on many rows in one statement per chunk: the rows travel as
 * one JSON parameter and SQLite's json_each joins them in (UPDATE ... FROM,
 * SQLite 3.33+). Far cheaper than a query per row; PostgreSQL would use
 * jsonb_to_recordset in the same shape.
 */
export async function updateRowsById(
  db: Pick<Database, '$executeRawUnsafe'>,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  const sets = columns.map((c, i) => `"${c}" = json_extract(j.value, '$[${i + 1}]')`).join(', ');
  const sql = `UPDATE "${table}" SET ${sets} FROM json_each(?) AS j WHERE "${table}".id = json_extract(j.value, '$[0]')`;
  for (let i = 0; i < rows.length; i += 5000) {
    await db.$executeRawUnsafe(sql, JSON.stringify(rows.slice(i, i + 5000)));
  }
}

/** A DateTime as the SQLite adapter stores it (ISO 8601, +00:00), for raw statements. */
export const sqlDateTime = (d: Date | null): string | null => (d ? d.toISOString().replace('Z', '+00:00') : null);
