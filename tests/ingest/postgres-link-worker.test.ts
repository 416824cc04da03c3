// On PostgreSQL too, quote linking planned on a worker (its own connection, reading
// what the writer committed) must store exactly what linking on the writer's thread
// stores, and leave every message indexed for search.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type Store } from '../support/db';
import { postgresSkipped, postgresUrl } from '../support/postgres';
import { corpus, hasShared } from '../support/shared';
import { ingestPaths, type IngestSummary } from '../../lib/ingest';
import { prepare } from '../../lib/db/connection';

describe.skipIf(!hasShared || !postgresUrl)(`quote links planned on a worker, on PostgreSQL${postgresSkipped ? ` (${postgresSkipped})` : ''}`, () => {
  const stores: Store[] = [];
  const summaries: IngestSummary[] = [];
  beforeAll(async () => {
    for (const linkInWorker of [false, true]) {
      const store = await freshDatabase('postgresql');
      stores.push(store);
      summaries.push(await ingestPaths(store.writer, [corpus('notmuch-lkml'), corpus('ponymail')], { linkInWorker }));
    }
  }, 300_000);
  afterAll(async () => { for (const s of stores) await s.close(); });

  const read = (s: Store, sql: string) => prepare(s.writer, sql).all();
  const links = (s: Store) => read(s, `SELECT m."archiveId", q.segment, src."archiveId" AS source, q."sourceStart", q."sourceEnd", q.match, q.score
    FROM "QuoteLink" q JOIN "Message" m ON m.id = q."messageId" LEFT JOIN "Message" src ON src.id = q."sourceId" ORDER BY m."archiveId", q.segment`);
  const ghosts = (s: Store) => read(s, `SELECT m."archiveId", t.body, t."segmentsJson" FROM "Message" m LEFT JOIN "MessageText" t ON t."messageId" = m.id WHERE m."isGhost" ORDER BY m."archiveId"`);

  it('stores the same links and ghost text as linking inline', () => {
    const [inline, worker] = stores as [Store, Store];
    expect(summaries[0]!.quoteLinks).toBeGreaterThan(500);
    expect(summaries[1]!.quoteLinks).toBe(summaries[0]!.quoteLinks);
    expect(summaries[1]!.ghostsRebuilt).toBe(summaries[0]!.ghostsRebuilt);
    expect(links(worker)).toEqual(links(inline));
    expect(ghosts(worker)).toEqual(ghosts(inline));
  });

  it('leaves every message indexed and nothing queued', () => {
    for (const s of stores) {
      expect(read(s, 'SELECT count(*) AS n FROM search_queue')).toEqual([{ n: 0 }]);
      expect(read(s, 'SELECT (SELECT count(*) FROM message_search) - (SELECT count(*) FROM "Message") AS missing')).toEqual([{ missing: 0 }]);
      expect(s.danglingReferences()).toEqual([]);
    }
  });
});
