import fs from 'node:fs';
import Sqlite from 'better-sqlite3';
import { databaseUrl, sqlitePath } from './url';

export type SqliteConnection = Sqlite.Database;

/**
 * A direct connection to the SQLite file, for ingest's bulk writes only.
 * The tables are Prisma's (prisma/schema.prisma, applied by its
 * migrations) and everything else reads them through Prisma; but binding
 * parameters to prepared statements on the driver Prisma's adapter wraps is
 * some ten times faster than going through the client per row, which the
 * ingest target needs. PostgreSQL's counterpart is postgres-writer.ts.
 */
export function openSqlite(url: string = databaseUrl(), options: { readonly?: boolean } = {}): SqliteConnection {
  // A reader (the search workers) leaves the file as its writer made it: in WAL mode already.
  if (options.readonly) return new Sqlite(sqlitePath(url), { readonly: true, fileMustExist: true, timeout: 10_000 });
  // Waits for another writer longer than this go round writing()'s loop, which says so.
  const db = new Sqlite(sqlitePath(url), { timeout: WAIT_REPORT_MS });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // Ingest keeps references whole itself: re-threading re-places every
  // message in the transaction that drops stale threads and ghosts. The
  // checks would cost about 45% of re-threading; the tests run
  // PRAGMA foreign_key_check after every ingest instead.
  db.pragma('foreign_keys = OFF');
  return db;
}

/** How long a writer waits for the lock before it is told again that it waits (immediate). */
const WAIT_REPORT_MS = 1000;

const waitReporters = new WeakMap<SqliteConnection, (waitedMs: number) => void>();

/** Who hears that a write on `db` waits for another process's (the CLI's progress line); onWriterWait (connection.ts) sets it. */
export function onSqliteWriterWait(db: SqliteConnection, report: (waitedMs: number) => void): void {
  waitReporters.set(db, report);
}

/**
 * Runs `work` in a write transaction that takes the write lock first
 * (BEGIN IMMEDIATE). A deferred transaction that reads before it writes
 * fails at once with SQLITE_BUSY when another process committed in between,
 * busy timeout or not; this one waits for the other writer, however long,
 * telling onSqliteWriterWait's listener every second. Inside another
 * transaction it is a savepoint of that one. Ingest calls it through
 * writing() (connection.ts); the site's SQLite-only writers directly.
 */
export function immediate<T>(db: SqliteConnection, work: () => T): T {
  let began = false;
  const transaction = db.transaction(() => {
    began = true;
    return work();
  });
  const since = Date.now();
  for (;;) {
    try {
      return transaction.immediate();
    } catch (e) {
      // Only the lock not taken is waited out: work that ran and failed is the caller's.
      if (began || (e as { code?: string }).code !== 'SQLITE_BUSY') throw e;
      waitReporters.get(db)?.(Date.now() - since);
    }
  }
}

/**
 * The page size of a new database. Most rows are a message's text or its
 * packed bytes, about 3 KB each; SQLite's default 4 KB pages left a third of
 * those tables' pages unused, and a row over 4 KB spilled into a page of its
 * own. With 32 KB pages the 50k-message bench ingests in 20.3 s instead of
 * 22.8 s into 462 MB instead of 488 MB. A file's page size is fixed when it
 * is created (a VACUUM outside WAL mode can change it later).
 */
export const PAGE_SIZE = 32768;

/** Creates the database file, in WAL mode and with PAGE_SIZE, unless it exists. */
export function createDatabaseFile(url: string = databaseUrl()): void {
  const file = sqlitePath(url);
  if (fs.existsSync(file) && fs.statSync(file).size > 0) return;
  const db = new Sqlite(file);
  db.pragma(`page_size = ${PAGE_SIZE}`);
  db.pragma('journal_mode = WAL'); // writes the header: the page size is set from here on
  db.close();
}

/** Whether the database has this table (the search index's FTS5 tables come with a migration). */
export const hasTable = (db: SqliteConnection, name: string): boolean =>
  db.prepare('SELECT 1 FROM sqlite_master WHERE name = ?').get(name) !== undefined;

/** A DateTime as Prisma's SQLite adapter stores it: ISO 8601 with +00:00. */
export const sqlDateTime = (d: Date | string | null): string | null =>
  d === null ? null : (typeof d === 'string' ? new Date(d) : d).toISOString().replace('Z', '+00:00');
