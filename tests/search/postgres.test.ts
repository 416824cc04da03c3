// Search on PostgreSQL answers as search on SQLite does. Each archive the
// search tests search is ingested into SQLite, copied into PostgreSQL as
// db:copy copies it and indexed there; then every query those tests run is
// run on both, sorted both ways, over all pages: the same totals, the same
// hits (the same order, newest first), the same threads, snippets and links.
//
// Where the two legitimately differ: best-match order. SQLite ranks by FTS5's
// BM25, PostgreSQL by ts_rank with the fields' weight classes
// (lib/db/postgres-tsvector.ts), so in relevance order, and for
// scenarios (always ranked), the hits are compared as sets, and scores not at
// all. The words are the same on both: PostgreSQL's index holds the words our
// tokenizer makes, FTS5's rules.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { freshDatabase } from '../support/db';
import { corpus, hasShared } from '../support/shared';
import { postgresSkipped, postgresUrl } from '../support/postgres';
import { ingestPaths } from '../../lib/ingest';
import { refreshSearchIndex } from '../../lib/search/indexer';
import { search } from '../../lib/search/sqlite/search';
import type { ClaimHit, MessageHit, ScenarioHit, SearchOptions, SearchResults, ThreadGroup } from '../../lib/search/search';
import { searchPostgres } from '../../lib/search/postgres/search';
import * as postgres from '../../lib/search/postgres/indexer';
import { PREFIXES } from '../../lib/search/prefixes';
import { QuerySyntaxError } from '../../lib/search/query/ast';
import { bundledScenarios, onPostgres, searchableBundle, type PostgresStore, type Store as AnyStore } from './support';
import type { SqliteConnection } from '../../lib/db/sqlite';

type Store = AnyStore<SqliteConnection>;

const skipped = postgresSkipped ? ` (${postgresSkipped})` : '';
const now = new Date('2026-03-15T12:00:00Z');

/** Every page of a search, at 200 a page. */
async function allPages(run: (page: number) => SearchResults | Promise<SearchResults>): Promise<SearchResults[]> {
  const pages = [await run(1)];
  while (pages.length < pages[0].pages) pages.push(await run(pages.length + 1));
  return pages;
}

