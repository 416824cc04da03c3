import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { freshDatabase } from '../support/db';
import { corpus, hasShared } from '../support/shared';
import { mboxToMaildir, notmuchAvailable, scratchMaildir, type Scratch } from '../thread/notmuch';
import { ingestPaths } from '../../lib/ingest';
import { prepare } from '../../lib/db/connection';
import { hitIds, marked, refreshIndex, searchIn, type Store } from './support';

/** `notmuch search --output=messages` over a Maildir, its database in the scratch folder. */
function notmuchOver(maildir: string, scratch: Scratch): (q: string) => string[] {
  const config = path.join(scratch.root, 'notmuch-config');
  fs.mkdirSync(path.join(scratch.root, 'db'));
  fs.writeFileSync(config, `[database]\npath=${path.join(scratch.root, 'db')}\nmail_root=${maildir}\n[new]\ntags=\n[maildir]\nsynchronize_flags=false\n[search]\nexclude_tags=\n`);
  const env = { ...process.env, NOTMUCH_CONFIG: config };
  expect(spawnSync('notmuch', ['new', '--quiet'], { env }).status).toBe(0);
  return (q) => {
    const r = spawnSync('notmuch', ['search', '--output=messages', q], { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`notmuch search ${q}: ${r.stderr}`);
    return r.stdout.split('\n').filter(Boolean).map((l) => l.replace(/^id:/, ''));
  };
}

// lore's queries on real mail, checked against notmuch's answers to the
// same questions on the same files. Words are quoted on the notmuch side:
// Xapian stems bare words, lore's s:word does not.
describe.skipIf(!hasShared || !notmuchAvailable())('search on kernel mail (notmuch-lkml), against notmuch', () => {
  const maildir = corpus('notmuch-lkml');
  let store: Store;
  let scratch: Scratch;
  let notmuch: (q: string) => string[];
  beforeAll(async () => {
    store = await freshDatabase();
    await ingestPaths(store.writer, [maildir], { list: 'lkml' });
    await refreshIndex(store);
    scratch = scratchMaildir();
    notmuch = notmuchOver(maildir, scratch);
  });
  afterAll(async () => {
    await store?.close();
    scratch?.dispose();
  });

  it.each([
    ['s:cifs', 'subject:"cifs"'],
    ['f:perches', 'from:"perches"'],
    ['tc:akpm', 'to:"akpm"'],
    ['semicolons', '"semicolons"'],
    ['"local caching"', '"local caching"'],
    ['inode OR dentry', '"inode" or "dentry"'],
    ['semicolons -f:perches', '"semicolons" and not from:"perches"'],
    ['s:semicolo*', 'subject:semicolo*'],
    ['f:"Joe Perches" s:(x86 OR cifs)', 'from:"Joe Perches" and (subject:"x86" or subject:"cifs")'],
    ['d:..2010-11-14', 'date:..2010-11-14'],
    ['f:perches d:2010-11-14..2010-11-15', 'from:"perches" and date:2010-11-14..2010-11-15'],
  ])('%s finds what notmuch finds for %s', async (ours, theirs) => {
    const expected = notmuch(theirs);
    expect(expected.length).toBeGreaterThan(0);
    expect((await hitIds(store, ours)).sort()).toEqual(expected.sort());
  });

  it('mid: finds each message by its Message-ID', async () => {
    const some = notmuch('"semicolons"').slice(0, 5);
    for (const id of some) expect(await hitIds(store, `mid:${id}`)).toEqual([id]);
  });

  it('q: and nq: split the same hits by where the word is: quoted lines or the writer\'s own', async () => {
    const word = /\bsemicolons\b/i;
    const body = (id: string) => prepare<[string], { body: string }>(store.writer, 'SELECT t.body FROM "Message" m JOIN "MessageText" t ON t."messageId" = m.id WHERE m."archiveId" = ?').get(id)!.body.split('\n');
    const quoted = await hitIds(store, 'q:semicolons');
    const fresh = await hitIds(store, 'nq:semicolons');
    expect(quoted.length).toBeGreaterThan(0);
    expect(fresh.length).toBeGreaterThan(0);
    for (const id of quoted) expect(body(id).some((l) => l.startsWith('>') && word.test(l))).toBe(true);
    for (const id of fresh) expect(body(id).some((l) => !l.startsWith('>') && word.test(l))).toBe(true);
    // Every body that has the word has it in one place or the other.
    expect((await hitIds(store, 'b:semicolons')).sort()).toEqual([...new Set([...quoted, ...fresh])].sort());
  });

  it('groups a thread\'s hits under it, and marks the word in each hit', async () => {
    const r = await searchIn(store, 'semicolons', { perPage: 200 });
    const threads = r.messages.hits;
    expect(threads.some((t) => t.hits.length > 1)).toBe(true);
    for (const t of threads) {
      const ids = new Set(prepare<[number | null], { archiveId: string }>(store.writer, 'SELECT "archiveId" FROM "Message" WHERE "threadId" = ?').all(t.threadId).map((r) => r.archiveId));
      expect(t.hits.every((h) => ids.has(h.archiveId))).toBe(true);
      expect(t.size).toBeGreaterThanOrEqual(t.hits.length);
      // The word is marked where it is: the body's snippet, or only the subject ("Re: ... semicolons" / "Applied.").
      for (const h of t.hits) expect(`${marked(h.subject)} ${marked(h.snippet)}`).toMatch(/\[semicolons\]/i);
    }
  });
});

describe.skipIf(!hasShared || !notmuchAvailable())('search on Apache lists (ponymail mboxes), against notmuch', () => {
  let store: Store;
  let scratch: Scratch;
  let notmuch: (q: string) => string[];
  beforeAll(async () => {
    // notmuch reads Maildirs: each message of the mboxes becomes a file, and both sides read those files.
    scratch = scratchMaildir();
    await mboxToMaildir(['maven-dev-2017-11-mboxvm.mbox', 'httpd-users-2020-07.mbox'].map((f) => corpus('ponymail', f)), scratch);
    store = await freshDatabase();
    await ingestPaths(store.writer, [scratch.maildir], { list: 'apache' });
    await refreshIndex(store);
    notmuch = notmuchOver(scratch.maildir, scratch);
  });
  afterAll(async () => {
    await store?.close();
    scratch?.dispose();
  });

  it.each([
    ['s:release', 'subject:"release"'],
    // Accents fold on both sides: herve finds Hervé.
    ['f:herve', 'from:"herve"'],
    ['f:"Hervé Boutemy"', 'from:"Hervé Boutemy"'],
    ['"maven-surefire-plugin"', '"maven-surefire-plugin"'],
    ['s:vote d:2017-11-01..2017-11-15', 'subject:"vote" and date:2017-11-01..2017-11-15'],
    ['b:ssl', 'body:"ssl"'],
    ['proxy*', 'proxy*'],
  ])('%s finds what notmuch finds for %s', async (ours, theirs) => {
    const expected = notmuch(theirs);
    expect(expected.length).toBeGreaterThan(0);
    expect((await hitIds(store, ours)).sort()).toEqual(expected.sort());
  });
});
