import type { Database } from './client';

// Bulk statements for ingest. Prisma's createMany costs over a millisecond
// a row in query building alone; here each chunk travels as ONE JSON
// parameter that SQLite unpacks with json_each, so the cost is SQLite's.
// Bytes travel hex-encoded and come back with unhex(). PostgreSQL would do
// the same with jsonb_to_recordset and decode(…, 'hex'): the SQL is
// dialect-specific and lives only here.

type Raw = Pick<Database, '$executeRawUnsafe' | '$queryRawUnsafe'>;
const CHUNK = 2000;

/** A column of a bulk statement: its name, and whether the value is bytes (sent as hex). */
export interface Column {
  name: string;
  bytes?: boolean;
}

const col = (c: string | Column): Column => (typeof c === 'string' ? { name: c } : c);
const prepared = (rows: readonly (readonly unknown[])[], columns: Column[]) =>
  JSON.stringify(rows.map((r) => r.map((v, i) => (columns[i]?.bytes && v != null ? Buffer.from(v as Uint8Array).toString('hex') : v))));

function insertSql(table: string, cols: Column[]): string {
  const select = cols.map((c, i) => (c.bytes ? `unhex(j.value ->> ${i})` : `j.value ->> ${i}`)).join(', ');
  return `INSERT INTO "${table}" (${cols.map((c) => `"${c.name}"`).join(', ')}) SELECT ${select} FROM json_each(?) AS j`;
}

/** Inserts rows (arrays in column order) and returns each one's `key` column with its new id. */
export async function insertRows(db: Raw, table: string, columns: readonly (string | Column)[], rows: readonly (readonly unknown[])[], key: string): Promise<{ id: number; key: string }[]> {
  const cols = columns.map(col);
  const sql = `${insertSql(table, cols)} RETURNING id, "${key}" AS key`;
  const out: { id: number; key: string }[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    const got = await db.$queryRawUnsafe<{ id: number | bigint; key: string }[]>(sql, prepared(rows.slice(i, i + CHUNK), cols));
    for (const r of got) out.push({ id: Number(r.id), key: r.key });
  }
  return out;
}

/** Inserts rows without reading anything back. */
export async function appendRows(db: Raw, table: string, columns: readonly (string | Column)[], rows: readonly (readonly unknown[])[]): Promise<void> {
  const cols = columns.map(col);
  const sql = insertSql(table, cols);
  for (let i = 0; i < rows.length; i += CHUNK) await db.$executeRawUnsafe(sql, prepared(rows.slice(i, i + CHUNK), cols));
}

/**
 * Sets columns on many rows by id: rows are [id, ...values in column order]
 * (UPDATE ... FROM, SQLite 3.33+).
 */
export async function updateRowsById(db: Raw, table: string, columns: readonly (string | Column)[], rows: readonly (readonly unknown[])[]): Promise<void> {
  const cols = [{ name: 'id' }, ...columns.map(col)];
  const sets = cols.slice(1).map((c, i) => `"${c.name}" = ${c.bytes ? `unhex(j.value ->> ${i + 1})` : `j.value ->> ${i + 1}`}`).join(', ');
  const sql = `UPDATE "${table}" SET ${sets} FROM json_each(?) AS j WHERE "${table}".id = j.value ->> 0`;
  for (let i = 0; i < rows.length; i += CHUNK) await db.$executeRawUnsafe(sql, prepared(rows.slice(i, i + CHUNK), cols));
}

/** Rows of `table` whose `column` is one of `values`, fetched in one statement per chunk. */
export async function rowsWhereIn<T>(db: Raw, select: string, table: string, column: string, values: readonly unknown[]): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < values.length; i += CHUNK) {
    out.push(...(await db.$queryRawUnsafe<T[]>(`SELECT ${select} FROM "${table}" WHERE "${column}" IN (SELECT value FROM json_each(?))`, JSON.stringify(values.slice(i, i + CHUNK)))));
  }
  return out;
}

/** A DateTime as the SQLite adapter stores it (ISO 8601, +00:00), for raw statements. */
export const sqlDateTime = (d: Date | null): string | null => (d ? d.toISOString().replace('Z', '+00:00') : null);
