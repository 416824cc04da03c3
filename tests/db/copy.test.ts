// db:copy moves an archive from its SQLite file into PostgreSQL whole: every row of every
// model, read back through each store's Prisma client, equal; nothing half-copied when it
// fails; never twice into one database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../support/db';
import { corpus, hasShared } from '../support/shared';
import { postgresSkipped, postgresUrl, scratchPostgres } from '../support/postgres';
import { copyArchive } from '../../lib/db/copy';
import { openDatabase, type Database } from '../../lib/db/client';
import { ModelName } from '../../lib/db/generated/internal/prismaNamespace';
import { ingestBundled } from '../../lib/ingest/bundled';
import { ingestPaths } from '../../lib/ingest';

/** Every row of every model, each as comparable text, in a stable order. */
async function everyRow(db: Database): Promise<Record<string, string[]>> {
  const rows: Record<string, string[]> = {};
  for (const model of Object.values(ModelName)) {
    const delegate = (db as unknown as Record<string, { findMany(): Promise<object[]> }>)[model[0].toLowerCase() + model.slice(1)];
    rows[model] = (await delegate.findMany())
      .map((r) => JSON.stringify(r, (_, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v)))
      .sort();
  }
  return rows;
}

describe.skipIf(!postgresUrl)(`copying an archive into PostgreSQL${postgresSkipped ? ` (${postgresSkipped})` : ''}`, () => {
  let sqlite: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    sqlite = await freshDatabase('sqlite');
    await ingestBundled(sqlite.writer); // claims, ghosts, quote links, cross-posts
    // Real mail (attachments, odd charsets, removals), where ../shared is beside the checkout.
    if (hasShared) await ingestPaths(sqlite.writer, [corpus('notmuch-lkml'), corpus('ponymail')]);
  }, 300_000);
  afterAll(async () => {
    await sqlite?.close();
  });

  it('carries every row of every model, and the ids that come next', async () => {
    const store = await scratchPostgres();
    const postgres = openDatabase(store.url);
    try {
      const copied = await copyArchive(sqlite.url, store.url);
      expect(copied.find((t) => t.table === 'Message')!.rows).toBeGreaterThan(10);
      expect(await everyRow(postgres)).toEqual(await everyRow(sqlite.db));
      // A row added after the copy takes an id past every copied one.
      const last = await sqlite.db.list.findFirstOrThrow({ orderBy: { id: 'desc' } });
      expect((await postgres.list.create({ data: { name: 'added-later' } })).id).toBeGreaterThan(last.id);
    } finally {
      await postgres.$disconnect();
      await store.drop();
    }
  });

  it('leaves nothing when it stops part way, copies whole when run again, and never copies twice', async () => {
    const store = await scratchPostgres();
    const postgres = openDatabase(store.url);
    try {
      let tables = 0;
      await expect(copyArchive(sqlite.url, store.url, () => {
        if (++tables === 3) throw new Error('stopped part way');
      })).rejects.toThrow('stopped part way');
      expect(await postgres.list.count()).toBe(0);
      expect(await postgres.message.count()).toBe(0);
      await copyArchive(sqlite.url, store.url);
      const messages = await postgres.message.count();
      expect(messages).toBe(await sqlite.db.message.count());
      await expect(copyArchive(sqlite.url, store.url)).rejects.toThrow(/holds \d+ messages already/);
      expect(await postgres.message.count()).toBe(messages);
    } finally {
      await postgres.$disconnect();
      await store.drop();
    }
  });
});
