// SQLite's change counter of a database file, for the page cache (lib/cli/page-cache.mjs,
// a preload of plain JavaScript, hence .mjs): PRAGMA data_version moves on whenever another
// connection commits. On PostgreSQL a counter table bumped by a trigger would serve.
import { createRequire } from 'node:module';

/** A function reading `file`'s change counter, or null while the file does not exist. */
export function dataVersionOf(file) {
  try {
    const Sqlite = createRequire(import.meta.url)('better-sqlite3');
    const statement = new Sqlite(file, { readonly: true, fileMustExist: true }).prepare('PRAGMA data_version').pluck();
    return () => statement.get();
  } catch {
    return null;
  }
}
