import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { backend, freshDatabase } from '../support/db';
import { ingestBundled } from '../../lib/ingest/bundled';
import { ingestPaths } from '../../lib/ingest';
import { prepare } from '../../lib/db/connection';
import type { SqliteConnection } from '../../lib/db/sqlite';
import { indexMessages, indexPending, rebuildSearchIndex } from '../../lib/search/indexer';
import { bundledScenarios, hitIds, indexScenariosOf, refreshIndex, searchableBundle, searchIn, type Store } from './support';

const count = (store: Store, sql: string | { sqlite: string; postgresql: string }) => prepare<[], { n: number }>(store.writer, sql).get()!.n;
/** Queue entries: a message once on SQLite; on PostgreSQL an entry per change (its migration says why). */
const queued = (store: Store) => count(store, 'SELECT count(*) AS n FROM search_queue');
const indexedRows = (store: Store) => count(store, { sqlite: 'SELECT count(*) AS n FROM message_fts_docsize', postgresql: 'SELECT count(*) AS n FROM message_search' });
const messageCount = (store: Store) => count(store, 'SELECT count(*) AS n FROM "Message"');
/** The store's writer, where a test reads SQLite's own index (those tests skip on PostgreSQL). */
const sqliteOf = (store: Store) => store.writer as SqliteConnection;

