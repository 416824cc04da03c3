// Quote linking planned on a worker (while the main thread indexes for search)
// must store exactly what linking on the main thread stores.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type Store as SqliteStore } from '../support/db';
import type { SqliteConnection } from '../../lib/db/sqlite';
import { corpus, hasShared } from '../support/shared';
import { ingestPaths, type IngestSummary } from '../../lib/ingest';
import { rebuildSearchIndex, refreshSearchIndex } from '../../lib/search/indexer';
import { planThreads } from '../../lib/ingest/quotes';

type Store = SqliteStore<SqliteConnection>;

describe.skipIf(!hasShared)('quote links planned on a worker', () => {
  const stores: Store[] = [];
  const summaries: IngestSummary[] = [];
  beforeAll(async () => {
    for (const linkInWorker of [false, true]) {
      const store = await freshDatabase('sqlite');
      stores.push(store);
      summaries.push(await ingestPaths(store.writer, [corpus('notmuch-lkml'), corpus('ponymail')], { linkInWorker }));
    }
  }, 120_000);
  afterAll(async () => { for (const s of stores) await s.close(); });

  const links = (s: Store) => s.writer.prepare(`SELECT m.archiveId, q.segment, src.archiveId AS source, q.sourceStart, q.sourceEnd, q.match, q.score
    FROM "QuoteLink" q JOIN "Message" m ON m.id = q.messageId LEFT JOIN "Message" src ON src.id = q.sourceId ORDER BY m.archiveId, q.segment`).all();
  const ghosts = (s: Store) => s.writer.prepare(`SELECT m.archiveId, t.body, t.segmentsJson FROM "Message" m LEFT JOIN "MessageText" t ON t.messageId = m.id WHERE m.isGhost = 1 ORDER BY m.archiveId`).all();
  const hits = (s: Store, q: string) => s.writer.prepare(`SELECT rowid FROM message_fts WHERE message_fts MATCH ? ORDER BY rowid`).all(q);

  it('stores the same links and ghost text as linking inline', () => {
    const [inline, worker] = stores;
    expect(summaries[1].quoteLinks).toBe(summaries[0].quoteLinks);
    expect(summaries[0].quoteLinks).toBeGreaterThan(500);
    expect(links(worker)).toEqual(links(inline));
    expect(ghosts(worker)).toEqual(ghosts(inline));
    expect(summaries[1].ghostsRebuilt).toBe(summaries[0].ghostsRebuilt);
  });

  it('leaves every message indexed for search, ghosts with their rebuilt text included', () => {
    for (const s of stores) {
      expect(s.writer.prepare('SELECT count(*) AS n FROM search_queue').get()).toEqual({ n: 0 });
      expect(s.danglingReferences()).toEqual([]);
    }
    const [inline, worker] = stores;
    for (const q of ['quoted_text:wrote', 'maven', 'new_text:patch']) expect(hits(worker, q)).toEqual(hits(inline, q));
    expect(hits(worker, 'quoted_text:wrote').length).toBeGreaterThan(100);
    // Linking indexes the messages of its threads from the rows it read: the index must hold
    // exactly what the indexer makes from the stored rows (token counts per column and row).
    const indexed = (s: Store) => s.writer.prepare('SELECT id, sz FROM message_fts_docsize ORDER BY id').all();
    const linkedIndex = indexed(worker);
    expect(indexed(inline)).toEqual(linkedIndex);
    rebuildSearchIndex(worker.writer);
    expect(indexed(worker)).toEqual(linkedIndex);
  });

  it('plans index entries for the queued messages of a thread and for its ghosts', () => {
    const [store] = stores;
    const thread = store.writer.prepare(`SELECT threadId AS id FROM "Message" WHERE isGhost = 1 AND threadId IS NOT NULL
      GROUP BY threadId HAVING count(*) < (SELECT count(*) FROM "Message" m2 WHERE m2.threadId = "Message".threadId) LIMIT 1`).get() as { id: number };
    const members = store.writer.prepare('SELECT id, isGhost FROM "Message" WHERE threadId = ? ORDER BY id').all(thread.id) as Array<{ id: number; isGhost: number }>;
    const real = members.find((m) => !m.isGhost)!;
    store.writer.prepare('INSERT INTO search_queue (messageId) VALUES (?)').run(real.id);
    const plan = planThreads(store.writer, [thread.id]);
    const ghosts = members.filter((m) => m.isGhost).map((m) => m.id);
    expect(plan.index.map((e) => e.id).sort((a, b) => a - b)).toEqual([real.id, ...ghosts].sort((a, b) => a - b));
    expect(refreshSearchIndex(store.writer)).toBe(1);
  });
});
