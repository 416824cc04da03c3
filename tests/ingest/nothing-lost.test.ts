/**
 * `npm run ingest` loses nothing without a word: a Maildir++ tree with nested folders,
 * loose files, tmp/ and files that are not mail; files whose name and content disagree;
 * Maildir files given one by one. Each run is checked for its counts, the summary's
 * reasons and its exit status, and again for a re-run that adds nothing. The archives
 * are built in a temp folder from real mail (tests/support/samples.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../lib/db/url';
import { emptyStores, readStore } from '../support/db';
import { mboxOf, mboxrdQuoted, sampleMessages, withoutListFields } from '../support/samples';
import { scratchFolder } from '../support/scratch';

const { dir, write } = scratchFolder('threadlab-nothing-lost-cli-');
const store = emptyStores();

/** As package.json's script runs it (see cli.test.ts), into the store named `db`. */
const ingest = async (db: string, ...args: string[]) =>
  spawnSync(process.execPath, ['--expose-gc', path.join(projectRoot, 'lib/cli/launch.mjs'), 'lib/cli/ingest.ts', ...args], {
    env: { ...process.env, DATABASE_URL: await store(db) },
    encoding: 'utf8',
    cwd: projectRoot,
  });

const query = async <T>(db: string, sql: string): Promise<T[]> => readStore<T>(await store(db), sql);

interface Summary {
  files: number;
  seen: number;
  added: number;
  duplicates: number;
  unchanged: number;
  skipped: { source: string; offset: number; reason: string }[];
}

/** The summary of a --json run, its skipped sources relative to the test folder. */
function summaryOf(r: Awaited<ReturnType<typeof ingest>>): Summary {
  expect(r.stderr).not.toMatch(/Error|at .*\.ts:\d+/);
  const s = JSON.parse(r.stdout) as Summary;
  return { ...s, skipped: s.skipped.map((k) => ({ ...k, source: path.relative(dir, k.source) })) };
}

const samples = sampleMessages(16);
const [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p] = samples;

describe('a Maildir++ tree with loose files', () => {
  write('tree/box/cur/1000000001.M1.host:2,S', a.bytes);
  write('tree/box/new/1000000002.M1.host', b.bytes);
  write('tree/box/tmp/1000000003.M1.host', c.bytes);
  write('tree/box/.Sent/cur/1000000004.M1.host:2,S', d.bytes);
  write('tree/box/.Sent/cur/1000000009.M1.host:2,S', a.bytes); // a copy of cur's: a duplicate
  write('tree/box/.lists.linux-mm/new/1000000005.M1.host', e.bytes);
  write('tree/box/.a.b/cur/1000000006.M1.host:2,', f.bytes);
  write('tree/box/saved-message', g.bytes);
  write('tree/box/notes.txt', 'Things to read later.\n');
  write('tree/box/empty.eml', '');
  write('tree/box/dovecot-uidlist', '3 V1234 N9\n');

  it('stores every message of every folder, loose files too, and names what it did not store', async () => {
    const r = await ingest('tree.db', '--json', path.join(dir, 'tree/box'));
    expect(r.status).toBe(0);
    const s = summaryOf(r);
    expect(s).toMatchObject({ files: 7, seen: 7, added: 6, duplicates: 1, unchanged: 0 });
    expect(s.skipped).toEqual([
      { source: 'tree/box/tmp/1000000003.M1.host', offset: 0, reason: 'in tmp/, still being delivered; not read' },
      { source: 'tree/box/dovecot-uidlist', offset: 0, reason: 'Maildir bookkeeping, not mail; not read' },
      { source: 'tree/box/empty.eml', offset: 0, reason: 'empty file; skipped' },
      { source: 'tree/box/notes.txt', offset: 0, reason: expect.stringMatching(/^unrecognised format, not mail /) },
    ]);
    // The folder of each copy is kept in its source.
    // Sorted here, the same on either store whatever its collation.
    const sources = (await query<{ source: string }>('tree.db', 'SELECT source FROM "MessageCopy"')).map((x) => path.relative(dir, x.source)).sort();
    expect(sources).toEqual([
      'tree/box/.Sent/cur/1000000004.M1.host:2,S',
      'tree/box/.Sent/cur/1000000009.M1.host:2,S',
      'tree/box/.a.b/cur/1000000006.M1.host:2,',
      'tree/box/.lists.linux-mm/new/1000000005.M1.host',
      'tree/box/cur/1000000001.M1.host:2,S',
      'tree/box/new/1000000002.M1.host',
      'tree/box/saved-message',
    ]);
  });

  it('adds nothing when run again, and says the same about what it skips', async () => {
    const r = await ingest('tree.db', '--json', path.join(dir, 'tree/box'));
    expect(r.status).toBe(0);
    // The Maildir's six files stored before are not read again (unchanged); its loose file is, and is found unchanged.
    expect(summaryOf(r)).toMatchObject({ seen: 1, added: 0, duplicates: 0, unchanged: 7, skipped: { length: 4 } });
  });

  it('prints the reasons in the plain summary', async () => {
    const r = await ingest('tree.db', path.join(dir, 'tree/box'));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/added\s+0\n/);
    expect(r.stdout).toMatch(/skipped\s+4\n/);
    expect(r.stdout).toContain(`${path.join(dir, 'tree/box/tmp/1000000003.M1.host')} at byte 0: in tmp/, still being delivered; not read`);
    expect(r.stdout).toContain(`${path.join(dir, 'tree/box/empty.eml')} at byte 0: empty file; skipped`);
  });
});