describe('keeping the index in step', () => {
  let store: Store;
  beforeAll(async () => {
    store = await searchableBundle();
  });
  afterAll(() => store.close());

  const queries = ['VM_FAULT_NOPAGE', 'q:VM_FAULT_NOPAGE', 'f:piggin', 'dfb:VM_FAULT_NOPAGE'];
  const hitsOf = (qs: string[]) => Promise.all(qs.map((q) => hitIds(store, q)));

  it('indexes every message once, and re-ingest or re-indexing adds nothing', async () => {
    const before = await hitsOf(queries);
    expect(indexedRows(store)).toBe(messageCount(store));
    expect(queued(store)).toBe(0);
    await ingestBundled(store.writer);
    await refreshIndex(store);
    // Every message queued again, as a change to each would queue it.
    prepare(store.writer, 'INSERT INTO search_queue ("messageId") SELECT id FROM "Message"').run();
    expect(await refreshIndex(store)).toBe(messageCount(store));
    expect(indexedRows(store)).toBe(messageCount(store));
    expect(await hitsOf(queries)).toEqual(before);
    for (const ids of before) expect(new Set(ids).size).toBe(ids.length);
  });

  it.skipIf(backend === 'postgresql')('indexes given messages again in place, a message given twice once (indexMessages: SQLite\'s indexer)', async () => {
    const before = await hitsOf(queries);
    indexMessages(sqliteOf(store), prepare<[], { id: number }>(store.writer, 'SELECT id FROM "Message"').all().map((r) => r.id));
    indexMessages(sqliteOf(store), [1, 1, 2]);
    expect(indexedRows(store)).toBe(messageCount(store));
    expect(await hitsOf(queries)).toEqual(before);
  });

  it('queues a message when the text it is indexed by changes, not when threading moves it', async () => {
    store.writer.exec('UPDATE "Message" SET "threadOrder" = "threadOrder" + 0, depth = depth, "parentBy" = "parentBy"');
    store.writer.exec('UPDATE "Message" SET subject = subject; UPDATE "MessageText" SET body = body, "segmentsJson" = "segmentsJson"');
    expect(queued(store)).toBe(0);
    const { id } = prepare<[], { id: number }>(store.writer, `SELECT id FROM "Message" WHERE subject LIKE '%close page_mkwrite races%'`).get()!;
    prepare(store.writer, 'UPDATE "Message" SET subject = ? WHERE id = ?').run('[patch] mm: close page_mkwrite races (try 3, xylophone)', id);
    expect(queued(store)).toBe(1);
    expect(await hitIds(store, 's:xylophone')).toEqual([]);
    expect(await refreshIndex(store)).toBe(1);
    expect(await hitIds(store, 's:xylophone')).toHaveLength(1);
    expect(await hitIds(store, 's:"try 2"')).toEqual([]);
    // The body lives in "MessageText", with triggers of its own (a word of the same length: the segments stay true).
    prepare(store.writer, `UPDATE "MessageText" SET body = replace(body, 'page_mkwrite', 'zebrafinches') WHERE "messageId" = ?`).run(id);
    expect(queued(store)).toBe(1);
    expect(await refreshIndex(store)).toBe(1);
    expect(await hitIds(store, 'zebrafinches')).toEqual(await hitIds(store, 's:xylophone'));
  });

  it.skipIf(backend === 'postgresql')('turns FTS5 merging off for a bulk load and on again after it, or after a bulk load that crashed (SQLite\'s index)', async () => {
    const sqlite = sqliteOf(store);
    const automerge = () => (sqlite.prepare(`SELECT v FROM message_fts_config WHERE k = 'automerge'`).get() as { v: number } | undefined)?.v;
    const before = await hitIds(store, 'VM_FAULT_NOPAGE');
    // 6,000 queued ids with no message: indexing them only takes them off the queue.
    sqlite.exec('WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000) INSERT INTO search_queue (messageId) SELECT 1000000 + i FROM n');
    expect(indexPending(sqlite)).toBe(500);
    expect(automerge()).toBe(0);
    expect(await refreshIndex(store)).toBe(5500);
    expect(automerge()).not.toBe(0);
    sqlite.exec(`INSERT INTO message_fts (message_fts, rank) VALUES ('automerge', 0)`); // as a crash would leave it
    expect(await refreshIndex(store)).toBe(0);
    expect(automerge()).not.toBe(0);
    expect(queued(store)).toBe(0);
    expect(await hitIds(store, 'VM_FAULT_NOPAGE')).toEqual(before);
  });

  it('drops a deleted message from the index', async () => {
    const row = prepare<[], { id: number }>(store.writer, `SELECT id FROM "Message" WHERE subject LIKE '%xylophone%'`).get()!;
    prepare(store.writer, 'DELETE FROM "Message" WHERE id = ?').run(row.id);
    await refreshIndex(store);
    expect(await hitIds(store, 's:xylophone')).toEqual([]);
    expect(indexedRows(store)).toBe(messageCount(store));
  });

  it.skipIf(backend === 'postgresql')('rebuilds to the same answers as kept up incrementally (rebuildSearchIndex: SQLite\'s indexer)', async () => {
    const queries = ['VM_FAULT_NOPAGE', 'q:VM_FAULT_NOPAGE -btrfs', 'f:piggin d:2009'];
    const before = await hitsOf(queries);
    expect(rebuildSearchIndex(sqliteOf(store))).toBe(messageCount(store));
    expect(await hitsOf(queries)).toEqual(before);
  });

  it('indexes claims added, changed and removed', async () => {
    // SQLite's triggers index a claim as it is written; PostgreSQL's queue it for the indexer
    // (its search migration says why), which ingest and the site run: refreshIndex() here.
    const { id: seed } = prepare<[], { id: number }>(store.writer, `SELECT id FROM "Message" WHERE "fromAddress" = 'npiggin@gmail.com'`).get()!;
    const insert = prepare<unknown[], { id: number }>(store.writer, `INSERT INTO "Claim" (key, "messageId", exact, start, "end", "anchorScore", claimant, statement, kind, verdict, source)
      VALUES (?, ?, ?, 0, 10, 1, ?, ?, 'rule', 'supported', 'test') RETURNING id`);
    const { id } = insert.get('test#zero', seed, '0 has always meant minor fault', 'Nick Piggin', 'Returning zero from page_mkwrite is a minor fault, and the VM installs the page')!;
    await refreshIndex(store);
    const keys = async (q: string) => (await searchIn(store, q)).claims.hits.map((c) => c.key);
    expect(await keys('installs')).toContain('test#zero');
    expect(await keys('f:piggin installs')).toContain('test#zero');
    expect(await keys('q:"always meant"')).toContain('test#zero');
    expect(await keys('q:installs')).not.toContain('test#zero');
    const hit = (await searchIn(store, 'installs minor')).claims.hits.find((c) => c.key === 'test#zero')!;
    expect(hit.statement.filter((p) => p.hit).map((p) => p.text)).toEqual(['minor', 'installs']);
    expect(hit.href).toMatch(/^\/ocfs2-devel\/[0-9a-f]{32}@archive\.invalid\/\?q=/);
    prepare(store.writer, 'UPDATE "Claim" SET statement = ? WHERE id = ?').run('Zero means the filesystem satisfied the fault without IO', id);
    await refreshIndex(store);
    expect(await keys('installs')).not.toContain('test#zero');
    expect(await keys('satisfied')).toContain('test#zero');
    prepare(store.writer, 'DELETE FROM "Claim" WHERE id = ?').run(id);
    await refreshIndex(store);
    expect(await keys('satisfied')).not.toContain('test#zero');
  });

  it('replaces the indexed scenarios with the ones given', async () => {
    const ids = async (q: string) => (await searchIn(store, q)).scenarios.hits.map((s) => s.id);
    expect(await ids('NOPAGE')).toContain('seed-nopage-retry');
    await indexScenariosOf(store, bundledScenarios().filter((s) => s.id !== 'seed-nopage-retry'));
    expect(await ids('NOPAGE')).not.toContain('seed-nopage-retry');
    expect((await ids('NOPAGE')).length).toBeGreaterThan(0);
  });
});

