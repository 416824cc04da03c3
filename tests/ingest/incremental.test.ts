// A sync adds a few messages to a large archive by threading and linking only what
// they touch (rethreadQueued, planThread's relinked set). What it stores must be what
// ingesting everything at once stores: threads, parents, order, ghosts, quote links
// and the lists of threads. On the real lkml Maildir, fed in a shuffled order so that
// replies arrive before their parents; and on Apache mail whose Outlook replies have
// no reply headers, their parents inferred from attribution lines.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { freshDatabase, type Store } from '../support/db';
import { hasShared, corpus } from '../support/shared';
import { ingestPaths } from '../../lib/ingest';
import { readArchive } from '../../lib/mail';
import { prepare, type Connection } from '../../lib/db/connection';


/** Everything threading and linking decided, by archive ids (row ids differ between the two databases). */
function threading(db: Connection) {
  const messages = prepare(db, `SELECT m."archiveId", m."isGhost", r."rootArchiveId" AS root, p."archiveId" AS parent, m."parentBy", m.depth, m."threadOrder", coalesce(x.body, '') AS "ghostText"
    FROM "Message" m LEFT JOIN "Thread" r ON r.id = m."threadId" LEFT JOIN "Message" p ON p.id = m."parentId"
    LEFT JOIN "MessageText" x ON x."messageId" = m.id AND m."isGhost" ORDER BY m."archiveId"`).all();
  const threads = prepare(db, 'SELECT "rootArchiveId", subject, "messageCount", "firstDate", "lastDate" FROM "Thread" ORDER BY "rootArchiveId"').all();
  const links = prepare(db, `SELECT m."archiveId" AS message, q.segment, s."archiveId" AS source, q."sourceStart", q."sourceEnd", q.match, q.score
    FROM "QuoteLink" q JOIN "Message" m ON m.id = q."messageId" LEFT JOIN "Message" s ON s.id = q."sourceId" ORDER BY m."archiveId", q.segment`).all();
  const lists = prepare(db, `SELECT t."rootArchiveId", l.name FROM "ThreadList" tl JOIN "Thread" t ON t.id = tl."threadId" JOIN "List" l ON l.id = tl."listId" ORDER BY 1, 2`).all();
  return { messages, threads, links, lists };
}

/** Each message of the sources as a file of its own, in a fixed shuffled order (each file's place from a hash of its name). */
async function messageFiles(dir: string, sources: string[]): Promise<string[]> {
  const out: string[] = [];
  let n = 0;
  for (const source of sources) {
    for await (const m of readArchive(source, { onError: () => {} })) {
      const file = path.join(dir, `${String(n++).padStart(6, '0')}.eml`);
      fs.writeFileSync(file, m.raw);
      out.push(file);
    }
  }
  const hash = (s: string) => [...s].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  return out.sort((a, b) => hash(path.basename(a)) - hash(path.basename(b)) || a.localeCompare(b));
}

const cases = [
  // Kernel mail: reply headers, gmane-munged In-Reply-To, replies before their parents.
  { name: 'the lkml Maildir', sources: () => [corpus('notmuch-lkml')], step: 7 },
  // Apache lists: Outlook replies without reply headers, whose parents are inferred from attributions.
  { name: 'the ponymail mboxes', sources: () => fs.readdirSync(corpus('ponymail')).filter((f) => f.endsWith('.mbox')).sort().map((f) => corpus('ponymail', f)), step: 60 },
];

describe.skipIf(!hasShared).each(cases)('a sync that threads only what new mail touches, on $name', ({ sources, step }) => {
  let whole: Store;
  let synced: Store;
  let dir: string;
  let files: string[];
  beforeAll(async () => {
    whole = await freshDatabase();
    synced = await freshDatabase();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadlab-incr-'));
    fs.mkdirSync(path.join(dir, 'all'));
    files = await messageFiles(path.join(dir, 'all'), sources());
    fs.mkdirSync(path.join(dir, 'box', 'cur'), { recursive: true });
  });
  afterAll(async () => {
    await whole?.close();
    await synced?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  // One delivery time for all: mail without a Date is dated by it, and which of a message's
  // copies is stored first differs between the two databases.
  const delivered = new Date('2017-12-01T00:00:00Z');
  const deliver = (batch: string[]) => {
    for (const f of batch) {
      const to = path.join(dir, 'box', 'cur', path.basename(f));
      fs.copyFileSync(f, to);
      fs.utimesSync(to, delivered, delivered);
    }
  };

  it('stores what one ingest of everything stores', async () => {
    const box = path.join(dir, 'box');
    // Everything at once first; then the messages found by attribution to be a header-less
    // reply's parent go last, so that syncs bring parents to replies stored before them.
    deliver(files);
    await ingestPaths(whole.writer, [box], { list: 'box' });
    fs.rmSync(path.join(box, 'cur'), { recursive: true });
    fs.mkdirSync(path.join(box, 'cur'));
    const attributed = new Set(
      prepare<[], { source: string }>(whole.writer, `SELECT c.source FROM "Message" r JOIN "Message" p ON p.id = r."parentId" JOIN "MessageCopy" c ON c."messageId" = p.id
        WHERE r."parentBy" = 'attribution' AND NOT p."isGhost"`).all().map((c) => path.basename(c.source)),
    );
    files = [...files.filter((f) => !attributed.has(path.basename(f))), ...files.filter((f) => attributed.has(path.basename(f)))];
    const first = Math.floor(files.length * 0.8);
    deliver(files.slice(0, first));
    await ingestPaths(synced.writer, [box], { list: 'box' });
    // The rest in small steps, each read as a sync reads it.
    const steps: Array<string | undefined> = [];
    for (let i = first; i < files.length; i += step) {
      deliver(files.slice(i, i + step));
      const s = await ingestPaths(synced.writer, [box], { list: 'box' });
      expect(s.seen).toBe(Math.min(step, files.length - i));
      steps.push(s.threading);
    }
    expect(steps.filter((t) => t === 'touched').length).toBeGreaterThan(0);
    const a = threading(whole.writer);
    const b = threading(synced.writer);
    expect(b.threads).toEqual(a.threads);
    expect(b.messages).toEqual(a.messages);
    expect(b.links).toEqual(a.links);
    expect(b.lists).toEqual(a.lists);
    expect(synced.danglingReferences()).toEqual([]);
  });
});
