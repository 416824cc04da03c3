import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { freshDatabase } from '../support/db';
import { hasShared, corpus } from '../support/shared';
import { ingestPaths, type IngestSummary } from '../../lib/ingest';
import type { Database } from '../../lib/db/client';

const ponymail = () => fs.readdirSync(corpus('ponymail')).filter((f) => f.endsWith('.mbox')).sort().map((f) => corpus('ponymail', f));

// Expected figures from Python's mailbox module over the same files:
// 2,039 messages in 31 files; 807 distinct Message-IDs; 4 messages with none
// (one "Reactor safe/rally points" reply in each of the three maven-dev
// 2017-11 archives, their bytes differing, and no_date.mbox's stub).
describe.skipIf(!hasShared)('ingest of the ponymail corpus', () => {
  let store: Awaited<ReturnType<typeof freshDatabase>>;
  let db: Database;
  let first: IngestSummary;
  beforeAll(async () => {
    store = await freshDatabase();
    db = store.db;
    first = await ingestPaths(store.writer, ponymail());
  });
  afterAll(() => store.close());

  it('reads every message and stores each Message-ID once', async () => {
    expect(first.seen).toBe(2039);
    expect(first.skipped).toEqual([]);
    expect(await db.message.count({ where: { isGhost: false, idKind: 'header' } })).toBe(807);
    expect(await db.message.count({ where: { isGhost: false, idKind: 'derived' } })).toBe(4);
    expect(first.added).toBe(811);
    expect(first.duplicates).toBe(2039 - 811);
    expect(await db.messageCopy.count()).toBe(2039);
  });

  it('collapses the same month fetched from three archives, counting the copies', async () => {
    const names = ['listsao', 'mailarchivesao', 'mboxvm'].map((a) => corpus('ponymail', `maven-dev-2017-11-${a}.mbox`));
    const copies = await db.messageCopy.groupBy({ by: ['messageId'], where: { source: { in: names } }, _count: { _all: true } });
    // Python's count over the three files: 313 Message-IDs met three times,
    // 3 met four times (one archive holds them twice), and the reply with no
    // Message-ID, whose three copies differ in bytes and so stay apart.
    const byCopies: Record<number, number> = {};
    for (const c of copies) byCopies[c._count._all] = (byCopies[c._count._all] ?? 0) + 1;
    expect(byCopies).toEqual({ 1: 3, 3: 313, 4: 3 });
  });

  it('is idempotent: a second ingest adds nothing and loses nothing', async () => {
    const before = { messages: await db.message.count(), threads: await db.thread.count() };
    // Each mbox goes on from where it ended: nothing new to read.
    const again = await ingestPaths(store.writer, ponymail());
    expect([again.seen, again.added, again.duplicates, again.unchanged]).toEqual([0, 0, 0, 0]);
    // Read whole all the same, every copy is known by its place.
    const whole = await ingestPaths(store.writer, ponymail(), { resume: false });
    expect([whole.added, whole.duplicates, whole.unchanged]).toEqual([0, 0, 2039]);
    expect({ messages: await db.message.count(), threads: await db.thread.count() }).toEqual(before);
    expect(store.danglingReferences()).toEqual([]);
  });
});

