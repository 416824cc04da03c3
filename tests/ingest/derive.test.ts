// Quote linking planned on a worker (while the main thread indexes for search)
// must store exactly what linking on the main thread stores.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../support/db';
import { corpus, hasShared } from '../support/shared';
import { ingestPaths, type IngestSummary } from '../../lib/ingest';

type Store = Awaited<ReturnType<typeof freshDatabase>>;

describe.skipIf(!hasShared)('quote links planned on a worker', () => {
  const stores: Store[] = [];
  const summaries: IngestSummary[] = [];
  beforeAll(async () => {
    for (const linkInWorker of [false, true]) {
      const store = await freshDatabase();
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
  });
});