describe('a ghost made real', () => {
  let store: Store;
  let dir: string;
  const eml = (name: string, text: string) => {
    fs.writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };
  beforeAll(async () => {
    store = await freshDatabase();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadlab-ghost-'));
  });
  afterAll(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is replaced in the index by the message, under the same row', async () => {
    const reply = eml('reply.eml', `From: B <b@example.org>\nSubject: Re: walrus\nDate: Tue, 2 Feb 2021 10:00:00 +0000\nMessage-ID: <b@example.org>\nIn-Reply-To: <a@example.org>\n\nOn Mon, A wrote:\n> the walrus quoted here\n\nnarwhal reply text\n`);
    // Two replies to a message not in the archive: threading keeps a ghost for it.
    const another = eml('another.eml', `From: C <c@example.org>\nSubject: Re: walrus\nDate: Tue, 2 Feb 2021 11:00:00 +0000\nMessage-ID: <c@example.org>\nIn-Reply-To: <a@example.org>\n\nagreed\n`);
    await ingestPaths(store.writer, [reply, another], { list: 'test' });
    await refreshIndex(store);
    const ghost = prepare<[], { id: number; isGhost: number }>(store.writer, `SELECT id, "isGhost" FROM "Message" WHERE "archiveId" = 'a@example.org'`).get()!;
    expect(ghost.isGhost).toBe(1);
    expect(await hitIds(store, 'mid:a@example.org')).toEqual(['a@example.org']);

    const original = eml('original.eml', `From: A <a@example.org>\nSubject: walrus\nDate: Mon, 1 Feb 2021 10:00:00 +0000\nMessage-ID: <a@example.org>\n\nthe walrus quoted here\nand a dugong besides\n`);
    await ingestPaths(store.writer, [original], { list: 'test' });
    await refreshIndex(store);
    const real = prepare(store.writer, `SELECT id, "isGhost" FROM "Message" WHERE "archiveId" = 'a@example.org'`).get();
    expect(real).toEqual({ id: ghost.id, isGhost: 0 });
    expect(await hitIds(store, 'dugong')).toEqual(['a@example.org']);
    expect(await hitIds(store, 'nq:walrus')).toEqual(['a@example.org']);
    expect(await hitIds(store, 'q:walrus')).toEqual(['b@example.org']);
    expect(await hitIds(store, 'f:a@example.org')).toEqual(['a@example.org']);
    expect(indexedRows(store)).toBe(messageCount(store));
  });
});

describe('ranking', () => {
  let store: Store;
  beforeAll(async () => {
    store = await freshDatabase();
    const message = prepare<[string, string, string], { id: number }>(store.writer, `INSERT INTO "Message" ("archiveId", "idKind", subject, date) VALUES (?, 'header', ?, ?) RETURNING id`);
    const text = prepare(store.writer, 'INSERT INTO "MessageText" ("messageId", body) VALUES (?, ?)');
    const insert = (archiveId: string, subject: string, body: string, date: string) => text.run(message.get(archiveId, subject, date)!.id, body);
    insert('subject@example.org', 'quokka sightings', 'nothing to report about the animals today, sorry', '2020-01-01T00:00:00.000+00:00');
    insert('body@example.org', 'island sightings', 'a quokka was seen near the river today, nothing more', '2020-01-02T00:00:00.000+00:00');
    await refreshIndex(store);
  });
  afterAll(() => store.close());

  it('puts a match in the subject above a match in the body', async () => {
    expect(await hitIds(store, 'quokka')).toEqual(['subject@example.org', 'body@example.org']);
    const scores = (await searchIn(store, 'quokka')).messages.hits.flatMap((t) => t.hits.map((h) => h.score!));
    expect(scores[0]).toBeGreaterThan(scores[1]);
    expect(await hitIds(store, 'quokka', { sort: 'date' })).toEqual(['body@example.org', 'subject@example.org']);
  });
});
