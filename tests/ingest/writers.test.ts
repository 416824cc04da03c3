/**
 * Several writers on one SQLite file: two ingests at once (sharing an mbox), an ingest
 * and the site starting, an ingest and `npm run search` in a loop. Every process ends
 * well and the archive equals the one a sequential run makes. Real mail: the
 * notmuch-lkml Maildir and three ponymail mboxes.
 */
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrateDeploy } from '../../lib/db/migrate';
import { openSqlite } from '../../lib/db/sqlite';
import { projectRoot } from '../../lib/db/url';
import { prepareForSite } from '../../lib/ingest/bundled';
import { archiveState, nothingOwed } from '../support/archive-state';
import { corpus, hasShared } from '../support/shared';
import { scratchFolder } from '../support/scratch';

const { dir } = scratchFolder('threadlab-writers-');
const lkml = corpus('notmuch-lkml');
const [maven11, maven12, httpd] = ['maven-dev-2017-11-listsao.mbox', 'maven-dev-2017-12-listsao.mbox', 'httpd-users-2020-07.mbox'].map((f) => corpus('ponymail', f));
const urlOf = (db: string) => `file:${path.join(dir, db)}`;
const cli = (entry: string, db: string, args: string[]) => ({
  args: ['--expose-gc', path.join(projectRoot, 'lib/cli/launch.mjs'), entry, ...args],
  options: { env: { ...process.env, DATABASE_URL: urlOf(db) }, cwd: projectRoot },
});

/** `npm run ingest` to its end. */
function ingest(db: string, paths: string[]) {
  const { args, options } = cli('lib/cli/ingest.ts', db, ['--json', ...paths]);
  return spawnSync(process.execPath, args, { ...options, encoding: 'utf8' });
}

/** `npm run ingest` started; resolves with its exit code and output once it ends. */
function ingestRunning(db: string, paths: string[]) {
  const { args, options } = cli('lib/cli/ingest.ts', db, ['--json', ...paths]);
  const child = spawn(process.execPath, args, options);
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const ended = new Promise<{ code: number | null; output: string }>((resolve) => child.on('close', (code) => resolve({ code, output })));
  return { child, ended };
}

/** What `npm start` does to the database before it serves. */
async function startSite(db: string): Promise<void> {
  await migrateDeploy(urlOf(db));
  const conn = openSqlite(urlOf(db));
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
      const conn = new Sqlite(path.join(dir, db), { readonly: true, fileMustExist: true });
      try {
        if (conn.prepare('SELECT 1 FROM "Message" LIMIT 1').get()) return;
      } finally {
        conn.close();
      }
    } catch {
      // not created, or not migrated yet
    }
    if (running.child.exitCode !== null) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(!hasShared)('two writers on one file', () => {
  it('two ingests at once, sharing an mbox, make the archive one after the other makes', async () => {
    const first = [lkml, maven11];
    const second = [maven11, maven12, httpd];
    expect(ingest('sequential.db', first).status).toBe(0);
    expect(ingest('sequential.db', second).status).toBe(0);
    const sequential = archiveState(path.join(dir, 'sequential.db'));
    expect(sequential.owed).toEqual(nothingOwed);

    await migrateDeploy(urlOf('together.db'));
    const a = ingestRunning('together.db', first);
    const b = ingestRunning('together.db', second);
    const [ra, rb] = await Promise.all([a.ended, b.ended]);
    expect(ra.code, ra.output).toBe(0);
    expect(rb.code, rb.output).toBe(0);
    expect(archiveState(path.join(dir, 'together.db'))).toEqual(sequential);
  });

  it('an ingest and the site starting at once, on a new file, end with the archive a clean ingest makes', async () => {
    const all = [lkml, maven11, maven12, httpd];
    expect(ingest('clean.db', all).status).toBe(0);
    await startSite('clean.db');
    const clean = archiveState(path.join(dir, 'clean.db'));

    const running = ingestRunning('site.db', all);
    await storedSome('site.db', running);
    await startSite('site.db');
    const r = await running.ended;
    expect(r.code, r.output).toBe(0);
    expect(archiveState(path.join(dir, 'site.db'))).toEqual(clean);
  });

  it('an ingest and the command-line search in a loop both finish', async () => {
    const running = ingestRunning('search.db', [lkml, maven11]);
    await storedSome('search.db', running);
    const searches: number[] = [];
    while (running.child.exitCode === null) {
      const { args, options } = cli('lib/cli/search.ts', 'search.db', ['--json', 's:maven OR f:linus']);
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
    expect(archiveState(path.join(dir, 'search.db')).owed).toEqual(nothingOwed);
  });
});
