import Sqlite from 'better-sqlite3';
import { databaseUrl, sqlitePath } from './url';

export type SqliteConnection = Sqlite.Database;

/**
 * A direct connection to the SQLite file, for ingest's bulk writes only.
 * The tables are Prisma's (prisma/schema.prisma, applied by its
 * migrations) and everything else reads them through Prisma; but binding
 * parameters to prepared statements on the driver Prisma's adapter wraps is
 * some ten times faster than going through the client per row, which the
 * ingest target needs. On PostgreSQL this module would be a COPY writer.
 */
export function openSqlite(url: string = databaseUrl()): SqliteConnection {
  const db = new Sqlite(sqlitePath(url), { timeout: 10_000 });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // Ingest keeps references whole itself: re-threading re-places every
  // message in the transaction that drops stale threads and ghosts. The
  // checks would cost about 45% of re-threading; the tests run
  // PRAGMA foreign_key_check after every ingest instead.
  db.pragma('foreign_keys = OFF');
  return db;
}

/** A DateTime as Prisma's SQLite adapter stores it: ISO 8601 with +00:00. */
export const sqlDateTime = (d: Date | string | null): string | null =>
  d === null ? null : (typeof d === 'string' ? new Date(d) : d).toISOString().replace('Z', '+00:00');
