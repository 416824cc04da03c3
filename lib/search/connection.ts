import { openSqlite, type SqliteConnection } from '../db/sqlite';
import { databaseUrl } from '../db/url';

/**
 * A connection for answering searches. A query's list or Message-ID filter
 * reads the "Message" row of every text match, and the hits shown read their
 * text, so the file is memory-mapped and the page cache made larger than
 * SQLite's 2 MB default: the pages stay in the OS's cache between queries
 * instead of being copied in again each time.
 */
export function openSearchConnection(url: string = databaseUrl(), options: { readonly?: boolean } = {}): SqliteConnection {
  const db = openSqlite(url, options);
  db.pragma(`mmap_size = ${1 << 30}`);
  db.pragma('cache_size = -32768');
  return db;
}
