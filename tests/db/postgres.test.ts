// The site's reads run on the Prisma client of either store: on PostgreSQL the same
// calls as on SQLite, through the derived schema's client and the pg adapter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDeploy } from '../../lib/db/migrate';
import { openDatabase, type Database } from '../../lib/db/client';
import { migrationsList } from '../../lib/db/schema-engine';
import { postgresSkipped, postgresUrl, scratchPostgres } from '../support/postgres';

describe.skipIf(!postgresUrl)(`PostgreSQL as the store${postgresSkipped ? ` (${postgresSkipped})` : ''}`, () => {
  let store: Awaited<ReturnType<typeof scratchPostgres>>;
  let db: Database;
  beforeAll(async () => {
    store = await scratchPostgres();
  });
  afterAll(async () => {
    await db?.$disconnect();
    await store?.drop();
  });

  it('two processes migrating a new database at once: one applies every migration, the other waits and finds none', async () => {
    const all = migrationsList('postgresql').migrationDirectories.map((d) => d.path);
    const [a, b] = await Promise.all([migrateDeploy(store.url), migrateDeploy(store.url)]);
    expect([...a, ...b].sort()).toEqual(all.sort());
    expect(await migrateDeploy(store.url)).toEqual([]);
  });

  it('writes and reads messages, text, bytes, dates and flags through the client', async () => {
    db = openDatabase(store.url);
    const list = await db.list.create({ data: { name: 'linux-mm' } });
    const date = new Date('2010-12-08T10:11:12.345Z');
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    const block = await db.rawBlock.create({ data: { bytes, encoding: 'identity' } });
    const message = await db.message.create({
      data: {
        archiveId: 'a@b', idKind: 'header', listId: list.id, subject: 'page_mkwrite and VM_FAULT_NOPAGE', date, isGhost: false,
        text: { create: { body: 'Ménage à trois' } },
        raw: { create: { blockId: block.id, start: 0, length: 5 } },
        lists: { create: { listId: list.id } },
      },
    });
    const read = await db.message.findUniqueOrThrow({ where: { archiveId: 'a@b' }, include: { text: true, raw: { include: { block: true } }, lists: { include: { list: true } } } });
    expect(read.id).toBe(message.id);
    expect(read.date).toEqual(date);
    expect(read.isGhost).toBe(false);
    expect(read.text?.body).toBe('Ménage à trois');
    expect([...read.raw!.block.bytes]).toEqual([...bytes]);
    expect(read.lists.map((l) => l.list.name)).toEqual(['linux-mm']);
    expect(await db.message.count({ where: { subject: { contains: 'VM_FAULT' } } })).toBe(1);
  });
});

describe.skipIf(!postgresUrl)('the archive version on PostgreSQL, for the page caches of several servers', () => {
  it('moves on with every model table written, exactly when the writer commits', async () => {
    const store = await scratchPostgres();
    const { default: pg } = await import('pg');
    const writer = new pg.Client(store.url);
    try {
      await migrateDeploy(store.url);
      const { dataVersionOf } = await import('../../lib/db/data-version.mjs');
      const version = dataVersionOf(store.url);
      await writer.connect();
      const { rows: unbumped } = await writer.query<{ table: string }>(`
        SELECT c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname NOT IN ('_prisma_migrations', 'data_version')
          AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = 'data_version_bump')`);
      expect(unbumped.map((r) => r.table)).toEqual([]);
      const before = await version();
      expect(before).not.toBeNull();
      await writer.query('BEGIN');
      await writer.query(`INSERT INTO "List" (name) VALUES ('linux-fsdevel')`);
      expect(await version()).toBe(before); // not committed: another server still sees the old rows
      await writer.query('COMMIT');
      const after = await version();
      expect(after).not.toBe(before);
      await writer.query(`SELECT count(*) FROM "List"`);
      expect(await version()).toBe(after); // reads move nothing
    } finally {
      await writer.end();
      await store.drop();
    }
  });
});