const unscored = <T extends { score: unknown }>(h: T) => ({ ...h, score: h.score === null ? null : 'ranked' });
const byKey = <T>(key: (x: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/** What a search answered, over all its pages, as the two engines must agree on it for this order. */
function comparable(pages: SearchResults[]) {
  const [first] = pages;
  const threads = pages.flatMap((p) => p.messages.hits);
  const messages = threads.flatMap((t: ThreadGroup) => t.hits.map((h: MessageHit) => ({ ...unscored(h), thread: { ...t, hits: t.hits.length } })));
  const claims = pages.flatMap((p) => p.claims.hits).map(unscored);
  const scenarios = pages.flatMap((p) => p.scenarios.hits).map(unscored);
  const counts = { pages: first.pages, messages: first.messages.total, rankedAmong: first.messages.rankedAmong, claims: first.claims.total, scenarios: first.scenarios.total };
  // Scenarios have no date: they are always in best-match order.
  scenarios.sort(byKey((s: ScenarioHit & { score: unknown }) => s.id));
  if (first.sort === 'date') return { counts, messages, claims, scenarios };
  // Best-match order is each engine's own: the same hits, each in the same thread.
  messages.sort(byKey((h) => String(h.id).padStart(12, '0')));
  claims.sort(byKey((c: ClaimHit & { score: unknown }) => c.key));
  return { counts, messages: messages.map((h) => ({ ...h, thread: { ...h.thread, hits: null } })), claims, scenarios };
}

/** Runs `query` on both engines, both orders, and expects the same answers; returns the SQLite answers' message totals. */
async function expectSame(sqlite: Store, store: PostgresStore, query: string, options: SearchOptions = {}): Promise<number> {
  let total = 0;
  for (const sort of ['date', 'relevance'] as const) {
    const asked = { now, ...options, sort, perPage: 200 };
    const ours = comparable(await allPages((page) => search(sqlite.writer, query, { ...asked, page })));
    const theirs = comparable(await allPages((page) => searchPostgres(store.client, query, { ...asked, page })));
    expect(theirs, `${query} (${sort})`).toEqual(ours);
    total = ours.counts.messages;
  }
  return total;
}

/** Runs each query on both engines; and checks that, between them, the queries found something. */
async function expectSameForAll(sqlite: Store, store: PostgresStore, queries: readonly string[]) {
  const totals: number[] = [];
  for (const q of queries) totals.push(await expectSame(sqlite, store, q));
  expect(totals.filter((n) => n > 0).length).toBeGreaterThan(queries.length / 2);
}

// The bundled messages, by Message-ID (tests/search/search.test.ts).
const PATCH2 = '20090311035503.GI16561@wotan.suse.de';
const RACES = '20090414071152.GC23528__43030.8975316167$1239693221$gmane$org@wotan.suse.de';

/** The queries of tests/search/search.test.ts, index.test.ts, prefixes.test.ts and cli.test.ts over the bundled thread, and a few more. */
const BUNDLED_QUERIES = [
  'nq:VM_FAULT_NOPAGE', 'q:VM_FAULT_NOPAGE', 'q:"Trond Myklebust wrote"', 'nq:"Trond Myklebust wrote"',
  'dfb:VM_FAULT_NOPAGE', 'dfa:VM_FAULT_RETRY', 'dfb:VM_FAULT_RETRY', 'dfn:fs/buffer.c', 'dfn:llite_mmap.c', 'dfn:buffer',
  'dfctx:ocfs2_write_begin_nolock', 'dfctx:w_target_page',
  'dfa:w_target_page OR dfb:w_target_page OR dfa:ocfs2_write_begin_nolock OR dfb:ocfs2_write_begin_nolock',
  's:btrfs', 'f:npiggin@gmail.com', 'f:piggin', 't:viro', 'c:viro', 'c:lustre-devel', 'a:viro', 'tc:"Jan Kara"', 'f:"Jan Kara"', 't:"Jan Kara"',
  'b:"minor fault"', 's:avoid', 'b:avoid', 'bs:avoid',
  `mid:${PATCH2}`, `mid:<${PATCH2}>`, `m:${RACES}`, 'mid:nosuch@example.org',
  'l:linux-kernel', 'l:linux-mm.kvack.org VM_FAULT_NOPAGE', 'l:ocfs2-devel',
  'page_mkwrite d:2010-12-01..2011-01-31', 'page_mkwrite d:..2009-03-31', 'page_mkwrite d:2009-04-14', 'd:2017', 'd:2017.. -ocfs2', 'd:2010',
  '"make the VM retry the fault"', '"fault the retry VM make"',
  'VM_FAULT_NOPAGE', 'VM_FAULT_SIGBUS', 'VM_FAULT_NOPAGE VM_FAULT_SIGBUS', 'VM_FAULT_NOPAGE AND VM_FAULT_SIGBUS', 'VM_FAULT_NOPAGE OR VM_FAULT_SIGBUS', 'nopage',
  'page_mkwrite', 'btrfs', 'page_mkwrite -btrfs', 'page_mkwrite NOT btrfs', '-page_mkwrite', '-page_mkwrite -ocfs2',
  's:(ocfs2 OR close)', '(s:ocfs2 OR s:close) f:piggin', 'ocfs2_dio*', 's:page_mk*', 's:page_mk', 'd:2017 OR s:close',
  `x' ; DROP TABLE "Message"; -- NEAR col:x {subject}: ^abc`, 'mid:"\'; DROP TABLE Message; --"',
  's:prototype', 'NOPAGE retry', 's:"hole punch"', 'q:VM_FAULT_NOPAGE -btrfs', 'f:piggin d:2009', 'NOPAGE', 'nq:VM_FAULT_NOPAGE f:piggin',
  // Negations of filters, which ghosts (no date, no list of their own) answer too.
  '-d:2017', 'NOT (d:2009 OR l:linux-kernel)', 'page_mkwrite -d:2009', 'l:linux-mm OR d:2010', '-mid:nosuch@example.org',
  // A word too long for a PostgreSQL lexeme (2,047 bytes): found nowhere, on either.
  '中'.repeat(700),
  ...PREFIXES.flatMap((p) => p.names.map((name) => `${name}:${p.example.slice(p.example.indexOf(':') + 1)}`)),
];

describe.skipIf(!postgresUrl)(`search on PostgreSQL answers as on SQLite: the bundled thread, claims and scenarios${skipped}`, () => {
  let sqlite: Store;
  let store: PostgresStore;
  beforeAll(async () => {
    sqlite = await searchableBundle('sqlite');
    store = await onPostgres(sqlite, bundledScenarios());
  });
  afterAll(async () => {
    await store?.close();
    await sqlite?.close();
  });

  it('indexes every message and claim, and leaves nothing queued', async () => {
    const count = async (sql: string) => Number((await store.client.query(sql)).rows[0].n);
    expect(await count('SELECT count(*) AS n FROM message_search')).toBe(await count('SELECT count(*) AS n FROM "Message"'));
    expect(await count('SELECT count(*) AS n FROM claim_search')).toBe(await count('SELECT count(*) AS n FROM "Claim"'));
    expect(await count('SELECT count(*) AS n FROM claim_search')).toBeGreaterThan(0);
    expect(await count('SELECT (SELECT count(*) FROM search_queue) + (SELECT count(*) FROM claim_search_queue) AS n')).toBe(0);
  });

  it('answers every query of the search tests with the same hits', async () => {
    await expectSameForAll(sqlite, store, BUNDLED_QUERIES);
  });

  it('finds claims and scenarios, by the same words', async () => {
    // Terms some claims and scenarios hold: the comparison is not of empty lists.
    for (const q of ['NOPAGE', 'page_mkwrite', 'retry', 'fault', 's:fault', 'q:fault', 'f:piggin fault']) {
      const r = await searchPostgres(store.client, q, { now });
      expect(r.claims.total + r.scenarios.total, q).toBeGreaterThan(0);
      await expectSame(sqlite, store, q);
    }
  });

  it('ranks the same most recently archived matches when more match than it ranks, and pages alike', async () => {
    for (const rankWindow of [1, 3, 5]) await expectSame(sqlite, store, 'page_mkwrite', { rankWindow });
    for (const page of [1, 2, 3]) {
      const [ours, theirs] = [search(sqlite.writer, 'q:VM_FAULT_NOPAGE', { perPage: 2, page, sort: 'date' }), await searchPostgres(store.client, 'q:VM_FAULT_NOPAGE', { perPage: 2, page, sort: 'date' })];
      expect(theirs.messages).toEqual(ours.messages);
      expect(theirs.pages).toBe(ours.pages);
    }
  });

  it('throws the same QuerySyntaxError for a query it cannot read, before any statement', async () => {
    for (const q of ['nq:(VM_FAULT_NOPAGE', 's:(page_mkwrite truncate', 'needle OR w*', 'AND x', '"open']) {
      let ours: unknown;
      try {
        search(sqlite.writer, q);
      } catch (e) {
        ours = e;
      }
      expect(ours).toBeInstanceOf(QuerySyntaxError);
      const theirs = await searchPostgres(store.client, q).catch((e: unknown) => e);
      expect(theirs).toBeInstanceOf(QuerySyntaxError);
      expect({ message: (theirs as QuerySyntaxError).message, position: (theirs as QuerySyntaxError).position })
        .toEqual({ message: (ours as QuerySyntaxError).message, position: (ours as QuerySyntaxError).position });
    }
    // The connection is fine after them.
    expect((await searchPostgres(store.client, 'page_mkwrite')).messages.total).toBeGreaterThan(0);
  });
});

// The queries of tests/search/corpora.test.ts, on the same mail.
describe.skipIf(!postgresUrl || !hasShared)(`search on PostgreSQL answers as on SQLite: kernel mail (notmuch-lkml)${skipped}`, () => {
  let sqlite: Store;
  let store: PostgresStore;
  beforeAll(async () => {
    sqlite = await freshDatabase('sqlite');
    await ingestPaths(sqlite.writer, [corpus('notmuch-lkml')], { list: 'lkml' });
    refreshSearchIndex(sqlite.writer);
    store = await onPostgres(sqlite, []);
  });
  afterAll(async () => {
    await store?.close();
    await sqlite?.close();
  });

  it('answers every query of the corpus tests with the same hits', async () => {
    await expectSameForAll(sqlite, store, [
      's:cifs', 'f:perches', 'tc:akpm', 'semicolons', '"local caching"', 'inode OR dentry', 'semicolons -f:perches', 's:semicolo*',
      'f:"Joe Perches" s:(x86 OR cifs)', 'd:..2010-11-14', 'f:perches d:2010-11-14..2010-11-15',
      'q:semicolons', 'nq:semicolons', 'b:semicolons',
      // Common words: thousands of positions in one field, and phrases of them.
      'the', '"of the"', 'patch', 're*', 'dfn:drivers*', 'dfb:static', 'dfa:int', 'dfctx:return', '"signed off by"',
    ]);
  });
});

describe.skipIf(!postgresUrl || !hasShared)(`search on PostgreSQL answers as on SQLite: Apache lists (ponymail)${skipped}`, () => {
  let sqlite: Store;
  let store: PostgresStore;
  beforeAll(async () => {
    sqlite = await freshDatabase('sqlite');
    await ingestPaths(sqlite.writer, ['maven-dev-2017-11-mboxvm.mbox', 'httpd-users-2020-07.mbox'].map((f) => corpus('ponymail', f)), { list: 'apache' });
    refreshSearchIndex(sqlite.writer);
    store = await onPostgres(sqlite, []);
  });
  afterAll(async () => {
    await store?.close();
    await sqlite?.close();
  });

  it('answers every query of the corpus tests with the same hits, accents folded alike', async () => {
    await expectSameForAll(sqlite, store, [
      's:release', 'f:herve', 'f:"Hervé Boutemy"', 'f:hervé', '"maven-surefire-plugin"', 's:vote d:2017-11-01..2017-11-30', 'b:ssl', 'proxy*',
      'maven release', '"unnecessary semicolons"', '"mailing list"', 'httpd -apache', 'dfn:pom.xml', 'l:apache', 'maven d:2017-11-01..2017-11-30',
    ]);
  });
});

// As tests/search/index.test.ts makes a ghost real; and mail without a date, which date order puts last on both.
describe.skipIf(!postgresUrl)(`search on PostgreSQL answers as on SQLite: ghosts and mail without a date${skipped}`, () => {
  let sqlite: Store;
  let dir: string;
  const eml = (name: string, text: string) => {
    fs.writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };
  const QUERIES = ['walrus', 'd:2021', '-d:2021', '-d:2022', 'walrus -d:2021', 'walrus OR d:2021', 'NOT (d:2021 OR l:test)', 'mid:a@example.org',
    'l:test', '-l:test', 'q:walrus', 'nq:walrus', 'narwhal', 'dugong', 'f:a@example.org', 's:walrus'];
  beforeAll(async () => {
    sqlite = await freshDatabase('sqlite');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadlab-ghost-'));
  });
  afterAll(async () => {
    await sqlite?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('with a ghost, and with the ghost made real', async () => {
    // Two replies to a message not in the archive: threading keeps a ghost for it, with no date.
    await ingestPaths(sqlite.writer, [
      eml('reply.eml', `From: B <b@example.org>\nSubject: Re: walrus\nDate: Tue, 2 Feb 2021 10:00:00 +0000\nMessage-ID: <b@example.org>\nIn-Reply-To: <a@example.org>\n\nOn Mon, A wrote:\n> the walrus quoted here\n\nnarwhal reply text\n`),
      eml('another.eml', `From: C <c@example.org>\nSubject: Re: walrus\nDate: Tue, 2 Feb 2021 11:00:00 +0000\nMessage-ID: <c@example.org>\nIn-Reply-To: <a@example.org>\n\nagreed\n`),
      eml('undated.eml', `From: D <d@example.org>\nSubject: walrus without a date\nMessage-ID: <d@example.org>\n\nno date here, walrus\n`),
    ], { list: 'test' });
    refreshSearchIndex(sqlite.writer);
    expect(sqlite.writer.prepare('SELECT count(*) AS n FROM "Message" WHERE date IS NULL').get()).toEqual({ n: 2 });
    for (const made of [false, true]) {
      if (made) {
        await ingestPaths(sqlite.writer, [eml('original.eml', `From: A <a@example.org>\nSubject: walrus\nDate: Mon, 1 Feb 2021 10:00:00 +0000\nMessage-ID: <a@example.org>\n\nthe walrus quoted here\nand a dugong besides\n`)], { list: 'test' });
        refreshSearchIndex(sqlite.writer);
      }
      const store = await onPostgres(sqlite, []);
      try {
        await expectSameForAll(sqlite, store, QUERIES);
      } finally {
        await store.close();
      }
    }
  });
});

describe.skipIf(!postgresUrl)(`PostgreSQL's ranking${skipped}`, () => {
  let sqlite: Store;
  let store: PostgresStore;
  beforeAll(async () => {
    // As tests/search/index.test.ts ranks: one message with the word in its subject, one with it in its body.
    sqlite = await freshDatabase('sqlite');
    const message = sqlite.writer.prepare(`INSERT INTO "Message" (archiveId, idKind, subject, date) VALUES (?, 'header', ?, ?)`);
    const text = sqlite.writer.prepare('INSERT INTO "MessageText" (messageId, body) VALUES (?, ?)');
    const insert = (archiveId: string, subject: string, body: string, date: string) => text.run(message.run(archiveId, subject, date).lastInsertRowid, body);
    insert('subject@example.org', 'quokka sightings', 'nothing to report about the animals today, sorry', '2020-01-01T00:00:00.000+00:00');
    insert('body@example.org', 'island sightings', 'a quokka was seen near the river today, nothing more', '2020-01-02T00:00:00.000+00:00');
    refreshSearchIndex(sqlite.writer);
    store = await onPostgres(sqlite, []);
  });
  afterAll(async () => {
    await store?.close();
    await sqlite?.close();
  });

  it('puts a match in the subject above a match in the body, as SQLite does', async () => {
    const hits = (r: SearchResults) => r.messages.hits.flatMap((t) => t.hits);
    const ranked = hits(await searchPostgres(store.client, 'quokka'));
    expect(ranked.map((h) => h.archiveId)).toEqual(['subject@example.org', 'body@example.org']);
    expect(ranked[0].score!).toBeGreaterThan(ranked[1].score!);
    expect(hits(await searchPostgres(store.client, 'quokka', { sort: 'date' })).map((h) => h.archiveId)).toEqual(['body@example.org', 'subject@example.org']);
    await expectSame(sqlite, store, 'quokka');
  });
});

describe.skipIf(!postgresUrl)(`PostgreSQL's index kept in step${skipped}`, () => {
  let sqlite: Store;
  let store: PostgresStore;
  let writer: pg.Client;
  const queued = async () => Number((await store.client.query('SELECT count(*) AS n FROM search_queue')).rows[0].n);
  const ids = async (q: string) => (await searchPostgres(store.client, q, { perPage: 200 })).messages.hits.flatMap((t) => t.hits.map((h) => h.archiveId));
  const keys = async (q: string) => (await searchPostgres(store.client, q)).claims.hits.map((c) => c.key);
  const refresh = () => postgres.refreshSearchIndex(store.url);
  beforeAll(async () => {
    sqlite = await searchableBundle('sqlite');
    store = await onPostgres(sqlite, bundledScenarios());
    writer = new pg.Client(store.url);
    await writer.connect();
  });
  afterAll(async () => {
    await writer?.end();
    await store?.close();
    await sqlite?.close();
  });

  it('queues a message when the text it is indexed by changes, not when threading moves it', async () => {
    await writer.query('UPDATE "Message" SET "threadOrder" = "threadOrder" + 0, depth = depth, "parentBy" = "parentBy"');
    await writer.query('UPDATE "Message" SET subject = subject');
    await writer.query('UPDATE "MessageText" SET body = body, "segmentsJson" = "segmentsJson"');
    expect(await queued()).toBe(0);
    const { rows: [{ id }] } = await writer.query(`SELECT id FROM "Message" WHERE subject LIKE '%close page_mkwrite races%' LIMIT 1`);
    await writer.query('UPDATE "Message" SET subject = $1 WHERE id = $2', ['[patch] mm: close page_mkwrite races (try 3, xylophone)', id]);
    expect(await queued()).toBe(1);
    expect(await ids('s:xylophone')).toEqual([]);
    expect(await refresh()).toEqual({ messages: 1, claims: 0 });
    expect(await ids('s:xylophone')).toHaveLength(1);
    await writer.query(`UPDATE "MessageText" SET body = replace(body, 'page_mkwrite', 'zebrafinches') WHERE "messageId" = $1`, [id]);
    expect(await queued()).toBe(1);
    expect(await refresh()).toEqual({ messages: 1, claims: 0 });
    expect(await ids('zebrafinches')).toEqual(await ids('s:xylophone'));
  });

  it('loses no change committed while it indexes', async () => {
    const { rows: [{ id }] } = await writer.query(`SELECT id FROM "Message" WHERE subject LIKE '%xylophone%'`);
    await writer.query(`UPDATE "Message" SET subject = 'walrus one' WHERE id = $1`, [id]);
    // A second writer changes it again, and holds its transaction open while the indexer starts.
    const late = new pg.Client(store.url);
    await late.connect();
    try {
      await late.query('BEGIN');
      await late.query(`UPDATE "Message" SET subject = 'walrus two' WHERE id = $1`, [id]);
      const indexing = refresh();
      // The indexer waits for that writer (writers of one archive take turns, as on SQLite).
      await expect.poll(async () => Number((await store.client.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rows[0].n)).toBeGreaterThan(0);
      await late.query('COMMIT');
      await indexing;
    } finally {
      await late.end();
    }
    // Indexed then, or queued for the next refresh: never lost.
    await refresh();
    expect(await queued()).toBe(0);
    expect(await ids('s:"walrus two"')).toHaveLength(1);
    expect(await ids('s:"walrus one"')).toEqual([]);
  });

  it('drops a deleted message from the index', async () => {
    await writer.query(`DELETE FROM "Message" WHERE subject = 'walrus two'`);
    expect(await queued()).toBeGreaterThan(0);
    await refresh();
    expect(await ids('walrus')).toEqual([]);
    const count = async (sql: string) => Number((await store.client.query(sql)).rows[0].n);
    expect(await count('SELECT count(*) AS n FROM message_search')).toBe(await count('SELECT count(*) AS n FROM "Message"'));
  });

  it('indexes claims through their queue: added, changed and removed', async () => {
    const { rows: [{ id: seed }] } = await writer.query(`SELECT id FROM "Message" WHERE "fromAddress" = 'npiggin@gmail.com'`);
    const { rows: [{ id }] } = await writer.query(`INSERT INTO "Claim" (key, "messageId", exact, start, "end", "anchorScore", claimant, statement, kind, verdict, source)
      VALUES ('test#zero', $1, '0 has always meant minor fault', 0, 10, 1, 'Nick Piggin', 'Returning zero from page_mkwrite is a minor fault, and the VM installs the page', 'rule', 'supported', 'test') RETURNING id`, [seed]);
    expect(await keys('installs')).not.toContain('test#zero');
    expect(await refresh()).toEqual({ messages: 0, claims: 1 });
    expect(await keys('installs')).toContain('test#zero');
    expect(await keys('f:piggin installs')).toContain('test#zero');
    expect(await keys('q:"always meant"')).toContain('test#zero');
    expect(await keys('q:installs')).not.toContain('test#zero');
    const hit = (await searchPostgres(store.client, 'installs minor')).claims.hits.find((c) => c.key === 'test#zero')!;
    expect(hit.statement.filter((p) => p.hit).map((p) => p.text)).toEqual(['minor', 'installs']);
    await writer.query('UPDATE "Claim" SET statement = $1 WHERE id = $2', ['Zero means the filesystem satisfied the fault without IO', id]);
    await writer.query('UPDATE "Claim" SET kind = kind WHERE id = $1', [id]);
    expect(await refresh()).toEqual({ messages: 0, claims: 1 });
    expect(await keys('installs')).not.toContain('test#zero');
    expect(await keys('satisfied')).toContain('test#zero');
    await writer.query('DELETE FROM "Claim" WHERE id = $1', [id]);
    await refresh();
    expect(await keys('satisfied')).not.toContain('test#zero');
  });

  it('replaces the indexed scenarios with the ones given', async () => {
    const scenarioIds = async (q: string) => (await searchPostgres(store.client, q)).scenarios.hits.map((s) => s.id);
    expect(await scenarioIds('NOPAGE')).toContain('seed-nopage-retry');
    await postgres.indexScenarios(store.url, bundledScenarios().filter((s) => s.id !== 'seed-nopage-retry'));
    expect(await scenarioIds('NOPAGE')).not.toContain('seed-nopage-retry');
    expect((await scenarioIds('NOPAGE')).length).toBeGreaterThan(0);
  });

  it('indexes everything again to the same answers', async () => {
    const queries = ['VM_FAULT_NOPAGE', 'q:VM_FAULT_NOPAGE -btrfs', 'f:piggin d:2009', 'zebrafinches'];
    const all = async () => {
      const found = [];
      for (const q of queries) found.push(await ids(q));
      return found;
    };
    const before = await all();
    await writer.query('INSERT INTO search_queue ("messageId") SELECT id FROM "Message"');
    const { rows: [{ n }] } = await writer.query('SELECT count(*) AS n FROM "Message"');
    expect((await refresh()).messages).toBe(Number(n));
    expect(await all()).toEqual(before);
  });
});
