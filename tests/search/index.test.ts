import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { freshDatabase } from '../support/db';
import { ingestBundled } from '../../lib/ingest/bundled';
import { ingestPaths } from '../../lib/ingest';
import { indexMessages, indexPending, indexScenarios, rebuildSearchIndex, refreshSearchIndex } from '../../lib/search/indexer';
import { search } from '../../lib/search/sqlite/search';
import { bundledScenarios, hitIds, searchableBundle, type Store } from './support';

const queued = (store: Store) => (store.writer.prepare('SELECT count(*) AS n FROM search_queue').get() as { n: number }).n;
const indexedRows = (store: Store) => (store.writer.prepare('SELECT count(*) AS n FROM message_fts_docsize').get() as { n: number }).n;
const messageCount = (store: Store) => (store.writer.prepare('SELECT count(*) AS n FROM "Message"').get() as { n: number }).n;

describe('keeping the index in step', () => {
  let store: Store;
  beforeAll(async () => {
    store = await searchableBundle();
  });
  afterAll(() => store.close());

  it('indexes every message once, and re-ingest or re-indexing adds nothing', async () => {
    const queries = ['VM_FAULT_NOPAGE', 'q:VM_FAULT_NOPAGE', 'f:piggin', 'dfb:VM_FAULT_NOPAGE'];
    const before = queries.map((q) => hitIds(store.writer, q));
    expect(indexedRows(store)).toBe(messageCount(store));
    expect(queued(store)).toBe(0);
    await ingestBundled(store.writer);
    refreshSearchIndex(store.writer);
    indexMessages(store.writer, (store.writer.prepare('SELECT id FROM "Message"').all() as Array<{ id: number }>).map((r) => r.id));
    indexMessages(store.writer, [1, 1, 2]);
    expect(indexedRows(store)).toBe(messageCount(store));
    expect(queries.map((q) => hitIds(store.writer, q))).toEqual(before);
    for (const ids of before) expect(new Set(ids).size).toBe(ids.length);
  });

  it('queues a message when the text it is indexed by changes, not when threading moves it', () => {
    store.writer.exec('UPDATE "Message" SET threadOrder = threadOrder + 0, depth = depth, parentBy = parentBy');
    store.writer.exec('UPDATE "Message" SET subject = subject; UPDATE "MessageText" SET body = body, segmentsJson = segmentsJson');
    expect(queued(store)).toBe(0);
    const id = (store.writer.prepare(`SELECT id FROM "Message" WHERE subject LIKE '%close page_mkwrite races%'`).get() as { id: number }).id;
    store.writer.prepare('UPDATE "Message" SET subject = ? WHERE id = ?').run('[patch] mm: close page_mkwrite races (try 3, xylophone)', id);
    expect(queued(store)).toBe(1);
    expect(hitIds(store.writer, 's:xylophone')).toEqual([]);
    expect(refreshSearchIndex(store.writer)).toBe(1);
    expect(hitIds(store.writer, 's:xylophone')).toHaveLength(1);
    expect(hitIds(store.writer, 's:"try 2"')).toEqual([]);
    // The body lives in "MessageText", with triggers of its own (a word of the same length: the segments stay true).
    store.writer.prepare(`UPDATE "MessageText" SET body = replace(body, 'page_mkwrite', 'zebrafinches') WHERE messageId = ?`).run(id);
    expect(queued(store)).toBe(1);
    expect(refreshSearchIndex(store.writer)).toBe(1);
    expect(hitIds(store.writer, 'zebrafinches')).toEqual(hitIds(store.writer, 's:xylophone'));
  });

  it('turns FTS5 merging off for a bulk load and on again after it, or after a bulk load that crashed', () => {
    const automerge = () => (store.writer.prepare(`SELECT v FROM message_fts_config WHERE k = 'automerge'`).get() as { v: number } | undefined)?.v;
    const before = hitIds(store.writer, 'VM_FAULT_NOPAGE');
    // 6,000 queued ids with no message: indexing them only takes them off the queue.
    store.writer.exec('WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000) INSERT INTO search_queue (messageId) SELECT 1000000 + i FROM n');
    expect(indexPending(store.writer)).toBe(500);
    expect(automerge()).toBe(0);
    expect(refreshSearchIndex(store.writer)).toBe(5500);
    expect(automerge()).not.toBe(0);
    store.writer.exec(`INSERT INTO message_fts (message_fts, rank) VALUES ('automerge', 0)`); // as a crash would leave it
    expect(refreshSearchIndex(store.writer)).toBe(0);
    expect(automerge()).not.toBe(0);
    expect(queued(store)).toBe(0);
    expect(hitIds(store.writer, 'VM_FAULT_NOPAGE')).toEqual(before);
  });

  it('drops a deleted message from the index', () => {
    const row = store.writer.prepare(`SELECT id, archiveId FROM "Message" WHERE subject LIKE '%xylophone%'`).get() as { id: number; archiveId: string };
    store.writer.prepare('DELETE FROM "Message" WHERE id = ?').run(row.id);
    refreshSearchIndex(store.writer);
    expect(hitIds(store.writer, 's:xylophone')).toEqual([]);
    expect(indexedRows(store)).toBe(messageCount(store));
  });

  it('rebuilds to the same answers as kept up incrementally', () => {
    const queries = ['VM_FAULT_NOPAGE', 'q:VM_FAULT_NOPAGE -btrfs', 'f:piggin d:2009'];
    const before = queries.map((q) => hitIds(store.writer, q));
    expect(rebuildSearchIndex(store.writer)).toBe(messageCount(store));
    expect(queries.map((q) => hitIds(store.writer, q))).toEqual(before);
  });

  it('indexes claims through their triggers: added, changed and removed', () => {
    const seed = (store.writer.prepare(`SELECT id FROM "Message" WHERE fromAddress = 'npiggin@gmail.com'`).get() as { id: number }).id;
    const insert = store.writer.prepare(`INSERT INTO "Claim" (key, messageId, exact, start, "end", anchorScore, claimant, statement, kind, verdict, source)
      VALUES (?, ?, ?, 0, 10, 1, ?, ?, 'rule', 'supported', 'test')`);
    const id = Number(insert.run('test#zero', seed, '0 has always meant minor fault', 'Nick Piggin', 'Returning zero from page_mkwrite is a minor fault, and the VM installs the page').lastInsertRowid);
    const keys = (q: string) => search(store.writer, q).claims.hits.map((c) => c.key);
    expect(keys('installs')).toContain('test#zero');
    expect(keys('f:piggin installs')).toContain('test#zero');
    expect(keys('q:"always meant"')).toContain('test#zero');
    expect(keys('q:installs')).not.toContain('test#zero');
    const hit = search(store.writer, 'installs minor').claims.hits.find((c) => c.key === 'test#zero')!;
    expect(hit.statement.filter((p) => p.hit).map((p) => p.text)).toEqual(['minor', 'installs']);
    expect(hit.href).toMatch(/^\/ocfs2-devel\/[0-9a-f]{32}@archive\.invalid\/\?q=/);
    store.writer.prepare('UPDATE "Claim" SET statement = ? WHERE id = ?').run('Zero means the filesystem satisfied the fault without IO', id);
    expect(keys('installs')).not.toContain('test#zero');
    expect(keys('satisfied')).toContain('test#zero');
    store.writer.prepare('DELETE FROM "Claim" WHERE id = ?').run(id);
    expect(keys('satisfied')).not.toContain('test#zero');
  });

  it('replaces the indexed scenarios with the ones given', () => {
    const ids = (q: string) => search(store.writer, q).scenarios.hits.map((s) => s.id);
    expect(ids('NOPAGE')).toContain('seed-nopage-retry');
    indexScenarios(store.writer, bundledScenarios().filter((s) => s.id !== 'seed-nopage-retry'));
    expect(ids('NOPAGE')).not.toContain('seed-nopage-retry');
    expect(ids('NOPAGE').length).toBeGreaterThan(0);
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
    refreshSearchIndex(store.writer);
    const ghost = store.writer.prepare(`SELECT id, isGhost FROM "Message" WHERE archiveId = 'a@example.org'`).get() as { id: number; isGhost: number };
    expect(ghost.isGhost).toBe(1);
    expect(hitIds(store.writer, 'mid:a@example.org')).toEqual(['a@example.org']);

    const original = eml('original.eml', `From: A <a@example.org>\nSubject: walrus\nDate: Mon, 1 Feb 2021 10:00:00 +0000\nMessage-ID: <a@example.org>\n\nthe walrus quoted here\nand a dugong besides\n`);
    await ingestPaths(store.writer, [original], { list: 'test' });
    refreshSearchIndex(store.writer);
    const real = store.writer.prepare(`SELECT id, isGhost FROM "Message" WHERE archiveId = 'a@example.org'`).get() as { id: number; isGhost: number };
    expect(real).toEqual({ id: ghost.id, isGhost: 0 });
    expect(hitIds(store.writer, 'dugong')).toEqual(['a@example.org']);
    expect(hitIds(store.writer, 'nq:walrus')).toEqual(['a@example.org']);
    expect(hitIds(store.writer, 'q:walrus')).toEqual(['b@example.org']);
    expect(hitIds(store.writer, 'f:a@example.org')).toEqual(['a@example.org']);
    expect(indexedRows(store)).toBe(messageCount(store));
  });
});

