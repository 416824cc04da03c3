import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { freshDatabase } from '../support/db';
import { ingestBundled, bundledMailDir } from '../../lib/ingest/bundled';
import type { Database } from '../../lib/db/client';
import { rawBytes } from '../../lib/db/raw';
import { searchIn } from '../search/support';

// The content the site ships with: 12 .eml files in three list folders plus
// the seed's pipermail text copy, which has no Message-ID and no reply headers.
describe('bundled content', () => {
  let store: Awaited<ReturnType<typeof freshDatabase>>;
  let db: Database;
  beforeAll(async () => {
    store = await freshDatabase();
    db = store.db;
    await ingestBundled(store.writer);
  });
  afterAll(() => store.close());

  it('stores every message under the list its folder names', async () => {
    const lists = await db.list.findMany({ include: { _count: { select: { messages: true } } }, orderBy: { name: 'asc' } });
    expect(lists.map((l) => [l.name, l._count.messages])).toEqual([
      ['linux-kernel', 2],
      ['linux-mm', 10],
      ['ocfs2-devel', 1],
    ]);
  });

  it('keeps raw bytes verbatim', async () => {
    const file = path.join(bundledMailDir, 'linux-mm', '03-trond-myklebust.eml');
    const copy = await db.messageCopy.findFirst({ where: { source: file }, include: { message: { include: { raw: { include: { block: true } } } } } });
    expect(copy!.message.raw!.block.encoding).toBe('br');
    expect(rawBytes(copy!.message.raw!).equals(fs.readFileSync(file))).toBe(true);
  });

  it("gives the seed a derived id and a ghost parent: Joel Becker's message, which no archive here has", async () => {
    const seed = await db.message.findFirstOrThrow({ where: { list: { name: 'ocfs2-devel' }, isGhost: false } });
    expect(seed.idKind).toBe('derived');
    expect(seed.archiveId).toMatch(/^[0-9a-f]{32}@archive\.invalid$/);
    expect(seed.fromAddress).toBe('npiggin@gmail.com');
    expect(seed.date?.toISOString()).toBe('2010-12-31T09:31:44.000Z');
    expect(seed.parentBy).toBe('attribution');
    const ghost = await db.message.findUniqueOrThrow({ where: { id: seed.parentId! } });
    expect(ghost.isGhost).toBe(true);
    expect(ghost.fromName).toBe('Joel Becker');
    expect(ghost.fromAddress?.toLowerCase()).toBe('joel.becker@oracle.com');
    expect(ghost.dateText).toMatch(/Dec 31, 2010 at 10:29 AM/);
    expect(ghost.threadId).toBe(seed.threadId);
    const thread = await db.thread.findUniqueOrThrow({ where: { id: seed.threadId! } });
    expect(thread.rootArchiveId).toBe(ghost.archiveId);
    expect(thread.messageCount).toBe(1);
  });

  it('threads the 2009 linux-mm replies under the patches they answer', async () => {
    const trond = await db.message.findFirstOrThrow({ where: { fromName: { contains: 'Trond' } }, include: { parent: true } });
    expect(trond.parentBy).toBe('in-reply-to');
    expect(trond.parent?.fromName).toMatch(/Nick Piggin/);
    expect(trond.depth).toBeGreaterThan(0);
  });

  it('leaves its claims found by search, as the site searches them', async () => {
    const stored = await db.claim.count();
    expect(stored).toBeGreaterThan(10);
    expect((await searchIn(store, 'page_mkwrite')).claims.total).toBeGreaterThan(0);
  });

  it('adds nothing when the same content is ingested again', async () => {
    const before = await db.message.count();
    const again = (await ingestBundled(store.writer)).lists;
    expect(again.reduce((n, s) => n + s.added + s.duplicates, 0)).toBe(0);
    expect(again.reduce((n, s) => n + s.unchanged, 0)).toBe(13);
    expect(await db.message.count()).toBe(before);
    expect(store.danglingReferences()).toEqual([]);
  });
});
