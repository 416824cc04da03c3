import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { describe, it, expect, afterAll } from 'vitest';
import { migrateDeploy } from '../../lib/db/migrate';
import { PAGE_SIZE } from '../../lib/db/sqlite';

describe('the database file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadlab-file-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const settings = (file: string) => {
    const db = new Sqlite(file, { readonly: true });
    try {
      return { pageSize: db.pragma('page_size', { simple: true }), journal: db.pragma('journal_mode', { simple: true }), tables: db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'MessageText'`).get() };
    } finally {
      db.close();
    }
  };

  it('is made by the migrator with large pages, in WAL mode', async () => {
    const file = path.join(dir, 'new', 'threadlab.db');
    await migrateDeploy(`file:${file}`);
    expect(settings(file)).toEqual({ pageSize: PAGE_SIZE, journal: 'wal', tables: { n: 1 } });
  });

  it('keeps the page size of a file made elsewhere (prisma migrate deploy, an older release)', async () => {
    const file = path.join(dir, 'old.db');
    const elsewhere = new Sqlite(file);
    elsewhere.pragma('journal_mode = WAL'); // an empty database with SQLite's default pages
    elsewhere.close();
    await migrateDeploy(`file:${file}`);
    expect(settings(file).pageSize).toBe(4096);
    expect(settings(file).tables).toEqual({ n: 1 });
  });

  it('is migrated while the site reads it: nothing to do when up to date, a clear error when not', async () => {
    const url = `file:${path.join(dir, 'busy.db')}`;
    expect((await migrateDeploy(url, { through: '20261125110000_message_text' })).length).toBeGreaterThan(0);
    const site = new Sqlite(path.join(dir, 'busy.db'));
    try {
      site.prepare('SELECT count(*) FROM "Message"').get();
      // The migrations after message_text, whichever came later too.
      await expect(migrateDeploy(url)).rejects.toThrow(/busy\.db is in use by another process .*: stop it to apply 20261125120000_raw_blocks(, \w+)*$/);
      site.close();
      expect((await migrateDeploy(url))[0]).toBe('20261125120000_raw_blocks');
      const again = new Sqlite(path.join(dir, 'busy.db'));
      try {
        again.prepare('SELECT count(*) FROM "Message"').get();
        expect(await migrateDeploy(url)).toEqual([]);
      } finally {
        again.close();
      }
    } finally {
      if (site.open) site.close();
    }
  }, 60_000);
});
