import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { freshDatabase, type Store } from '../support/db';
import type { SqliteConnection } from '../../lib/db/sqlite';
import { insertNew } from '../../lib/db/connection';

// Ingest inserts with OR IGNORE (see insertNew): an ignored row must still fail loudly.
describe('insertNew', () => {
  let store: Store<SqliteConnection>;
  beforeAll(async () => {
    store = await freshDatabase('sqlite');
  });
  afterAll(() => store.close());

  it('returns the new row id, and throws when the row was ignored', () => {
    const insert = store.writer.prepare(`INSERT OR IGNORE INTO "Message" (archiveId, idKind) VALUES (?, 'header')`);
    const id = insertNew(insert, 'once@example.org');
    expect(store.writer.prepare('SELECT archiveId FROM "Message" WHERE id = ?').get(id)).toEqual({ archiveId: 'once@example.org' });
    expect(() => insertNew(insert, 'once@example.org')).toThrow(/row not inserted/);
    // The search trigger still queued the one row.
    expect(store.writer.prepare('SELECT messageId FROM search_queue').all()).toEqual([{ messageId: id }]);
  });

  it('takes only INSERT OR IGNORE statements', () => {
    const plain = store.writer.prepare(`INSERT INTO "Message" (archiveId, idKind) VALUES (?, 'header')`);
    expect(() => insertNew(plain, 'plain@example.org')).toThrow(/needs an INSERT OR IGNORE/);
  });
});
