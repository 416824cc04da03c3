/**
 * Several writers on one store: two ingests at once (sharing an mbox), an ingest
 * and the site starting, an ingest and `npm run search` in a loop. Every process ends
 * well and the archive equals the one a sequential run makes. Real mail: the
 * notmuch-lkml Maildir and three ponymail mboxes.
 */
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { migrateDeploy } from '../../lib/db/migrate';
import { openWriter } from '../../lib/db/connection';
import { projectRoot } from '../../lib/db/url';
import { prepareForSite } from '../../lib/ingest/bundled';
import { archiveState, nothingOwed } from '../support/archive-state';
import { emptyStores, readStore } from '../support/db';
import { corpus, hasShared } from '../support/shared';

const store = emptyStores();
const lkml = corpus('notmuch-lkml');
const [maven11, maven12, httpd] = ['maven-dev-2017-11-listsao.mbox', 'maven-dev-2017-12-listsao.mbox', 'httpd-users-2020-07.mbox'].map((f) => corpus('ponymail', f));
const cli = async (entry: string, db: string, args: string[]) => ({
  args: ['--expose-gc', path.join(projectRoot, 'lib/cli/launch.mjs'), entry, ...args],
  options: { env: { ...process.env, DATABASE_URL: await store(db) }, cwd: projectRoot },
});

/** `npm run ingest` to its end. */
async function ingest(db: string, paths: string[]) {
  const { args, options } = await cli('lib/cli/ingest.ts', db, ['--json', ...paths]);
  return spawnSync(process.execPath, args, { ...options, encoding: 'utf8' });
}

/** `npm run ingest` started; resolves with its exit code and output once it ends. */
async function ingestRunning(db: string, paths: string[]) {
  const { args, options } = await cli('lib/cli/ingest.ts', db, ['--json', ...paths]);
  const child = spawn(process.execPath, args, options);
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const ended = new Promise<{ code: number | null; output: string }>((resolve) => child.on('close', (code) => resolve({ code, output })));
  return { child, ended };
}

/** What `npm start` does to the database before it serves. */
async function startSite(db: string): Promise<void> {
  await migrateDeploy(await store(db));
  const conn = await openWriter(await store(db));
  try {
    await prepareForSite(conn);
  } finally {
    conn.close();
  }
}

/** Resolves once the ingest writing `db` has stored mail (or has ended). */
async function storedSome(db: string, running: { child: { exitCode: number | null } }): Promise<void> {
  for (;;) {
    try {
      if ((await readStore(await store(db), 'SELECT 1 FROM "Message" LIMIT 1')).length) return;
    } catch {
      // not created, or not migrated yet
    }
    if (running.child.exitCode !== null) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(!hasShared)('two writers on one store', () => {
  it('two ingests at once, sharing an mbox, make the archive one after the other makes', async () => {
    const first = [lkml, maven11];
    const second = [maven11, maven12, httpd];
    expect((await ingest('sequential', first)).status).toBe(0);
    expect((await ingest('sequential', second)).status).toBe(0);
    const sequential = await archiveState(await store('sequential'));
    expect(sequential.owed).toEqual(nothingOwed);

    await migrateDeploy(await store('together'));
    const a = await ingestRunning('together', first);
    const b = await ingestRunning('together', second);
    const [ra, rb] = await Promise.all([a.ended, b.ended]);
    expect(ra.code, ra.output).toBe(0);
    expect(rb.code, rb.output).toBe(0);
    expect(await archiveState(await store('together'))).toEqual(sequential);
  });

  it('an ingest and the site starting at once, on a new store, end with the archive a clean ingest makes', async () => {
    const all = [lkml, maven11, maven12, httpd];
    expect((await ingest('clean', all)).status).toBe(0);
    await startSite('clean');
    const clean = await archiveState(await store('clean'));

    const running = await ingestRunning('site', all);
    await storedSome('site', running);
    await startSite('site');
    const r = await running.ended;
    expect(r.code, r.output).toBe(0);
    expect(await archiveState(await store('site'))).toEqual(clean);
  });

  it('an ingest and the command-line search in a loop both finish', async () => {
    const running = await ingestRunning('search', [lkml, maven11]);
    await storedSome('search', running);
    const searches: number[] = [];
    while (running.child.exitCode === null) {
      const { args, options } = await cli('lib/cli/search.ts', 'search', ['--json', 's:maven OR f:linus']);
      // Not spawnSync: the loop must let the ingest's exit be seen.
      const search = spawn(process.execPath, args, options);
      let stderr = '';
      search.stderr.on('data', (d) => (stderr += d));
      const code = await new Promise<number | null>((resolve) => search.on('close', resolve));
      expect(code, stderr).toBe(0);
      searches.push(code!);
    }
    const r = await running.ended;
    expect(r.code, r.output).toBe(0);
    expect(searches.length).toBeGreaterThan(0);
    expect((await archiveState(await store('search'))).owed).toEqual(nothingOwed);
  });
});
