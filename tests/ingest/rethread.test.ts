// Re-threading reads the attributions ingest stored with each body's segments instead of
// parsing the bodies again; rows stored before segments carried what threading needs (or
// never segmented) are parsed as before, and thread the same.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freshDatabase } from '../support/db';
import { prepare } from '../../lib/db/connection';
import { bundledMailDir } from '../../lib/ingest/bundled';
import { ingestPaths } from '../../lib/ingest';
import { rethread } from '../../lib/ingest/rethread';
import { findAttributions } from '../../lib/quote/find-attributions';

vi.mock('../../lib/quote/find-attributions', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../lib/quote/find-attributions')>();
  return { ...actual, findAttributions: vi.fn(actual.findAttributions) };
});

describe('re-threading', () => {
  let store: Awaited<ReturnType<typeof freshDatabase>>;
  /** Where every message sits, by archive id: parent, how it was found, depth, order, thread root. */
  const placement = () =>
    prepare(
      store.writer,
      `SELECT m."archiveId", p."archiveId" AS parent, m."parentBy", m.depth, m."threadOrder", t."rootArchiveId" AS root
       FROM "Message" m LEFT JOIN "Message" p ON p.id = m."parentId" LEFT JOIN "Thread" t ON t.id = m."threadId" ORDER BY m."archiveId"`,
    ).all();
  let threaded: unknown[];

  beforeAll(async () => {
    store = await freshDatabase();
    for (const list of ['linux-kernel', 'linux-mm', 'ocfs2-devel']) await ingestPaths(store.writer, [path.join(bundledMailDir, list)], { list });
    threaded = placement();
  });
  afterAll(() => store.close());

  it('parses no body when the stored segments carry the attributions', () => {
    // The seed (a pipermail page: no reply headers) has its parent by attribution, a ghost.
    expect(threaded).toContainEqual(expect.objectContaining({ parentBy: 'attribution', parent: expect.stringMatching(/^ghost:/) }));
    vi.mocked(findAttributions).mockClear();
    rethread(store.writer);
    expect(findAttributions).not.toHaveBeenCalled();
    expect(placement()).toEqual(threaded);
  });

  it('parses the bodies of rows stored before, and threads them the same', () => {
    const texts = prepare<[], { messageId: number; segmentsJson: string }>(store.writer, 'SELECT "messageId", "segmentsJson" FROM "MessageText"').all();
    const update = prepare(store.writer, 'UPDATE "MessageText" SET "segmentsJson" = ? WHERE "messageId" = ?');
    // The stored form before: attributions without their parsed date and quote form.
    for (const t of texts) {
      const old = (JSON.parse(t.segmentsJson) as unknown[][]).map((s) => s.slice(0, s[0] === 'attribution' ? 7 : 4));
      update.run(JSON.stringify(old), t.messageId);
    }
    vi.mocked(findAttributions).mockClear();
    rethread(store.writer);
    expect(findAttributions).toHaveBeenCalled();
    expect(placement()).toEqual(threaded);

    // Mail stored before segmentation existed.
    for (const t of texts) update.run('[]', t.messageId);
    rethread(store.writer);
    expect(placement()).toEqual(threaded);
  });
});
