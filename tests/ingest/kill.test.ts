/**
 * `kill -9` at each step of an ingest that commits, then the site started, then the
 * ingest run again twice: the archive equals a clean run's, quote links, ghost text and
 * search index included. Also the order the issue found losing links for good: killed
 * after storing, the site started before the re-runs. Real mail: the notmuch-lkml
 * Maildir and three ponymail mboxes (some 860 messages, two batches).
 */
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { migrateDeploy } from '../../lib/db/migrate';
import { openSqlite } from '../../lib/db/sqlite';
import { projectRoot } from '../../lib/db/url';
import { prepareForSite } from '../../lib/ingest/bundled';
import { archiveState, nothingOwed } from '../support/archive-state';
import { corpus, hasShared } from '../support/shared';
import { scratchFolder } from '../support/scratch';

const { dir } = scratchFolder('threadlab-kill-');
const sources = [
  corpus('notmuch-lkml'),
  ...['maven-dev-2017-11-listsao.mbox', 'maven-dev-2017-12-listsao.mbox', 'httpd-users-2020-07.mbox'].map((f) => corpus('ponymail', f)),
];

/** `npm run ingest` as package.json runs it, into `db` of this test's folder; `crashAt` sets THREADLAB_CRASH_AT (lib/ingest/crash-point.ts). */
function ingest(db: string, crashAt?: string) {
  return spawnSync(process.execPath, ['--expose-gc', path.join(projectRoot, 'lib/cli/launch.mjs'), 'lib/cli/ingest.ts', '--json', ...sources], {
    env: { ...process.env, DATABASE_URL: `file:${path.join(dir, db)}`, ...(crashAt ? { THREADLAB_CRASH_AT: crashAt } : {}) },
    encoding: 'utf8',
    cwd: projectRoot,
  });
}

/** What `npm start` does to the database before it serves. */
async function startSite(db: string): Promise<void> {
  const url = `file:${path.join(dir, db)}`;
  await migrateDeploy(url);
  const conn = openSqlite(url);
  try {
    await prepareForSite(conn);
  } finally {
    conn.close();
  }
}

describe.skipIf(!hasShared)('an ingest killed at each step', () => {
  let clean: ReturnType<typeof archiveState>;

  it('runs clean first, for the state to compare with', async () => {
    const r = ingest('clean.db');
    expect(r.status, r.stderr).toBe(0);
    await startSite('clean.db');
    clean = archiveState(path.join(dir, 'clean.db'));
    expect(clean.quoteLinks.length).toBeGreaterThan(300);
    expect(clean.ghostText.some((g) => !g.endsWith(' none'))).toBe(true);
    expect(clean.owed).toEqual(nothingOwed);
  });

  it.each(['batch-stored:1', 'stored', 'threaded', 'linked:1', 'linked:2'])('at %s: the site started, then two re-runs, give the clean archive', async (point) => {
    const db = `${point.replace(':', '-')}.db`;
    const killed = ingest(db, point);
    expect(killed.signal, `${point} was not reached: ${killed.stderr}`).toBe('SIGKILL');
    await startSite(db);
    for (let i = 0; i < 2; i++) expect(ingest(db).status).toBe(0);
    expect(archiveState(path.join(dir, db))).toEqual(clean);
  });

  it('at stored, twice in a row, then a re-run: the second kill found the first one\'s work owed', async () => {
    const db = 'twice.db';
    expect(ingest(db, 'stored').signal).toBe('SIGKILL');
    expect(ingest(db, 'threaded').signal).toBe('SIGKILL');
    const rerun = ingest(db);
    expect(rerun.status).toBe(0);
    // Nothing was decoded again for the Maildir; the mboxes go on from their last message stored.
    expect(JSON.parse(rerun.stdout)).toMatchObject({ added: 0 });
    expect(archiveState(path.join(dir, db))).toEqual(clean);
  });
});
