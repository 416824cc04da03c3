// The connection ingest writes through, on either store: better-sqlite3's on
// an SQLite file, PostgresWriter (synchronous too) on PostgreSQL. Statements
// are written once where both stores take the same text (identifiers quoted,
// `?` placeholders, true/false), and once per store where they differ.
import { textFor, type Sql } from './dialect';
import { PostgresWriter, type LaterStatement, type Statement } from './postgres-writer';
import { immediate, onSqliteWriterWait, openSqlite, type SqliteConnection } from './sqlite';
import { backendOf, databaseUrl, type Backend } from './url';

export type { Statement } from './postgres-writer';
export type Connection = SqliteConnection | PostgresWriter;

export function prepare<P extends unknown[] = unknown[], R = unknown>(db: Connection, sql: Sql): Statement<P, R> {
  const text = textFor(db, sql);
  return db instanceof PostgresWriter ? db.prepare<P, R>(text) : (db.prepare(text) as unknown as Statement<P, R>);
}

/**
 * Runs a statement whose answer is not needed: on PostgreSQL later, with the
 * statements queued beside it, before the next one that answers (PostgresWriter.later);
 * on SQLite now, where a statement costs no round trip.
 */
export function later<P extends unknown[]>(statement: Statement<P>, ...params: P): void {
  if ('later' in statement) (statement as LaterStatement<P>).later(...params);
  else statement.run(...params);
}

/**
 * After storing many rows: PostgreSQL's planner knows the tables by statistics that
 * autovacuum gathers when it gets round to it, and until then plans the statements
 * that follow (threading's, linking's) for tables nearly empty. SQLite plans by its
 * indexes alone.
 */
export function refreshStatistics(db: Connection): void {
  if (db instanceof PostgresWriter) db.exec('ANALYZE');
}

/** The URL `db` was opened with, for the clients and processes that connect beside it. */
export const urlOf = (db: Connection): string => (db instanceof PostgresWriter ? db.url : `file:${db.name}`);

/** A writer on the store DATABASE_URL names: the SQLite file, or a PostgreSQL server. */
export async function openWriter(url: string = databaseUrl()): Promise<Connection> {
  return backendOf(url) === 'postgresql' ? PostgresWriter.open(url) : openSqlite(url);
}

/** A connection that only reads, beside the writer (a worker planning quote links): the SQLite file read-only, or a PostgreSQL connection of its own. */
export async function openReader(url: string): Promise<Connection> {
  return backendOf(url) === 'postgresql' ? PostgresWriter.open(url) : openSqlite(url, { readonly: true });
}

/** Who hears that a write on `db` waits for another process's (the CLI's progress line). */
export function onWriterWait(db: Connection, report: (waitedMs: number) => void): void {
  if (db instanceof PostgresWriter) db.onWait = report;
  else onSqliteWriterWait(db, report);
}

/**
 * Runs `work` in a write transaction that holds the store's one write lock
 * from its first statement, waiting for another writer however long, telling
 * onWriterWait's listener every second. Inside another transaction it is a
 * savepoint of that one. SQLite: BEGIN IMMEDIATE. PostgreSQL: a transaction
 * that first takes an advisory lock every writer takes, so that two ingests
 * are one after the other there too (each reads what it is about to write).
 */
export function writing<T>(db: Connection, work: () => T): T {
  if (!(db instanceof PostgresWriter)) return immediate(db, work);
  if (db.depth > 0) {
    const savepoint = `s${db.depth}`;
    db.exec(`SAVEPOINT ${savepoint}`);
    db.depth++;
    try {
      const result = work();
      db.exec(`RELEASE SAVEPOINT ${savepoint}`);
      return result;
    } catch (e) {
      db.exec(`ROLLBACK TO SAVEPOINT ${savepoint}`);
      throw e;
    } finally {
      db.depth--;
    }
  }
  db.exec('BEGIN');
  db.depth++;
  try {
    const since = Date.now();
    for (let told = since; !db.prepare<[], { locked: number }>(WRITE_LOCK).get()!.locked; ) {
      db.prepare(WRITE_LOCK_WAIT).run();
      if (Date.now() - told >= 1000) db.onWait?.((told = Date.now()) - since);
    }
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (e) {
    db.exec('ROLLBACK');
    throw e;
  } finally {
    db.depth--;
  }
}

/** The writers' advisory lock, held until the transaction ends; tried again after WRITE_LOCK_WAIT while another writer holds it. */
const WRITE_LOCK = `SELECT pg_try_advisory_xact_lock(hashtext('threadlab writer')) AS locked`;
const WRITE_LOCK_WAIT = 'SELECT pg_sleep(0.05)';

/**
 * Runs an SQLite `INSERT OR IGNORE` that must add its row, and returns the row's id.
 * Why OR IGNORE: a statement that fires a trigger (the search queue's, on Message
 * and MessageText) and may abort on a constraint makes SQLite copy every page it
 * touches into a statement journal first, so that it can undo the trigger's writes.
 * With 32 KB pages that was 20 us a row, a third of storing. Callers check for the
 * row beforehand; a row ignored all the same is an error here, as it would have been
 * without OR IGNORE.
 */
export function insertNew(statement: Statement, ...params: unknown[]): number {
  if (!/^\s*INSERT OR IGNORE\b/i.test(statement.source)) throw new Error(`insertNew needs an INSERT OR IGNORE statement: ${statement.source}`);
  const { changes, lastInsertRowid } = statement.run(...params);
  if (changes !== 1) throw new Error(`row not inserted (a constraint failed): ${statement.source.slice(0, 60)}...`);
  return Number(lastInsertRowid);
}

/** Runs insertNewRow's statement: on SQLite now (insertNew), on PostgreSQL later(), where a taken key fails the INSERT itself. */
export function insertNewLater<P extends unknown[]>(statement: Statement<P>, ...params: P): void {
  if ('later' in statement) later(statement, ...params);
  else insertNew(statement, ...params);
}

/** Inserts rows that must be new into a table with a generated id, and gives each one's id. */
export interface NewRows<P extends unknown[]> {
  insert(...params: P): number;
}

/**
 * `values` (`?` or `@name` placeholders) into `columns` of `table`: on SQLite by
 * insertNew; on PostgreSQL with an id taken beforehand (PostgresWriter.nextId), so
 * that the row goes in later(), with the statements around it, and nothing waits
 * for the server to say which id it gave.
 */
export function newRows<P extends unknown[]>(db: Connection, table: string, columns: readonly string[], values: string): NewRows<P> {
  const names = columns.map((c) => `"${c}"`).join(', ');
  if (!(db instanceof PostgresWriter)) {
    const statement = db.prepare(`INSERT OR IGNORE INTO "${table}" (${names}) VALUES (${values})`) as unknown as Statement<P>;
    return { insert: (...params) => insertNew(statement, ...params) };
  }
  const named = values.includes('@');
  const statement = db.prepare(`INSERT INTO "${table}" (id, ${names}) VALUES (${named ? '@id' : '?'}, ${values})`);
  return {
    insert: (...params) => {
      const id = db.nextId(table);
      if (named) statement.later({ ...(params[0] as object), id });
      else statement.later(id, ...params);
      return id;
    },
  };
}
