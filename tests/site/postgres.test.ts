// Past one machine: two web servers on one PostgreSQL, and the same archive ingested into
// SQLite beside them. Both stores serve the same pages; what an ingest in a third process
// commits is in the very next answer of both servers (their page caches read the
// archive's version).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { freshDatabase, type Store } from '../support/db';
import { postgresSkipped, postgresUrl } from '../support/postgres';
import { ensureBuilt, startSite } from '../../lib/cli/site';
import { freePort } from '../../lib/net/ports';
import { prepare } from '../../lib/db/connection';
import { projectRoot } from '../../lib/db/url';
import { ingestBundled } from '../../lib/ingest/bundled';
import { scratchFolder } from '../support/scratch';
import { listHref, messageHref, threadHref } from '../../lib/archive/urls';

/** What a reader gets from an answer: for a page, its title and its <main>, without scripts. The
 * rest of the document is React's transport, whose rows and metadata boundary stream in the
 * order the store's queries finish, which differs between SQLite (synchronous) and PostgreSQL. */
function content(body: string): string {
  if (!body.startsWith('<!DOCTYPE html>')) return body;
  const title = /<title>([^<]*)<\/title>/.exec(body)?.[1] ?? '(no title)';
  const main = /<main\b[\s\S]*<\/main>/.exec(body)?.[0] ?? '(no main)';
  return `${title}\n${main.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '')}`;
}

/** Where two pages first differ, with some context; null when they are the same. */
function firstDifference(a: string, b: string): string | null {
  if (a === b) return null;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `at ${i}: SQLite …${a.slice(Math.max(0, i - 80), i + 80)}… PostgreSQL …${b.slice(Math.max(0, i - 80), i + 80)}…`;
}

describe.skipIf(!postgresUrl)(`several web servers on one PostgreSQL${postgresSkipped ? ` (${postgresSkipped})` : ''}`, () => {
  let sqlite: Store;
  let store: Store;
  const servers: ChildProcess[] = [];
  const scratch = scratchFolder('threadlab-pg-site-');
  let onSqlite: string;
  let onPostgres: string[];
  beforeAll(async () => {
    sqlite = await freshDatabase('sqlite');
    await ingestBundled(sqlite.writer);
    store = await freshDatabase('postgresql');
    await ingestBundled(store.writer);
    await ensureBuilt('pipe');
    const serve = async (url: string) => {
      const port = await freePort();
      servers.push(await startSite(port, { DATABASE_URL: url }, 'pipe'));
      return `http://127.0.0.1:${port}`;
    };
    onSqlite = await serve(sqlite.url);
    onPostgres = [await serve(store.url), await serve(store.url)];
  }, 600_000);
  afterAll(async () => {
    for (const s of servers) s.kill();
    await sqlite?.close();
    await store?.close();
  });

  const get = async (base: string, path: string) => {
    const r = await fetch(base + path);
    const nonce = /'nonce-([^']+)'/.exec(r.headers.get('content-security-policy') ?? '')?.[1];
    const body = await r.text();
    // Each answer's nonce is its own: the rest is compared.
    return { status: r.status, cache: r.headers.get('x-threadlab-cache'), body: nonce ? body.replaceAll(nonce, 'NONCE') : body };
  };

  it('serve every list, thread and message page, raw message and mbox as SQLite does', async () => {
    const messages = prepare<[], { archiveId: string; list: string; root: string }>(sqlite.writer, `SELECT m."archiveId", l.name AS list, t."rootArchiveId" AS root FROM "Message" m
      JOIN "List" l ON l.id = m."listId" JOIN "Thread" t ON t.id = m."threadId" WHERE NOT m."isGhost"`).all();
    expect(messages.length).toBeGreaterThan(10);
    const paths = new Set(['/', '/scenarios']);
    for (const m of messages) {
      paths.add(listHref(m.list));
      paths.add(threadHref(m.list, m.root));
      paths.add(messageHref(m.list, m.archiveId));
      paths.add(`${messageHref(m.list, m.archiveId)}raw`);
      paths.add(`${messageHref(m.list, m.archiveId)}t.mbox.gz`);
    }
    for (const path of paths) {
      const [a, b] = await Promise.all([get(onSqlite, path), get(onPostgres[0], path)]);
      expect({ path, status: b.status }).toEqual({ path, status: a.status });
      expect(a.status).toBe(200);
      expect(firstDifference(content(a.body), content(b.body)), path).toBeNull();
    }
  });

  it('show a commit made from another process in the next answer of each server, cached pages or not', async () => {
    const root = prepare<[], { root: string; subject: string; list: string }>(sqlite.writer, `SELECT t."rootArchiveId" AS root, t.subject, l.name AS list FROM "Thread" t JOIN "List" l ON l.id = t."listId" ORDER BY t.id LIMIT 1`).get()!;
    const page = listHref(root.list);
    for (const server of onPostgres) {
      await get(server, page);
      expect((await get(server, page)).cache).toBe('hit');
    }
    const writer = new pg.Client(store.url);
    await writer.connect();
    try {
      await writer.query(`UPDATE "Thread" SET subject = $1 WHERE "rootArchiveId" = $2`, ['Re: a subject written on another machine', root.root]);
    } finally {
      await writer.end();
    }
    for (const server of onPostgres) {
      const after = await get(server, page);
      expect(after.cache).toBeNull();
      expect(after.body).toContain('a subject written on another machine');
    }
  });

  it('show what `npm run ingest` in a third process stored in the next answer of each server', async () => {
    const { list } = prepare<[], { list: string }>(sqlite.writer, `SELECT l.name AS list FROM "List" l ORDER BY l.id LIMIT 1`).get()!;
    const page = listHref(list);
    const search = `/search/json?q=${encodeURIComponent('s:"stored beside two servers"')}`;
    for (const server of onPostgres) {
      await get(server, page);
      expect((await get(server, page)).cache).toBe('hit');
      expect(JSON.parse((await get(server, search)).body).messages.total).toBe(0);
    }
    const mbox = scratch.write('new.mbox', [
      'From someone@example.org Mon Dec  6 10:00:00 2010',
      'From: Someone <someone@example.org>',
      `To: ${list}@example.org`,
      'Subject: A message stored beside two servers',
      'Date: Mon, 6 Dec 2010 10:00:00 +0000',
      'Message-ID: <stored-beside-two-servers@example.org>',
      '',
      'Ingested by another process while two servers answer.',
      '',
    ].join('\n'));
    const ingest = spawnSync(process.execPath, ['--expose-gc', path.join(projectRoot, 'lib/cli/launch.mjs'), 'lib/cli/ingest.ts', '--json', '--list', list, mbox], {
      cwd: projectRoot, env: { ...process.env, DATABASE_URL: store.url }, encoding: 'utf8',
    });
    expect(ingest.status, ingest.stderr).toBe(0);
    expect(JSON.parse(ingest.stdout).added).toBe(1);
    for (const server of onPostgres) {
      const after = await get(server, page);
      expect(after.cache).toBeNull();
      expect(after.body).toContain('A message stored beside two servers');
      const found = JSON.parse((await get(server, search)).body) as { messages: { hits: Array<{ hits: Array<{ archiveId: string }> }> } };
      expect(found.messages.hits.flatMap((g) => g.hits.map((h) => h.archiveId))).toEqual(['stored-beside-two-servers@example.org']);
    }
  });
});