describe('bad input', () => {
  let store: Awaited<ReturnType<typeof freshDatabase>>;
  let dir: string;
  beforeAll(async () => {
    store = await freshDatabase();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadlab-bad-'));
  });
  afterAll(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const message = (id: string, subject: string, extra = '') =>
    `From: A <a@example.org>\nTo: l@example.org\nSubject: ${subject}\nDate: Mon, 1 Feb 2021 10:00:00 +0000\nMessage-ID: <${id}>\n${extra}\nbody of ${subject}\n`;

  it('reports a broken separator with file and offset, keeps the rest, and loses nothing stored before', async () => {
    const good = path.join(dir, 'good.mbox');
    fs.writeFileSync(good, `From a@example.org Mon Feb  1 10:00:00 2021\n${message('one@x', 'one')}\n`);
    const first = await ingestPaths(store.writer, [good], { list: 'test' });
    expect(first.added).toBe(1);

    const garbage = 'this line is not an mbox separator\n';
    const bad = path.join(dir, 'bad.mbox');
    fs.writeFileSync(bad, `${garbage}From b@example.org Mon Feb  1 11:00:00 2021\n${message('two@x', 'two', 'In-Reply-To: <one@x>')}\n`);
    const second = await ingestPaths(store.writer, [bad, path.join(dir, 'missing.mbox')], { list: 'test' });
    expect(second.added).toBe(1);
    expect(second.skipped.map((s) => [path.basename(s.source), s.offset])).toEqual([['bad.mbox', 0], ['missing.mbox', 0]]);
    expect(second.skipped[1].reason).toMatch(/no such file/);
    const two = await store.db.message.findUniqueOrThrow({ where: { archiveId: 'two@x' }, include: { parent: true } });
    expect(two.parent?.archiveId).toBe('one@x');
    expect(await store.db.message.count({ where: { isGhost: false } })).toBe(2);
  });

  it('turns a ghost into the message in place when its mail arrives later', async () => {
    // Two replies keep the missing parent as a ghost (JWZ prunes a ghost with one child).
    const replies = ['late-reply@x', 'late-reply-2@x'].map((id) => {
      const file = path.join(dir, `${id}.eml`);
      fs.writeFileSync(file, message(id, 'Re: late', 'In-Reply-To: <late-parent@x>\nReferences: <late-parent@x>'));
      return file;
    });
    await ingestPaths(store.writer, replies, { list: 'late' });
    const ghost = await store.db.message.findUniqueOrThrow({ where: { archiveId: 'late-parent@x' } });
    expect(ghost.isGhost).toBe(true);

    const parent = path.join(dir, 'parent.eml');
    fs.writeFileSync(parent, message('late-parent@x', 'late'));
    const summary = await ingestPaths(store.writer, [parent], { list: 'late' });
    expect(summary.added).toBe(1);
    const real = await store.db.message.findUniqueOrThrow({ where: { archiveId: 'late-parent@x' } });
    expect([real.id, real.isGhost, real.subject]).toEqual([ghost.id, false, 'late']);
    const child = await store.db.message.findUniqueOrThrow({ where: { archiveId: 'late-reply@x' } });
    expect([child.parentId, child.threadId]).toEqual([real.id, real.threadId]);
    expect(store.danglingReferences()).toEqual([]);
  });

  it('survives a crash between batches: the re-run completes the work', async () => {
    const mbox = path.join(dir, 'many.mbox');
    const n = 25;
    fs.writeFileSync(mbox, Array.from({ length: n }, (_, i) =>
      `From a@example.org Mon Feb  1 10:00:00 2021\n${message(`c${i}@x`, `c${i}`, i ? `In-Reply-To: <c${i - 1}@x>` : '')}\n`).join(''));
    let batches = 0;
    await expect(ingestPaths(store.writer, [mbox], { list: 'crash', batchSize: 10, onProgress: () => {
      if (++batches === 2) throw new Error('simulated crash');
    } })).rejects.toThrow('simulated crash');
    // Whole batches only: the first two committed, nothing of the third.
    expect(await store.db.message.count({ where: { list: { name: 'crash' } } })).toBe(20);
    // It goes on from the last message stored (read again, unchanged), not from the start.
    const rerun = await ingestPaths(store.writer, [mbox], { list: 'crash', batchSize: 10 });
    expect([rerun.added, rerun.unchanged]).toEqual([5, 1]);
    const last = await store.db.message.findUniqueOrThrow({ where: { archiveId: `c${n - 1}@x` } });
    expect(last.depth).toBe(n - 1);
    expect(store.danglingReferences()).toEqual([]);
  });
});
