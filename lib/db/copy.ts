// An archive moved from its SQLite file to PostgreSQL, past one machine:
// every model table, row for row and id for id, through COPY in one
// transaction (an interrupted copy leaves nothing behind).
import { once } from 'node:events';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { migrateDeploy } from './migrate';
import { redact, sqlitePath } from './url';
import { POSTGRES_EXTERNAL_TABLES } from './search-tables';
import { copyField } from './copy-text';

export interface CopiedTable {
  table: string;
  rows: number;
}

interface Column {
  name: string;
  type: string;
}

/** The model tables of a migrated PostgreSQL database (not its own external ones), parents before the tables that refer to them. */
async function modelTables(client: pg.Client): Promise<Array<{ table: string; columns: Column[]; parents: string[] }>> {
  const { rows: columns } = await client.query<{ table: string; name: string; type: string }>(`
    SELECT table_name AS table, column_name AS name, data_type AS type FROM information_schema.columns
    WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' AND NOT (table_name = ANY ($1))
    ORDER BY table_name, ordinal_position`, [POSTGRES_EXTERNAL_TABLES.map((t) => t.replace(/^public\./, ''))]);
  const { rows: refs } = await client.query<{ child: string; parent: string }>(`
    SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent FROM pg_constraint c
    JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.contype = 'f' AND n.nspname = 'public'`);
  const unquote = (name: string) => name.replace(/^"|"$/g, '');
  const tables = new Map<string, { table: string; columns: Column[]; parents: string[] }>();
  for (const c of columns) {
    if (!tables.has(c.table)) tables.set(c.table, { table: c.table, columns: [], parents: [] });
    tables.get(c.table)!.columns.push({ name: c.name, type: c.type });
  }
  for (const r of refs) if (unquote(r.child) !== unquote(r.parent)) tables.get(unquote(r.child))?.parents.push(unquote(r.parent));
  const ordered: Array<{ table: string; columns: Column[]; parents: string[] }> = [];
  const placed = new Set<string>();
  const place = (name: string, path: string[]) => {
    if (placed.has(name)) return;
    if (path.includes(name)) throw new Error(`foreign keys in a cycle: ${[...path, name].join(' -> ')}`);
    const t = tables.get(name)!;
    for (const p of t.parents) place(p, [...path, name]);
    placed.add(name);
    ordered.push(t);
  };
  for (const name of [...tables.keys()].sort()) place(name, []);
  return ordered;
}

/** One value in COPY's text format, from what SQLite holds for a column of PostgreSQL type `type`. */
function copyText(value: unknown, type: string): string {
  if (type === 'boolean' && value !== null && value !== undefined) return value ? 't' : 'f';
  // Prisma's SQLite adapter keeps a DateTime as ISO 8601 text (sqlDateTime); a number would be epoch milliseconds.
  if (type.startsWith('timestamp') && typeof value === 'number') return new Date(value).toISOString();
  return copyField(value);
}

/**
 * Copies the archive in the SQLite file at `from` into the PostgreSQL
 * database at `to`, which must hold no messages (both are migrated first). The
 * SQLite side is read in one transaction: a consistent snapshot while an
 * ingest goes on writing it. The search index is not copied (each store has
 * its own; PostgreSQL's is built from the rows copied).
 */
export async function copyArchive(from: string, to: string, progress: (t: CopiedTable) => void = () => {}): Promise<CopiedTable[]> {
  // Both at the schema of this release, as every command brings its store.
  await migrateDeploy(from);
  await migrateDeploy(to);
  const source = new Sqlite(sqlitePath(from), { readonly: true, fileMustExist: true });
  const client = new pg.Client(to);
  await client.connect();
  try {
    const tables = await modelTables(client);
    const { rows: held } = await client.query<{ n: string }>('SELECT count(*) AS n FROM "Message"');
    if (Number(held[0].n) > 0) throw new Error(`${redact(to)} holds ${held[0].n} messages already: copy into a new database`);
    source.exec('BEGIN'); // a read transaction: one snapshot of every table
    await client.query('BEGIN');
    // Checked row by row, the foreign keys were a third of the copy (a trigger per row and
    // key); added again after it, each is checked in one pass. The transaction holds the
    // tables meanwhile: no reader sees them without their keys.
    const { rows: keys } = await client.query<{ table: string; name: string; definition: string }>(`
      SELECT conrelid::regclass::text AS table, conname AS name, pg_get_constraintdef(oid) AS definition
      FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace`);
    for (const k of keys) await client.query(`ALTER TABLE ${k.table} DROP CONSTRAINT "${k.name}"`);
    const copied: CopiedTable[] = [];
    for (const { table, columns } of tables) {
      const theirs = new Set((source.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as Array<{ name: string }>).map((c) => c.name));
      const missing = columns.filter((c) => !theirs.has(c.name)).map((c) => c.name);
      if (missing.length || theirs.size !== columns.length) {
        throw new Error(`${table}: the SQLite file's columns (${[...theirs].join(', ')}) are not PostgreSQL's (${columns.map((c) => c.name).join(', ')}): the two schemas differ`);
      }
      const names = columns.map((c) => `"${c.name}"`).join(', ');
      const sink = client.query(copyFrom(`COPY "${table}" (${names}) FROM STDIN`));
      const done = once(sink, 'finish');
      let rows = 0;
      let chunk = '';
      for (const row of source.prepare(`SELECT ${names} FROM "${table}"`).raw().iterate() as Iterable<unknown[]>) {
        chunk += row.map((v, i) => copyText(v, columns[i].type)).join('\t') + '\n';
        rows++;
        if (chunk.length >= CHUNK) {
          const more = sink.write(chunk);
          chunk = '';
          if (!more) await once(sink, 'drain');
        }
      }
      sink.end(chunk);
      await done;
      // The next id a new row takes follows the copied ones.
      if (columns.some((c) => c.name === 'id')) {
        await client.query(`SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), coalesce(max(id), 0) + 1, false) FROM "${table}"`);
      }
      copied.push({ table, rows });
      progress({ table, rows });
    }
    for (const k of keys) await client.query(`ALTER TABLE ${k.table} ADD CONSTRAINT "${k.name}" ${k.definition}`);
    await client.query('COMMIT');
    await client.query('ANALYZE');
    return copied;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    if (source.inTransaction) source.exec('COMMIT');
    source.close();
    await client.end();
  }
}

/** Bytes of COPY text sent at a time. */
const CHUNK = 1 << 20;