describe('ranking', () => {
  let store: Store;
  beforeAll(async () => {
    store = await freshDatabase();
    const message = store.writer.prepare(`INSERT INTO "Message" (archiveId, idKind, subject, date) VALUES (?, 'header', ?, ?)`);
    const text = store.writer.prepare('INSERT INTO "MessageText" (messageId, body) VALUES (?, ?)');
    const insert = (archiveId: string, subject: string, body: string, date: string) => text.run(message.run(archiveId, subject, date).lastInsertRowid, body);
    insert('subject@example.org', 'quokka sightings', 'nothing to report about the animals today, sorry', '2020-01-01T00:00:00.000+00:00');
    insert('body@example.org', 'island sightings', 'a quokka was seen near the river today, nothing more', '2020-01-02T00:00:00.000+00:00');
    refreshSearchIndex(store.writer);
  });
  afterAll(() => store.close());

  it('puts a match in the subject above a match in the body', () => {
    expect(hitIds(store.writer, 'quokka')).toEqual(['subject@example.org', 'body@example.org']);
    const scores = search(store.writer, 'quokka').messages.hits.flatMap((t) => t.hits.map((h) => h.score!));
    expect(scores[0]).toBeGreaterThan(scores[1]);
    expect(hitIds(store.writer, 'quokka', { sort: 'date' })).toEqual(['body@example.org', 'subject@example.org']);
  });
});
