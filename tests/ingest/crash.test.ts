// A crash after a batch is stored but before its threads are linked: the next
// ingest of the same files adds nothing, yet must finish the linking.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type Store } from '../support/db';
import { prepare } from '../../lib/db/connection';
import { bundledMailDir } from '../../lib/ingest/bundled';
import { ingestPaths } from '../../lib/ingest';
import { createDecodePool, decodeInOrder } from '../../lib/ingest/decode-pool';
import { storeBatch, type Incoming } from '../../lib/ingest/store';
import { readArchive } from '../../lib/mail';
import { MalformedMessage } from '../../lib/mail/types';


const links = (s: Store) => prepare(s.writer, `SELECT m."archiveId", q.segment, src."archiveId" AS source, q."sourceStart", q."sourceEnd", q.match
  FROM "QuoteLink" q JOIN "Message" m ON m.id = q."messageId" LEFT JOIN "Message" src ON src.id = q."sourceId" ORDER BY m."archiveId", q.segment`).all();
const ghosts = (s: Store) => prepare(s.writer, 'SELECT m."archiveId", t.body FROM "Message" m LEFT JOIN "MessageText" t ON t."messageId" = m.id WHERE m."isGhost" ORDER BY m."archiveId"').all();
const storedMessages = (s: Store) => prepare<[], { n: number }>(s.writer, 'SELECT count(*) AS n FROM "Message" WHERE NOT "isGhost"').get()!.n;
const queued = (s: Store) => prepare(s.writer, 'SELECT count(*) AS n FROM "LinkQueue"').get();

describe('an ingest that crashed between storing and linking', () => {
  let clean: Store;
  let crashed: Store;
  beforeAll(async () => {
    clean = await freshDatabase();
    await ingestPaths(clean.writer, [bundledMailDir]);

    // What ingestPaths does up to the crash: every batch decoded and stored, nothing after.
    crashed = await freshDatabase();
    const pool = await createDecodePool({ threads: 1 });
    const batch: Incoming[] = [];
    try {
      for await (const d of decodeInOrder(readArchive(bundledMailDir, { onError: () => {} }), pool)) if (!(d instanceof MalformedMessage)) batch.push({ ...d, list: d.parsed.listHint ?? 'bundled' });
    } finally {
      await pool.close();
    }
    storeBatch(crashed.writer, batch);
  });
  afterAll(async () => {
    await clean.close();
    await crashed.close();
  });

  it('is linked by the next ingest, which adds nothing, as if it had not crashed', async () => {
    expect(queued(crashed)).toEqual({ n: storedMessages(crashed) });
    expect(links(crashed)).toEqual([]);
    const rerun = await ingestPaths(crashed.writer, [bundledMailDir]);
    expect(rerun.added).toBe(0);
    expect(links(clean).length).toBeGreaterThan(10);
    expect(links(crashed)).toEqual(links(clean));
    expect(ghosts(crashed)).toEqual(ghosts(clean));
    for (const s of [clean, crashed]) expect(queued(s)).toEqual({ n: 0 });
  });
});