describe('files told by their content', () => {
  const files = [
    write('files/one.mbox', h.bytes), // a single message, no From line
    write('files/two.eml', mboxOf([i, j])), // an mbox
    write('files/t.mbox.gz', gzipSync(mboxOf([k, l]))),
    write('files/headless.mbox', Buffer.concat([mboxrdQuoted(m), Buffer.from('\n'), mboxOf([n, o])])), // lost its first From line
  ];

  it('reads each as what it is', async () => {
    const r = await ingest('files.db', '--json', ...files);
    expect(r.status).toBe(0);
    expect(summaryOf(r)).toMatchObject({ files: 4, seen: 8, added: 8, duplicates: 0, skipped: [] });
  });

  it('adds nothing when run again', async () => {
    const r = await ingest('files.db', '--json', ...files);
    expect(r.status).toBe(0);
    // The mboxes go on from where they ended (nothing new); the gzipped one and the lone message are read again, unchanged.
    expect(summaryOf(r)).toMatchObject({ seen: 3, added: 0, duplicates: 0, unchanged: 3, skipped: [] });
  });
});

describe('Maildir files given one by one', () => {
  // Without List-Id and the like, so that the list is the fallback's.
  const cur = write('one-by-one/lkml-box/cur/1000000001.M1.host:2,S', withoutListFields(a.bytes));
  const nu = write('one-by-one/lkml-box/new/1000000002.M1.host', withoutListFields(b.bytes));
  const sent = write('one-by-one/lkml-box/.Sent/cur/1000000003.M1.host:2,S', withoutListFields(c.bytes));
  const tmp = write('one-by-one/lkml-box/tmp/1000000004.M1.host', withoutListFields(d.bytes));
  const lists = async (db: string) => (await query<{ name: string }>(db, 'SELECT name FROM "List"')).map((x) => x.name).sort();

  it("are filed under the Maildir's name, never cur or new (a Maildir++ folder's under its Maildir's)", async () => {
    const r = await ingest('one.db', '--json', cur, nu, sent);
    expect(r.status).toBe(0);
    expect(summaryOf(r)).toMatchObject({ files: 3, added: 3, skipped: [] });
    expect(await lists('one.db')).toEqual(['lkml-box']);
    const again = summaryOf(await ingest('one.db', '--json', cur, nu, sent));
    expect(again).toMatchObject({ added: 0, unchanged: 3 });
  });

  it('are the same copies as when the whole Maildir is read', async () => {
    const r = await ingest('one.db', '--json', path.join(dir, 'one-by-one/lkml-box'));
    expect(r.status).toBe(0);
    expect(summaryOf(r)).toMatchObject({ added: 0, unchanged: 3, skipped: [{ source: 'one-by-one/lkml-box/tmp/1000000004.M1.host' }] });
    expect(await lists('one.db')).toEqual(['lkml-box']);
  });

  it('are filed under --list when given', async () => {
    const other = write('one-by-one/other/cur/1000000005.M1.host:2,S', withoutListFields(e.bytes));
    expect((await ingest('list.db', '--json', '--list', 'linux-mm', other)).status).toBe(0);
    expect(await lists('list.db')).toEqual(['linux-mm']);
  });

  it('a file in tmp/ is not read, even named on its own', async () => {
    const r = await ingest('tmp.db', '--json', tmp);
    expect(summaryOf(r)).toMatchObject({ seen: 0, skipped: [{ reason: 'in tmp/, still being delivered; not read' }] });
    expect(r.status).toBe(1);
  });
});

describe('the exit status', () => {
  it('is non-zero when every path is missing, and the summary is still printed', async () => {
    const r = await ingest('exit.db', '--json', path.join(dir, 'no-such.mbox'), path.join(dir, 'no-such-folder'));
    expect(r.status).toBe(1);
    expect(summaryOf(r)).toMatchObject({ added: 0, skipped: [{ reason: 'no such file or folder' }, { reason: 'no such file or folder' }] });
    expect(r.stderr).toContain('nothing could be read');
  });

  it('is non-zero when everything was skipped, with the reasons in the plain summary', async () => {
    write('skipped-only/notes.txt', 'Things to read later.\n');
    write('skipped-only/empty.mbox', '');
    write('skipped-only/box/tmp/1000000001.M1.host', p.bytes);
    fs.mkdirSync(path.join(dir, 'skipped-only/box/cur'));
    const r = await ingest('exit.db', path.join(dir, 'skipped-only'));
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/added\s+0\n/);
    expect(r.stdout).toMatch(/skipped\s+3\n/);
    expect(r.stdout).toContain('in tmp/, still being delivered; not read');
    expect(r.stdout).toContain('empty file; skipped');
    expect(r.stdout).toContain('unrecognised format, not mail');
  });

  it('is zero when something was read, even if nothing was new', async () => {
    const box = path.join(dir, 'tree/box');
    expect((await ingest('exit.db', '--json', box)).status).toBe(0);
    expect((await ingest('exit.db', '--json', box, path.join(dir, 'no-such.mbox'))).status).toBe(0);
  });
});
