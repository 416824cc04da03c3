/**
 * Nothing silently lost, at the readers: a Maildir++ tree (subfolders, nested ones, loose
 * files, tmp/, bookkeeping), files told by their content rather than their name, and a
 * reason for everything not read. Archives are built in a temp folder from real mail
 * (tests/support/samples.ts).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decode, detectFileFormat, readArchive, readMaildir, type RawMessage } from '../../lib/mail';
import { mboxOf, mboxrdQuoted, sampleMessages } from '../support/samples';
import { scratchFolder } from '../support/scratch';

const { dir, write } = scratchFolder('threadlab-nothing-lost-');

const [a, b, c, d, e, f, g, h] = sampleMessages(8);


async function read(path: string, reader = readArchive) {
  const messages: RawMessage[] = [];
  const errors: { source: string; offset: number; reason: string }[] = [];
  for await (const m of reader(path, { onError: (x) => errors.push({ source: x.source.slice(dir.length + 1), offset: x.offset, reason: x.reason }) })) messages.push(m);
  const ids = await Promise.all(messages.map(async (m) => (await decode(m)).messageId));
  return { messages, errors, ids, where: messages.map((m) => [m.source.slice(dir.length + 1), m.format, m.folder]) };
}

describe('a Maildir++ tree', () => {
  const box = (p: string) => `box/${p}`;
  write(box('cur/1000000001.M1.host:2,S'), a.bytes);
  write(box('new/1000000002.M1.host'), b.bytes);
  write(box('tmp/1000000003.M1.host'), c.bytes);
  write(box('.Sent/cur/1000000004.M1.host:2,S'), d.bytes);
  write(box('.Sent/maildirfolder'), '');
  write(box('.lists.linux-mm/new/1000000005.M1.host'), e.bytes);
  write(box('.a.b/cur/1000000006.M1.host:2,'), f.bytes);
  mkdirSync(join(dir, box('.a.b/tmp')), { recursive: true });
  // A folder nested on disk (mbsync's SubFolders Verbatim) is a Maildir inside the Maildir.
  write(box('.a.b/.c/cur/1000000007.M1.host:2,'), g.bytes);
  write(box('cur/1000000008.M1.host:2,S'), ''); // emptied by a crash
  write(box('new/.keep'), ''); // holds the folder in git: nothing to say
  write(box('new/.1000000002.M1.host.swp'), 'b0VIM 8.2');
  write(box('loose.eml'), h.bytes); // a message saved beside the folders
  write(box('notes.txt'), 'Things to read later.\n');
  write(box('dovecot-uidlist'), '3 V1234 N9\n');
  write(box('.notmuch/xapian/flintlock'), '');
  write(box('.trash-old/readme'), 'not a Maildir\n');

  it('reads cur/ and new/, then every subfolder (nested ones too) with its folder, then loose files', async () => {
    const { where, ids } = await read(join(dir, 'box'));
    expect(where).toEqual([
      ['box/cur/1000000001.M1.host:2,S', 'maildir', undefined],
      ['box/new/1000000002.M1.host', 'maildir', undefined],
      ['box/.Sent/cur/1000000004.M1.host:2,S', 'maildir', 'Sent'],
      ['box/.a.b/cur/1000000006.M1.host:2,', 'maildir', 'a.b'],
      ['box/.a.b/.c/cur/1000000007.M1.host:2,', 'maildir', 'a.b.c'],
      ['box/.lists.linux-mm/new/1000000005.M1.host', 'maildir', 'lists.linux-mm'],
      ['box/loose.eml', 'eml', undefined],
    ]);
    expect(ids).toEqual([a, b, d, f, g, e, h].map((s) => s.messageId));
  });

  it('names everything it did not read, with its reason', async () => {
    const { errors } = await read(join(dir, 'box'));
    expect(errors).toEqual([
      { source: 'box/new/.1000000002.M1.host.swp', offset: 0, reason: 'hidden file (name starts with "."), not a message; not read' },
      { source: 'box/tmp/1000000003.M1.host', offset: 0, reason: 'in tmp/, still being delivered; not read' },
      { source: 'box/cur/1000000008.M1.host:2,S', offset: 0, reason: 'empty file; skipped' },
      { source: 'box/.Sent/maildirfolder', offset: 0, reason: 'Maildir bookkeeping, not mail; not read' },
      { source: 'box/.notmuch', offset: 0, reason: 'Maildir bookkeeping, not mail; not read' },
      { source: 'box/.trash-old', offset: 0, reason: 'hidden folder that is no Maildir++ folder (no cur/ or new/); not read' },
      { source: 'box/dovecot-uidlist', offset: 0, reason: 'Maildir bookkeeping, not mail; not read' },
      { source: 'box/notes.txt', offset: 0, reason: expect.stringMatching(/^unrecognised format, not mail .*; skipped$/) },
    ]);
  });

  it('reads the same through readMaildir, the Maildir reader on its own', async () => {
    expect((await read(join(dir, 'box'), readMaildir)).ids).toEqual((await read(join(dir, 'box'))).ids);
  });

  it("reads a Maildir's file, or its cur/, named on its own as the Maildir would; a file in tmp/ is still not read", async () => {
    const one = await read(join(dir, box('.Sent/cur/1000000004.M1.host:2,S')));
    expect(one.where).toEqual([['box/.Sent/cur/1000000004.M1.host:2,S', 'maildir', undefined]]);
    const cur = await read(join(dir, box('cur')));
    expect(cur.ids).toEqual([a.messageId]);
    expect(cur.errors.map((x) => x.reason)).toEqual(['empty file; skipped']);
    const tmp = await read(join(dir, box('tmp/1000000003.M1.host')));
    expect(tmp).toMatchObject({ messages: [], errors: [{ reason: 'in tmp/, still being delivered; not read' }] });
    expect((await read(join(dir, box('tmp')))).errors).toHaveLength(1);
  });
});

describe("a file's format is told by its content", () => {
  it('a From-less .mbox holding one message is that message', async () => {
    const path = write('content/one.mbox', a.bytes);
    expect(await detectFileFormat(path)).toBe('eml');
    const { messages, errors, ids } = await read(path);
    expect(errors).toEqual([]);
    expect(ids).toEqual([a.messageId]);
    expect(Buffer.from(messages[0].raw).equals(a.bytes)).toBe(true);
  });

  it('an mbox named .eml is an mbox; one message after a From line in an .eml is still that message', async () => {
    const mbox = mboxOf([a, b, c]);
    const path = write('content/three.eml', mbox);
    expect(await detectFileFormat(path)).toBe('mbox');
    const many = await read(path);
    expect(many.errors).toEqual([]);
    expect(many.ids).toEqual([a, b, c].map((s) => s.messageId));
    expect(many.messages.map((m) => m.offset)).toEqual([0, mboxOf([a]).length, mboxOf([a, b]).length]);

    const saved = write('content/saved.eml', mboxOf([d]));
    const one = await read(saved);
    expect(one.where).toEqual([['content/saved.eml', 'eml', undefined]]);
    expect(one.messages[0].offset).toBe('From sender@example.org Mon Jan  3 10:00:00 2011\n'.length);
    expect(one.ids).toEqual([d.messageId]);
  });

  it('an mbox that lost its first From line keeps its first message', async () => {
    // As an mbox holds it: the first message's own `From ` lines quoted like the rest's.
    const first = mboxrdQuoted(a);
    const path = write('content/headless.mbox', Buffer.concat([first, Buffer.from('\n'), mboxOf([b, c])]));
    const { messages, errors, ids } = await read(path);
    expect(errors).toEqual([]);
    expect(ids).toEqual([a, b, c].map((s) => s.messageId));
    expect(messages.map((m) => m.offset)).toEqual([0, first.length + 1, first.length + 1 + mboxOf([b]).length]);
    expect(Buffer.from(messages[0].raw).equals(a.bytes)).toBe(true);
  });

  it('a gzipped mbox is read whatever its name; a monthly archive whose name and bytes disagree too', async () => {
    const gz = write('content/t.mbox.gz', gzipSync(mboxOf([a, b])));
    expect((await read(gz)).ids).toEqual([a.messageId, b.messageId]);
    const unnamed = write('content/download', gzipSync(mboxOf([c])));
    expect((await read(unnamed)).ids).toEqual([c.messageId]);

    const monthly = [
      'From npiggin at gmail.com  Fri Dec 31 01:31:44 2010',
      'From: npiggin at gmail.com (Nick Piggin)',
      'Date: Fri, 31 Dec 2010 20:31:44 +1100',
      'Subject: [Ocfs2-devel] Confused by commit 56a76f',
      'Message-ID: <AANLkTi=abc@mail.gmail.com>',
      '',
      'Hi Joel,',
      '',
    ].join('\n');
    // Saved by a browser that undid the transfer's gzip but kept the name, and the reverse.
    for (const [name, bytes] of [['plain/2010-December.txt.gz', Buffer.from(monthly)], ['gzipped/2010-December.txt', gzipSync(monthly)]] as const) {
      const { messages, errors } = await read(write(`content/${name}`, bytes));
      expect(errors).toEqual([]);
      expect(messages.map((m) => m.format)).toEqual(['pipermail-monthly']);
      expect((await decode(messages[0])).from.address).toBe('npiggin@gmail.com');
    }
  });

  it('reports empty files and files that are not mail', async () => {
    for (const [name, content] of [['empty.eml', ''], ['blank.mbox', '\n\n  \n'], ['x.mbox', 'Note: header-like, but no mail field\n\ntext\n'], ['y.eml', '\u0000\u0001binary']]) {
      const { messages, errors } = await read(write(`content/bad/${name}`, content));
      expect(messages).toEqual([]);
      expect(errors).toEqual([{ source: `content/bad/${name}`, offset: 0, reason: name.startsWith('empty') || name.startsWith('blank') ? 'empty file; skipped' : expect.stringMatching(/^unrecognised format, not mail /) }]);
    }
  });
});
