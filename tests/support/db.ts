import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrateDeploy } from '../../lib/db/migrate';
import { openDatabase, type Database } from '../../lib/db/client';
import { openSqlite, type SqliteConnection } from '../../lib/db/sqlite';

/**
 * A fresh, migrated SQLite file in a temp folder: the real store, never a
 * mock. `db` is the Prisma client the site reads with; `writer` is the
 * connection ingest writes with.
 */
export async function freshDatabase(): Promise<{ danglingReferences(): unknown[]; db: Database; writer: SqliteConnection; url: string; file: string; close(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadlab-test-'));
  const file = path.join(dir, 'test.db');
  const url = `file:${file}`;
  await migrateDeploy(url);
  const writer = openSqlite(url);
  const db = openDatabase(url);
  return {
    /** Rows whose foreign keys point nowhere: must always be none. */
    danglingReferences: () => writer.prepare('PRAGMA foreign_key_check').all(),
    db,
    writer,
    url,
    file,
    async close() {
      writer.close();
      await db.$disconnect();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
