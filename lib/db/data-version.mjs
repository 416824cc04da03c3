// The archive's version, for the page cache (lib/cli/page-cache.mjs, a preload of plain
// JavaScript, hence .mjs): a number that moves on whenever another connection commits a
// change. SQLite: the file's PRAGMA data_version. PostgreSQL: the data_version row its
// migration keeps, moved on by every statement that writes a model table, inside the
// writer's transaction, so it changes exactly when the rows do.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A function reading the version of the store at `url` (`file:/absolute/path` or
 * `postgresql://…`), resolving to null while there is none to read (no file yet, not
 * migrated yet, the server unreachable): nothing may be kept then.
 */
export function dataVersionOf(url) {
  if (url.startsWith('file:')) {
    let statement = null;
    return async () => {
      try {
        const Sqlite = require('better-sqlite3');
        statement ??= new Sqlite(url.slice('file:'.length), { readonly: true, fileMustExist: true }).prepare('PRAGMA data_version').pluck();
        return statement.get();
      } catch {
        return null;
      }
    };
  }
  const pg = require('pg');
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  pool.on('error', () => {}); // a dropped idle connection: the next read opens another
  return async () => {
    try {
      const { rows } = await pool.query('SELECT n FROM data_version WHERE id = 1');
      return rows.length ? String(rows[0].n) : null;
    } catch {
      return null;
    }
  };
}
