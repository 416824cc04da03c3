// public-inbox repositories as a source, incremental reads, lists as many-to-many,
// removals and reused Message-IDs: on real lkml mail from ../shared/corpora, put in
// repositories made with git plumbing (tests/support/public-inbox.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { emptyStore, freshDatabase, type Store } from '../support/db';
import { hasShared, corpus } from '../support/shared';
import { appendToEpoch, makeV1Inbox, makeV2Inbox } from '../support/public-inbox';
import { hitIds, searchIn } from '../search/support';
import { prepare } from '../../lib/db/connection';
import { ingestPaths, ingestSources } from '../../lib/ingest';
import { recordedSources } from '../../lib/ingest/sources';
import { messageInList, threadsOfList, rawMessage } from '../../lib/archive/read';
import { projectRoot } from '../../lib/db/url';


/** Real lkml messages, each with its Message-ID, a List-Id of our choosing in place of its own. */
function lkml(count: number): Array<{ id: string; bytes: (list: string) => Buffer }> {
  const dir = corpus('notmuch-lkml', 'cur');
  const seen = new Set<string>();
  const out: Array<{ id: string; bytes: (list: string) => Buffer }> = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const raw = fs.readFileSync(path.join(dir, name));
    const head = raw.subarray(0, raw.indexOf('\n\n')).toString('latin1');
    const id = /^message-id:\s*<([^>]+)>/im.exec(head)?.[1];
    if (!id || seen.has(id)) continue;
    seen.add(id);
    out.push({ id, bytes: (list) => withListId(raw, list) });
    if (out.length === count) break;
  }
  return out;
}

/** The message as delivered by `list`: its own List-Id lines out, the list's in. */
function withListId(raw: Buffer, list: string): Buffer {
  const text = raw.toString('latin1').replace(/^List-Id:.*\n(?:[ \t].*\n)*/gim, '');
  return Buffer.from(`List-Id: ${list} <${list}.vger.kernel.org>\n${text}`, 'latin1');
}

