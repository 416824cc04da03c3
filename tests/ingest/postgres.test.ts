/**
 * Ingest and sync on PostgreSQL make the archive they make on SQLite: the same mail
 * through both stores gives the same summaries and the same archive (archiveState:
 * messages, threads, quote links, ghost text, what is indexed, nothing owed), the same
 * stored bytes; again, adding nothing; a sync of an appended mbox through `npm run sync`;
 * a public-inbox with removals; two `npm run ingest` at once. Real mail: the notmuch-lkml
 * Maildir, ponymail mboxes (the maven ones share messages: duplicates) and the bundled
 * thread.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepare } from '../../lib/db/connection';
import { rawBytes } from '../../lib/db/raw';
import { projectRoot } from '../../lib/db/url';
import { ingestPaths, type IngestSummary } from '../../lib/ingest';
import { archiveState, nothingOwed, portable, type ArchiveState } from '../support/archive-state';
import { freshDatabase, type Store } from '../support/db';
import { postgresSkipped, postgresUrl, scratchPostgres } from '../support/postgres';
import { makeV2Inbox } from '../support/public-inbox';
import { scratchFolder } from '../support/scratch';
import { corpus, hasShared } from '../support/shared';

const scratch = scratchFolder('threadlab-ingest-pg-');
const ponymail = (f: string) => corpus('ponymail', f);
const lkml = corpus('notmuch-lkml');
const [maven11, maven12, httpd, dup1, dup2] = ['maven-dev-2017-11-listsao.mbox', 'maven-dev-2017-12-listsao.mbox', 'httpd-users-2020-07.mbox', 'maven_duplicates_2017_listsao_1.mbox', 'maven_duplicates_2017_listsao_2.mbox'].map(ponymail);
// Two ingests, one after the other, sharing maven11 (the two at once of the last case). dup1 and
// dup2 hold the same messages, some without a Date, dated by their "From " lines, which differ
// between the two files: the copy stored first dates the message, so both are read by one ingest.
const first = [path.join(projectRoot, 'content', 'thread'), lkml, maven11, dup1, dup2];
const second = [maven11, maven12, httpd];

/** Everything a summary says but how long it took. */
const counts = ({ millis: _, ...rest }: IngestSummary) => rest;

