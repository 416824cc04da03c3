import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client';
import { PrismaClient as PostgresClient } from './generated-pg/client';
import { backendOf, databaseUrl } from './url';

/**
 * The Prisma client of either store. The two are generated from one schema
 * (generate.mjs) and answer the same calls; SQLite's type stands for both.
 */
export type Database = PrismaClient;

/** A client on the store at `url` (DATABASE_URL or the project's SQLite file). */
export function openDatabase(url: string = databaseUrl()): Database {
  if (backendOf(url) === 'postgresql') {
    return new PostgresClient({ adapter: new PrismaPg({ connectionString: url, max: POOL_SIZE }) }) as unknown as Database;
  }
  // The file is in WAL mode (set by openSqlite), so pages read while an
  // ingest writes; the busy timeout rides out a batch's short write lock.
  return new PrismaClient({ adapter: new PrismaBetterSqlite3({ url, timeout: 10_000 }) });
}

/** Connections a web server keeps to PostgreSQL: enough for the page's parallel reads, few enough for several servers. */
const POOL_SIZE = 8;

const shared = globalThis as unknown as { threadlabDb?: Database };

/** The process-wide client used by the site (kept across dev reloads). */
export function db(): Database {
  shared.threadlabDb ??= openDatabase();
  return shared.threadlabDb;
}
