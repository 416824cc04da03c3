import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it, expect, afterAll } from 'vitest';
import { migrateDeploy } from '../../lib/db/migrate';
import { openSqlite } from '../../lib/db/sqlite';
import { refreshSearchIndex } from '../../lib/search/indexer';
import { search } from '../../lib/search/sqlite/search';
import { messageHits } from '../search/support';
import { storeSegments } from '../../lib/quote/stored';

// Bodies moved from "Message" to "MessageText" (migration 20261125110000).
// A database an older release filled must keep every text, and its search.
describe('moving message text to its own table', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadlab-text-'));
  const url = `file:${path.join(dir, 'old.db')}`;
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps the text of messages and ghosts, and the index in step with it', async () => {
    await migrateDeploy(url, { through: '20261125100000_link_queue' });
    const old = openSqlite(url);
    const insert = old.prepare(`INSERT INTO "Message" (archiveId, idKind, isGhost, subject, body, segmentsJson) VALUES (?, ?, ?, ?, ?, ?)`);
    const segments = storeSegments([{ kind: 'new', start: 0, end: 27, depth: 0 }]);
    insert.run('real@x', 'header', 0, 'about wombats', 'wombats dig burrows at dusk', segments);
    insert.run('quoted@x', 'ghost', 1, '', 'what the quotes said of it', '[]');
    insert.run('unseen@x', 'ghost', 1, '', '', '[]');
    old.close();

    expect(await migrateDeploy(url)).toContain('20261125110000_message_text');
    const db = openSqlite(url);
    try {
      const texts = db.prepare('SELECT m.archiveId, t.body, t.segmentsJson FROM "MessageText" t JOIN "Message" m ON m.id = t.messageId ORDER BY m.archiveId').all();
      expect(texts).toEqual([
        { archiveId: 'quoted@x', body: 'what the quotes said of it', segmentsJson: '[]' },
        { archiveId: 'real@x', body: 'wombats dig burrows at dusk', segmentsJson: segments },
      ]);
      const columns = (db.prepare(`SELECT name FROM pragma_table_info('Message')`).all() as Array<{ name: string }>).map((c) => c.name);
      expect(columns).not.toContain('body');
      expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);

      refreshSearchIndex(db);
      const hits = () => messageHits(search(db, 'burrows'));
      expect(hits()).toEqual(['real@x']);
      // A text rewritten after the move is queued and indexed again.
      db.prepare(`UPDATE "MessageText" SET body = 'wombats sleep in tunnels all day' WHERE messageId = (SELECT id FROM "Message" WHERE archiveId = 'real@x')`).run();
      refreshSearchIndex(db);
      expect(hits()).toEqual([]);
    } finally {
      db.close();
    }
  });
});