/** A CLI command (lib/cli/*.ts) on the store at `url`, run as package.json runs it, to its end. */
function cli(entry: string, url: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--expose-gc', path.join(projectRoot, 'lib/cli/launch.mjs'), entry, ...args], {
    env: { ...process.env, DATABASE_URL: url },
    cwd: projectRoot,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** An mbox's messages, each its whole "From " block: a "From " line starts one when a header line follows it. */
function mboxBlocks(file: string): Buffer[] {
  const bytes = fs.readFileSync(file);
  const starts = [...bytes.toString('latin1').matchAll(/^From [^\n]*\n(?=[!-9;-~]+:)/gm)].map((m) => m.index);
  return starts.map((start, i) => bytes.subarray(start, starts[i + 1] ?? bytes.length));
}

/** The stored bytes of a message, MessageRaw's span of its RawBlock; `param` is the store's placeholder. */
const rawQuery = (param: string) => `SELECT r.start, r.length, b.bytes, b.encoding FROM "MessageRaw" r
  JOIN "RawBlock" b ON b.id = r."blockId" JOIN "Message" m ON m.id = r."messageId" WHERE m."archiveId" = ${param}`;
type RawRow = { start: number; length: number | null; bytes: Uint8Array; encoding: string };
/** The messages removed, and their bytes kept. */
const removedQuery = `SELECT r."archiveId", r.source, r.start, r.length, b.bytes, b.encoding FROM "RemovedMessage" r JOIN "RawBlock" b ON b.id = r."blockId"`;
type RemovedRow = RawRow & { archiveId: string; source: string };

describe.skipIf(!hasShared || !postgresUrl)(`ingest on PostgreSQL${postgresSkipped ? ` (${postgresSkipped})` : ''}`, () => {
  let sqlite: Store;
  let postgres: Store;
  const summaries: Record<'sqlite' | 'postgres', IngestSummary[]> = { sqlite: [], postgres: [] };
  /** SQLite's archive after `first` then `second`: what every case on that mail compares with. */
  let sequential: ArchiveState;

  beforeAll(async () => {
    sqlite = await freshDatabase('sqlite');
    postgres = await freshDatabase('postgresql');
    for (const paths of [first, second]) {
      summaries.sqlite.push(await ingestPaths(sqlite.writer, paths));
      summaries.postgres.push(await ingestPaths(postgres.writer, paths));
    }
    sequential = await archiveState(sqlite.url);
  });
  afterAll(async () => {
    await sqlite?.close();
    await postgres?.close();
  });

  it('gives the summaries and the archive SQLite gives', async () => {
    expect(summaries.postgres.map(counts)).toEqual(summaries.sqlite.map(counts));
    expect(summaries.sqlite[0]!.duplicates).toBeGreaterThanOrEqual(10); // dup2's copies of dup1's messages
    expect(sequential.owed).toEqual(nothingOwed);
    expect(sequential.quoteLinks.length).toBeGreaterThan(1000);
    expect(sequential.ghostText.some((g) => !g.endsWith(' none'))).toBe(true);
    expect(portable(await archiveState(postgres.url))).toEqual(portable(sequential));
  });

  it('stores the same bytes for each message', async () => {
    // A handful spread over the archive, and a Maildir file's, which must be its bytes exactly.
    const copies = prepare<[], { id: string; source: string }>(sqlite.writer, `SELECT m."archiveId" AS id, c.source FROM "MessageCopy" c JOIN "Message" m ON m.id = c."messageId"
      WHERE c."blockId" IS NULL ORDER BY m."archiveId"`).all();
    const sample = [...copies.filter((_, i) => i % Math.ceil(copies.length / 6) === 0), copies.find((c) => c.source.startsWith(lkml))!];
    const client = new pg.Client(postgres.url);
    await client.connect();
    try {
      for (const { id, source } of sample) {
        const [onSqlite, onPostgres] = [prepare<[string], RawRow>(sqlite.writer, rawQuery('?')).get(id)!, (await client.query<RawRow>(rawQuery('$1'), [id])).rows[0]!]
          .map((r) => rawBytes({ start: r.start, length: r.length, block: r }));
        expect(onSqlite!.length).toBeGreaterThan(0);
        expect(onPostgres!.equals(onSqlite!), id).toBe(true);
        if (source.startsWith(lkml)) expect(onSqlite!.equals(fs.readFileSync(source)), source).toBe(true);
      }
    } finally {
      await client.end();
    }
  });

  it('adds nothing when the same paths are ingested again, as on SQLite', async () => {
    const paths = [...new Set([...first, ...second])];
    const onSqlite = await ingestPaths(sqlite.writer, paths);
    const onPostgres = await ingestPaths(postgres.writer, paths);
    expect(onSqlite).toMatchObject({ added: 0, duplicates: 0, quoteLinks: 0 });
    expect(counts(onPostgres)).toEqual(counts(onSqlite));
    expect(await archiveState(sqlite.url)).toEqual(sequential);
    expect(portable(await archiveState(postgres.url))).toEqual(portable(sequential));
  });

  it('two `npm run ingest` at once on a new database, sharing an mbox, make the archive one after the other makes', async () => {
    const db = await scratchPostgres();
    try {
      // Not migrated first: each process migrates, as `npm run ingest` does on a new database.
      const [a, b] = await Promise.all([cli('lib/cli/ingest.ts', db.url, ['--json', ...first]), cli('lib/cli/ingest.ts', db.url, ['--json', ...second])]);
      expect(a.code, a.stderr).toBe(0);
      expect(b.code, b.stderr).toBe(0);
      const together = await archiveState(db.url);
      expect(together.owed).toEqual(nothingOwed);
      expect(portable(together)).toEqual(portable(sequential));
    } finally {
      await db.drop();
    }
  }, 300_000);
});

describe.skipIf(!hasShared || !postgresUrl)(`sync on PostgreSQL${postgresSkipped ? ` (${postgresSkipped})` : ''}`, () => {
  it('`npm run sync` reads only what was appended to an mbox, and gives the archive SQLite gives', async () => {
    // December's first messages; then November's last, appended: replies and quotes of them are in
    // December. Few enough that the sync threads only the threads they touch (as many would rethread all).
    const december = mboxBlocks(maven12).slice(0, 100);
    const appended = mboxBlocks(maven11).slice(-20);
    const mbox = scratch.write('sync/maven.mbox', Buffer.concat(december));
    const sqlite = await freshDatabase('sqlite');
    const postgres = await freshDatabase('postgresql');
    try {
      const before = [await ingestPaths(sqlite.writer, [mbox]), await ingestPaths(postgres.writer, [mbox])];
      expect(before[0]).toMatchObject({ seen: december.length, skipped: [] });
      expect(counts(before[1]!)).toEqual(counts(before[0]!));
      fs.appendFileSync(mbox, Buffer.concat(appended));

      const synced = await Promise.all([cli('lib/cli/sync.ts', sqlite.url, ['--json']), cli('lib/cli/sync.ts', postgres.url, ['--json'])]);
      const [onSqlite, onPostgres] = synced.map((r) => {
        expect(r.code, r.stderr).toBe(0);
        return JSON.parse(r.stdout) as IngestSummary;
      });
      expect(onPostgres).toMatchObject({ seen: appended.length, added: appended.length, duplicates: 0, unchanged: 0, skipped: [], threading: 'touched' });
      expect(onPostgres!.quoteLinks).toBeGreaterThan(0); // the quotes the appended messages let link
      expect(counts(onPostgres!)).toEqual(counts(onSqlite!));
      const state = await archiveState(postgres.url);
      expect(state.owed).toEqual(nothingOwed);
      expect(portable(state)).toEqual(portable(await archiveState(sqlite.url)));
    } finally {
      await sqlite.close();
      await postgres.close();
    }
  }, 300_000);
});

/** Real lkml messages, each with its Message-ID, delivered by a list of our choosing (its List-Id in place of theirs). */
function lkmlMessages(count: number): Array<{ id: string; to: (list: string) => Buffer }> {
  const dir = path.join(lkml, 'cur');
  const out = new Map<string, (list: string) => Buffer>();
  for (const name of fs.readdirSync(dir).sort()) {
    const raw = fs.readFileSync(path.join(dir, name));
    const id = /^message-id:\s*<([^>]+)>/im.exec(raw.subarray(0, raw.indexOf('\n\n')).toString('latin1'))?.[1];
    if (id && !out.has(id)) out.set(id, (list) => Buffer.from(`List-Id: <${list}.vger.kernel.org>\n${raw.toString('latin1').replace(/^List-Id:.*\n(?:[ \t].*\n)*/gim, '')}`, 'latin1'));
    if (out.size === count) break;
  }
  return [...out].map(([id, to]) => ({ id, to }));
}

describe.skipIf(!hasShared || !postgresUrl)(`public-inbox removals on PostgreSQL${postgresSkipped ? ` (${postgresSkipped})` : ''}`, () => {
  it('two inboxes, with removals, a cross-posted message, a truncated copy and a Message-ID reused, give the archive SQLite gives', async () => {
    const [a, b, c, d, x] = lkmlMessages(5).map((m) => ({ ...m, mm: m.to('linux-mm'), fsdevel: m.to('linux-fsdevel') }));
    const cut = c!.mm.subarray(0, c!.mm.indexOf('\n\n') + Math.floor((c!.mm.length - c!.mm.indexOf('\n\n')) * 0.4));
    const otherText = Buffer.concat([a!.fsdevel.subarray(0, a!.fsdevel.indexOf('\n\n') + 2), Buffer.from('Another text under the same Message-ID.\n')]);
    // linux-mm: b removed, c first cut short, then whole. linux-fsdevel: x cross-posted, then removed
    // from that list only; a's Message-ID on another text.
    const mm = path.join(scratch.dir, 'inboxes', 'linux-mm');
    const fsdevel = path.join(scratch.dir, 'inboxes', 'linux-fsdevel');
    makeV2Inbox(mm, [
      [{ add: a!.mm }, { add: b!.mm }, { add: cut }, { add: x!.mm }],
      [{ remove: b!.mm }, { add: c!.mm }],
    ]);
    makeV2Inbox(fsdevel, [[{ add: x!.fsdevel }, { add: d!.fsdevel }, { remove: x!.fsdevel }, { add: otherText }]]);
    const sqlite = await freshDatabase('sqlite');
    const postgres = await freshDatabase('postgresql');
    try {
      const onSqlite = await ingestPaths(sqlite.writer, [mm, fsdevel]);
      const onPostgres = await ingestPaths(postgres.writer, [mm, fsdevel]);
      expect(onSqlite).toMatchObject({ added: 6, listed: 1, removed: 1, unlisted: 1, replaced: [{ archiveId: c!.id }], reused: [{ claimedId: a!.id }], skipped: [] });
      expect(counts(onPostgres)).toEqual(counts(onSqlite));

      const states = [await archiveState(sqlite.url), await archiveState(postgres.url)];
      for (const state of states) {
        expect(state.owed).toEqual(nothingOwed);
        // b is gone: no message of its own (a ghost at most, should a reply name it), nor indexed but as such a ghost.
        expect(state.messages.filter((m) => m.startsWith(`${b!.id} 0 `))).toEqual([]);
        const ghost = state.messages.some((m) => m.startsWith(`${b!.id} 1 `));
        expect(state.indexed.filter((m) => m.startsWith(`${b!.id} `)).length).toBe(ghost ? 1 : 0);
        expect(state.messages.find((m) => m.startsWith(`${x!.id} `))).toMatch(/ linux-mm$/);
      }
      expect(portable(states[1]!)).toEqual(portable(states[0]!));
      // b's bytes are kept, with where it was removed.
      const client = new pg.Client(postgres.url);
      await client.connect();
      try {
        const kept = [prepare<[], RemovedRow>(sqlite.writer, removedQuery).all(), (await client.query<RemovedRow>(removedQuery)).rows]
          .map((rows) => rows.map((r) => ({ id: r.archiveId, source: r.source, bytes: rawBytes({ start: r.start, length: r.length, block: r }).toString('latin1') })));
        expect(kept[1]).toEqual(kept[0]);
        expect(kept[0]).toEqual([{ id: b!.id, source: path.join(mm, 'git', '1.git'), bytes: b!.mm.toString('latin1') }]);
      } finally {
        await client.end();
      }
    } finally {
      await sqlite.close();
      await postgres.close();
    }
  }, 120_000);
});
