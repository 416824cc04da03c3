// A sync adds a few messages to a large archive by threading and linking only what
// they touch (rethreadQueued, planThread's relinked set). What it stores must be what
// ingesting everything at once stores: threads, parents, order, ghosts, quote links
// and the lists of threads. On the real lkml Maildir, fed in a shuffled order so that
// replies arrive before their parents.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { freshDatabase } from '../support/db';
import { hasShared, corpus } from '../support/shared';
import { ingestPaths } from '../../lib/ingest';
import type { SqliteConnection } from '../../lib/db/sqlite';

type Store = Awaited<ReturnType<typeof freshDatabase>>;

/** Everything threading and linking decided, by archive ids (row ids differ between the two databases). */
function threading(db: SqliteConnection) {
  const messages = db.prepare(`SELECT m.archiveId, m.isGhost, r.rootArchiveId AS root, p.archiveId AS parent, m.parentBy, m.depth, m.threadOrder, coalesce(x.body, '') AS ghostText
    FROM "Message" m LEFT JOIN "Thread" r ON r.id = m.threadId LEFT JOIN "Message" p ON p.id = m.parentId
    LEFT JOIN "MessageText" x ON x.messageId = m.id AND m.isGhost = 1 ORDER BY m.archiveId`).all();
  const threads = db.prepare('SELECT rootArchiveId, subject, messageCount, firstDate, lastDate FROM "Thread" ORDER BY rootArchiveId').all();
  const links = db.prepare(`SELECT m.archiveId AS message, q.segment, s.archiveId AS source, q.sourceStart, q.sourceEnd, q.match, q.score
    FROM "QuoteLink" q JOIN "Message" m ON m.id = q.messageId LEFT JOIN "Message" s ON s.id = q.sourceId ORDER BY m.archiveId, q.segment`).all();
  const lists = db.prepare(`SELECT t.rootArchiveId, l.name FROM "ThreadList" tl JOIN "Thread" t ON t.id = tl.threadId JOIN "List" l ON l.id = tl.listId ORDER BY 1, 2`).all();
  return { messages, threads, links, lists };
}

describe.skipIf(!hasShared)('a sync that threads only what new mail touches', () => {
  let whole: Store;
  let synced: Store;
  let dir: string;
  let files: string[];
  beforeAll(async () => {
    whole = await freshDatabase();
    synced = await freshDatabase();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadlab-incr-'));
    const source = corpus('notmuch-lkml', 'cur');
    // A fixed shuffle: each file's place from a hash of its name.
    const hash = (s: string) => [...s].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
    files = fs.readdirSync(source).sort((a, b) => hash(a) - hash(b) || a.localeCompare(b)).map((f) => path.join(source, f));
    fs.mkdirSync(path.join(dir, 'lkml', 'cur'), { recursive: true });
  });
  afterAll(async () => {
    await whole?.close();
    await synced?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const deliver = (batch: string[]) => {
    for (const f of batch) fs.copyFileSync(f, path.join(dir, 'lkml', 'cur', path.basename(f)));
  };

  it('stores what one ingest of everything stores', async () => {
    const first = Math.floor(files.length * 0.8);
    deliver(files.slice(0, first));
    await ingestPaths(synced.writer, [path.join(dir, 'lkml')]);
    // The rest in small steps, each read as a sync reads it.
    const steps: Array<string | undefined> = [];
    for (let i = first; i < files.length; i += 7) {
      deliver(files.slice(i, i + 7));
      const s = await ingestPaths(synced.writer, [path.join(dir, 'lkml')]);
      expect(s.seen).toBe(Math.min(7, files.length - i));
      steps.push(s.threading);
    }
    expect(steps.filter((t) => t === 'touched').length).toBeGreaterThan(0);
    await ingestPaths(whole.writer, [path.join(dir, 'lkml')]);
    const a = threading(whole.writer);
    const b = threading(synced.writer);


    expect(b.threads).toEqual(a.threads);
    expect(b.messages).toEqual(a.messages);
    expect(b.links).toEqual(a.links);
    expect(b.lists).toEqual(a.lists);
    expect(synced.danglingReferences()).toEqual([]);
  });
});