const subjectOf = (m: { bytes: (list: string) => Buffer }) =>
  /^subject:\s*(.*)$/im.exec(m.bytes('x').toString('latin1'))![1]!.replace(/^(re:\s*)+/i, '').replace(/["\\]/g, ' ').trim();

const servedIds = async (store: Store, list: string) => {
  const page = await threadsOfList(store.db, list, 1);
  if (!page) return [];
  const threads = page.threads.map((t) => t.id);
  const rows = prepare<[], { archiveId: string }>(store.writer, `SELECT "archiveId" FROM "Message" WHERE NOT "isGhost" AND "threadId" IN (${threads.join(',') || 'NULL'})`).all();
  return rows.map((r) => r.archiveId).sort();
};

describe.skipIf(!hasShared)('a public-inbox v2 inbox', () => {
  let store: Store;
  let dir: string;
  let inbox: string;
  const mail = hasShared ? lkml(8) : [];
  const [a, b, c, d, e, f] = mail;
  beforeAll(async () => {
    store = await freshDatabase();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadlab-pi-'));
    inbox = path.join(dir, 'linux-mm');
    // Epoch 0: a, b, c. Epoch 1: d, b removed, e.
    makeV2Inbox(inbox, [
      [{ add: a!.bytes('linux-mm') }, { add: b!.bytes('linux-mm') }, { add: c!.bytes('linux-mm') }],
      [{ add: d!.bytes('linux-mm') }, { remove: b!.bytes('linux-mm') }, { add: e!.bytes('linux-mm') }],
    ]);
  });
  afterAll(async () => {
    await store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads every epoch in order, and a removal takes its message out, its bytes kept', async () => {
    const s = await ingestPaths(store.writer, [inbox]);
    expect(s).toMatchObject({ files: 2, seen: 6, added: 5, removed: 1, skipped: [] });
    const stored = prepare<[], { archiveId: string }>(store.writer, 'SELECT "archiveId" FROM "Message" WHERE NOT "isGhost" ORDER BY "archiveId"').all().map((r) => r.archiveId);
    expect(stored).toEqual([a, c, d, e].map((m) => m!.id).sort());
    // No longer served or found: at most a ghost where replies refer to it, as for any message not in the archive...
    const left = await messageInList(store.db, 'linux-mm', b!.id);
    expect(left === null || (left.isGhost && left.subject === '' && left.rawSha256 === null)).toBe(true);
    expect(await rawMessage(store.db, 'linux-mm', b!.id)).toBeNull();
    expect((await searchIn(store, `m:${b!.id}`)).messages.hits.flatMap((t) => t.hits).every((h) => h.isGhost)).toBe(true);
    expect(await hitIds(store, `s:"${subjectOf(b!)}"`)).not.toContain(b!.id);
    // ...but its bytes are kept, with where it was removed.
    const removed = prepare(store.writer, 'SELECT "archiveId", source, "blockId" FROM "RemovedMessage"').all();
    expect(removed).toEqual([{ archiveId: b!.id, source: path.join(inbox, 'git', '1.git'), blockId: expect.any(Number) }]);
    expect(store.danglingReferences()).toEqual([]);
    // The inbox's name is the list's when nothing else names it.
    expect((await threadsOfList(store.db, 'linux-mm', 1))?.total).toBeGreaterThan(0);
  });

  it('reads only what is new when ingested again, and takes a message that arrives again', async () => {
    const again = await ingestPaths(store.writer, [inbox]);
    expect(again).toMatchObject({ seen: 0, added: 0, duplicates: 0, unchanged: 0, skipped: [] });
    appendToEpoch(path.join(inbox, 'git', '1.git'), [{ add: b!.bytes('linux-mm') }, { add: f!.bytes('linux-mm') }]);
    const more = await ingestPaths(store.writer, [inbox]);
    expect(more).toMatchObject({ seen: 2, added: 2, skipped: [] });
    expect(await messageInList(store.db, 'linux-mm', b!.id)).not.toBeNull();
    expect(await hitIds(store, `m:${b!.id}`)).toEqual([b!.id]);
  });

  it('a single epoch is a source too, named after its inbox', async () => {
    const fresh = await freshDatabase();
    try {
      const s = await ingestPaths(fresh.writer, [path.join(inbox, 'git', '0.git')], { list: undefined });
      expect(s).toMatchObject({ seen: 3, added: 3, skipped: [] });
      expect(prepare<[], { name: string }>(fresh.writer, 'SELECT name FROM "List"').all().map((l) => l.name)).toEqual(['linux-mm']);
    } finally {
      await fresh.close();
    }
  });

  it('reports a git repository that holds no public-inbox messages, and all.git', async () => {
    const other = path.join(dir, 'code.git');
    spawnSync('git', ['init', '-q', '--bare', other]);
    const fresh = await freshDatabase();
    try {
      const s = await ingestPaths(fresh.writer, [other, path.join(inbox, 'all.git')]);
      expect(s.added).toBe(0);
      expect(s.skipped.map((k) => k.reason)).toEqual([
        expect.stringMatching(/no commits/),
        expect.stringMatching(/all\.git of a v2 inbox holds no history of its own/),
      ]);
    } finally {
      await fresh.close();
    }
  });
});

describe.skipIf(!hasShared)('a public-inbox v1 inbox', () => {
  it('reads each message file, and a deletion removes it', async () => {
    const [a, b] = lkml(2);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadlab-pi1-'));
    const store = await freshDatabase();
    try {
      const repo = path.join(dir, 'ocfs2-devel.git');
      makeV1Inbox(repo, [{ add: a!.bytes('ocfs2-devel') }, { add: b!.bytes('ocfs2-devel') }, { remove: a!.bytes('ocfs2-devel') }]);
      const s = await ingestPaths(store.writer, [repo]);
      expect(s).toMatchObject({ seen: 3, added: 2, removed: 1, skipped: [] });
      expect(await messageInList(store.db, 'ocfs2-devel', a!.id)).toBeNull();
      expect(await messageInList(store.db, 'ocfs2-devel', b!.id)).not.toBeNull();
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!hasShared)('blobs read through git cat-file', () => {
  it('come out byte for byte, also those far larger than a pipe carries at once', async () => {
    const [a, b, c] = lkml(3);
    const big = Buffer.concat([b!.bytes('linux-mm'), Buffer.from('\n' + 'a long line of a long patch\n'.repeat(20_000))]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadlab-pi-big-'));
    const store = await freshDatabase();
    try {
      const messages = [a!.bytes('linux-mm'), big, c!.bytes('linux-mm')];
      makeV2Inbox(path.join(dir, 'linux-mm'), [messages.map((m) => ({ add: m }))]);
      expect(await ingestPaths(store.writer, [path.join(dir, 'linux-mm')])).toMatchObject({ added: 3, skipped: [] });
      for (const [i, m] of [a, b, c].entries()) {
        expect((await (await rawMessage(store.db, 'linux-mm', m!.id))!.bytes()).equals(messages[i]!)).toBe(true);
      }
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!hasShared)('a message cross-posted to several lists', () => {
  let store: Store;
  let dir: string;
  const mail = hasShared ? lkml(3) : [];
  const [x, y, z] = mail;
  beforeAll(async () => {
    store = await freshDatabase();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadlab-xpost-'));
    // linux-kernel's copies first (a Maildir), then linux-fsdevel's inbox with x again and y.
    for (const [i, m] of [x, z].entries()) {
      fs.mkdirSync(path.join(dir, 'lkml', 'cur'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'lkml', 'cur', `100000000${i}.M1.host:2,S`), m!.bytes('linux-kernel'));
    }
    makeV2Inbox(path.join(dir, 'linux-fsdevel'), [[{ add: x!.bytes('linux-fsdevel') }, { add: y!.bytes('linux-fsdevel') }]]);
  });
  afterAll(async () => {
    await store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is stored once and is in every list it was delivered to', async () => {
    await ingestPaths(store.writer, [path.join(dir, 'lkml')]);
    const s = await ingestPaths(store.writer, [path.join(dir, 'linux-fsdevel')]);
    expect(s).toMatchObject({ added: 1, duplicates: 1, listed: 1 });
    const m = await messageInList(store.db, 'linux-fsdevel', x!.id);
    expect(m).not.toBeNull();
    expect(await messageInList(store.db, 'linux-kernel', x!.id)).not.toBeNull();
    expect(m!.lists.map((l) => l.list.name)).toEqual(['linux-kernel', 'linux-fsdevel']);
    // Each list's page shows the threads it had a part in, whole; l: matches any of a message's lists.
    expect(await servedIds(store, 'linux-fsdevel')).toEqual(expect.arrayContaining([x!.id, y!.id]));
    expect(await servedIds(store, 'linux-kernel')).toEqual(expect.arrayContaining([x!.id, z!.id]));
    expect((await hitIds(store, 'l:linux-fsdevel')).sort()).toEqual([x!.id, y!.id].sort());
    expect((await hitIds(store, 'l:linux-kernel')).sort()).toEqual([x!.id, z!.id].sort());
    expect(store.danglingReferences()).toEqual([]);
  });

  it('a removal from one list leaves it in the others', async () => {
    appendToEpoch(path.join(dir, 'linux-fsdevel', 'git', '0.git'), [{ remove: x!.bytes('linux-fsdevel') }]);
    const s = await ingestPaths(store.writer, [path.join(dir, 'linux-fsdevel')]);
    expect(s).toMatchObject({ seen: 1, removed: 0, unlisted: 1 });
    expect(await messageInList(store.db, 'linux-fsdevel', x!.id)).toBeNull();
    expect(await messageInList(store.db, 'linux-kernel', x!.id)).not.toBeNull();
    expect(await hitIds(store, 'l:linux-fsdevel')).toEqual([y!.id]);
  });

  it('sync reads every recorded source again, only what is new', async () => {
    const w = lkml(5)[4]!;
    fs.writeFileSync(path.join(dir, 'lkml', 'cur', '1000000009.M1.host:2,S'), w.bytes('linux-kernel'));
    const sources = recordedSources(store.writer);
    expect(sources.map((r) => [path.basename(r.path), r.kind])).toEqual([['lkml', 'maildir'], ['linux-fsdevel', 'public-inbox']]);
    const s = await ingestSources(store.writer, sources);
    // The Maildir's two files stored before are not read again, and count as unchanged.
    expect(s).toMatchObject({ seen: 1, added: 1, unchanged: 2, skipped: [] });
    expect(await messageInList(store.db, 'linux-kernel', w.id)).not.toBeNull();
  });
});

describe.skipIf(!hasShared)('a whole list delivered again under another name', () => {
  it('files every message and thread under that list too, though no thread changes', async () => {
    const store = await freshDatabase();
    try {
      const box = corpus('notmuch-lkml');
      await ingestPaths(store.writer, [box], { list: 'linux-kernel' });
      const again = await ingestPaths(store.writer, [box], { list: 'linux-fsdevel' });
      // Only the threads' lists change: nothing is threaded again.
      expect(again).toMatchObject({ added: 0, threading: undefined });
      // Every message, once (the Maildir holds some twice).
      expect(again.listed).toBe(await store.db.message.count({ where: { isGhost: false } }));
      const kernel = await threadsOfList(store.db, 'linux-kernel', 1);
      expect((await threadsOfList(store.db, 'linux-fsdevel', 1))?.total).toBe(kernel!.total);
    } finally {
      await store.close();
    }
  });
});

describe.skipIf(!hasShared)('two messages with one Message-ID', () => {
  it('keeps both: the second under a derived id, linked to the id it claimed and reported; a copy stays a duplicate', async () => {
    const [a] = lkml(1);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadlab-reuse-'));
    const store = await freshDatabase();
    try {
      const original = a!.bytes('linux-mm');
      const other = Buffer.from(original.toString('latin1').replace(/\n\n/, '\n\nA different message that reuses the id.\n\n'), 'latin1');
      const copy = Buffer.from(`Received: from elsewhere\n${a!.bytes('linux-fsdevel').toString('latin1')}`, 'latin1');
      for (const [name, bytes] of [['1', original], ['2', other], ['3', copy]] as const) {
        fs.writeFileSync(path.join(dir, `${name}.eml`), bytes);
      }
      const s = await ingestPaths(store.writer, [dir]);
      expect(s).toMatchObject({ added: 2, duplicates: 1, listed: 1 });
      expect(s.reused).toEqual([{ claimedId: a!.id, storedAs: expect.stringMatching(/@archive\.invalid$/), source: path.join(dir, '2.eml'), offset: 0 }]);
      const row = prepare(store.writer, 'SELECT "idKind", "claimedId" FROM "Message" WHERE "archiveId" = ?').get(s.reused[0]!.storedAs);
      expect(row).toEqual({ idKind: 'reused', claimedId: a!.id });
      // Ingested again, each is known by its place: nothing new.
      expect(await ingestPaths(store.writer, [dir])).toMatchObject({ added: 0, duplicates: 0, reused: [] });
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!hasShared)('npm run sync', () => {
  it('prints what each source added, and fails when there is nothing recorded', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadlab-sync-'));
    const store = await emptyStore();
    try {
      const env = { ...process.env, DATABASE_URL: store.url };
      const run = (script: string, ...args: string[]) =>
        spawnSync('npm', ['run', '--silent', script, '--', ...args], { cwd: projectRoot, env, encoding: 'utf8' });
      const none = run('sync');
      expect(none.status).toBe(1);
      expect(none.stderr).toMatch(/no sources recorded yet/);
      const [a, b] = lkml(2);
      makeV2Inbox(path.join(dir, 'linux-mm'), [[{ add: a!.bytes('linux-mm') }]]);
      expect(run('ingest', path.join(dir, 'linux-mm')).status).toBe(0);
      appendToEpoch(path.join(dir, 'linux-mm', 'git', '0.git'), [{ add: b!.bytes('linux-mm') }]);
      const synced = run('sync');
      expect(synced.status).toBe(0);
      expect(synced.stdout).toMatch(/added\s+1\n/);
      const unchanged = run('sync', '--json');
      expect(JSON.parse(unchanged.stdout)).toMatchObject({ seen: 0, added: 0 });
    } finally {
      await store.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
