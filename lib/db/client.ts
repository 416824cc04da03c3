import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from './generated/client';
import { databaseUrl } from './url';

export type Database = PrismaClient;

/** A client on the SQLite file at `url` (DATABASE_URL or the project default). */
export function openDatabase(url: string = databaseUrl()): Database {
  // The file is in WAL mode (set by openSqlite), so pages read while an
  // ingest writes; the busy timeout rides out a batch's short write lock.
  return new PrismaClient({ adapter: new PrismaBetterSqlite3({ url, timeout: 10_000 }) });
}

const shared = globalThis as unknown as { threadlabDb?: Database };

/** The process-wide client used by the site (kept across dev reloads). */
export function db(): Database {
  shared.threadlabDb ??= openDatabase();
  return shared.threadlabDb;
}
