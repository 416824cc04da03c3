import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrateDeploy } from '../../lib/db/migrate';
import { openDatabase, type Database } from '../../lib/db/client';

/** A fresh, migrated SQLite file in a temp folder: the real store, never a mock. */
export async function freshDatabase(): Promise<{ db: Database; url: string; file: string; close(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadlab-test-'));
  const file = path.join(dir, 'test.db');
  const url = `file:${file}`;
  await migrateDeploy(url);
  const db = openDatabase(url);
  return {
    db,
    url,
    file,
    async close() {
      await db.$disconnect();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
