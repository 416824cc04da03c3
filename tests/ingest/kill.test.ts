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
import { openWriter } from '../../lib/db/connection';
import { projectRoot } from '../../lib/db/url';
import { prepareForSite } from '../../lib/ingest/bundled';
import { archiveState, nothingOwed, type ArchiveState } from '../support/archive-state';
import { emptyStores } from '../support/db';
import { corpus, hasShared } from '../support/shared';

const store = emptyStores();
const sources = [
  corpus('notmuch-lkml'),
  ...['maven-dev-2017-11-listsao.mbox', 'maven-dev-2017-12-listsao.mbox', 'httpd-users-2020-07.mbox'].map((f) => corpus('ponymail', f)),
];

/** `npm run ingest` as package.json runs it, into the store named `db`; `crashAt` sets THREADLAB_CRASH_AT (lib/ingest/crash-point.ts). */
async function ingest(db: string, crashAt?: string) {
  return spawnSync(process.execPath, ['--expose-gc', path.join(projectRoot, 'lib/cli/launch.mjs'), 'lib/cli/ingest.ts', '--json', ...sources], {
    env: { ...process.env, DATABASE_URL: await store(db), ...(crashAt ? { THREADLAB_CRASH_AT: crashAt } : {}) },
    encoding: 'utf8',
    cwd: projectRoot,
  });
}

/** What `npm start` does to the database before it serves. */
async function startSite(db: string): Promise<void> {
  const url = await store(db);
  await migrateDeploy(url);
  const conn = await openWriter(url);
  try {
    await prepareForSite(conn);
  } finally {
    conn.close();
  }
}

describe.skipIf(!hasShared)('an ingest killed at each step', () => {
  let clean: ArchiveState;

  it('runs clean first, for the state to compare with', async () => {
    const r = await ingest('clean');
    expect(r.status, r.stderr).toBe(0);
    await startSite('clean');
    clean = await archiveState(await store('clean'));
    expect(clean.quoteLinks.length).toBeGreaterThan(300);
    expect(clean.ghostText.some((g) => !g.endsWith(' none'))).toBe(true);
    expect(clean.owed).toEqual(nothingOwed);
  });

  it.each(['batch-stored:1', 'stored', 'threaded', 'linked:1', 'linked:2'])('at %s: the site started, then two re-runs, give the clean archive', async (point) => {
    const killed = await ingest(point, point);
    expect(killed.signal, `${point} was not reached: ${killed.stderr}`).toBe('SIGKILL');
    await startSite(point);
    for (let i = 0; i < 2; i++) expect((await ingest(point)).status).toBe(0);
    expect(await archiveState(await store(point))).toEqual(clean);
  });

  it('at stored, twice in a row, then a re-run: the second kill found the first one\'s work owed', async () => {
    const db = 'twice';
    expect((await ingest(db, 'stored')).signal).toBe('SIGKILL');
    expect((await ingest(db, 'threaded')).signal).toBe('SIGKILL');
    const rerun = await ingest(db);
    expect(rerun.status).toBe(0);
    // Nothing was decoded again for the Maildir; the mboxes go on from their last message stored.
    expect(JSON.parse(rerun.stdout)).toMatchObject({ added: 0 });
    expect(await archiveState(await store(db))).toEqual(clean);
  });
});
