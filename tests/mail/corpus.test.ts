/**
 * The mail layer against real archives in ../shared: ponymail's Apache mboxes, a
 * notmuch LKML Maildir, the bundled .eml thread and the pipermail seed.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDecodePool } from '../../lib/ingest/decode-pool';
import { storedForm } from '../../lib/ingest/stored-form';
import { rawBytes } from '../../lib/db/raw';
import { decode, readArchive, readMbox, type ParsedMessage, type RawMessage } from '../../lib/mail';
import { hasShared, readAll, shared } from './shared';

/**
 * Messages per file, counted independently of our reader with Python's mailbox module:
 *   python3 -c "import mailbox,glob; [print(f, len(mailbox.mbox(f))) for f in sorted(glob.glob('*.mbox'))]"
 * run in ../shared/corpora/ponymail (2,039 in total). No file has a `From ` line that
 * is not followed by a header, so Python's plain split and ours must agree.
 */
const PONYMAIL_COUNTS: Record<string, number> = {
  'asterix-dev-201709-mailarchivesao.mbox': 53,
  'commits_ponymail_apache_org_2016-06.mbox': 82,
  'empty_attachment.mbox': 1,
  'empty_body.mbox': 1,
  'httpd-dev-28428.mbox': 1,
  'httpd-users-200606-part.mbox': 12,
  'httpd-users-2020-07.asf.mbox': 108,
  'httpd-users-2020-07.mbox': 108,
  'httpd-users-4950.mbox': 1,
  'maven-dev-2017-11-124652-listsao.mbox': 1,
  'maven-dev-2017-11-124652-mailarchivesao.mbox': 1,
  'maven-dev-2017-11-124652-mboxvm.mbox': 1,
  'maven-dev-2017-11-listsao.mbox': 320,
  'maven-dev-2017-11-mailarchivesao.mbox': 317,
  'maven-dev-2017-11-mboxvm.mbox': 317,
  'maven-dev-2017-12-listsao.mbox': 222,
  'maven-dev-2017-12-mailarchivesao.mbox': 221,
  'maven-dev-2017-12-mboxvm.mbox': 221,
  'maven_duplicates_2017_listsao_1.mbox': 10,
  'maven_duplicates_2017_listsao_2.mbox': 10,
  'maven_duplicates_2017_mailarchivesao.mbox': 10,
  'maven_duplicates_2017_mboxvm.mbox': 10,
  'nexus-html-only.mbox': 3,
  'no_date.mbox': 1,
  'ponymail-dev-1079-mailarchiesao.mbox': 1,
  'ponymail-dev-1079-mboxvm.mbox': 1,
  'ponymail-dev-1080-listsao.mbox': 1,
  'ponymail-dev-1080-mailarchiesao.mbox': 1,
  'ponymail-dev-1080-mboxvm.mbox': 1,
  'text_enriched.mbox': 1,
  'tomcat-ancient-boundary.mbox': 1,
};

const ponymail = (name: string): string => shared('corpora/ponymail', name);

async function nth(file: string, index: number): Promise<ParsedMessage> {
  let i = 0;
  for await (const m of readMbox(file)) if (i++ === index) return decode(m);
  throw new Error(`${file} has no message ${index}`);
}

describe.skipIf(!hasShared)('ponymail mbox corpus', () => {
  it('splits every file into the message count Python mailbox finds, with no errors', async () => {
    const { messages, errors } = await readAll(shared('corpora/ponymail'));
    const counts: Record<string, number> = {};
    for (const m of messages) counts[basename(m.source)] = (counts[basename(m.source)] ?? 0) + 1;
    expect(counts).toEqual(PONYMAIL_COUNTS);
    expect(messages).toHaveLength(2039);
    expect(errors).toEqual([]);
  });

  it('keeps byte offsets that match Python mailbox table of contents', async () => {
    // mailbox.mbox(f)._toc, start offsets: first three and last message.
    const file = ponymail('maven-dev-2017-11-listsao.mbox');
    const offsets: number[] = [];
    for await (const m of readMbox(file)) offsets.push(m.offset);
    expect(offsets.slice(0, 3)).toEqual([0, 33742, 50137]);
    expect(offsets.at(-1)).toBe(1754216);
    // The raw bytes are the file's bytes between separator line and the blank line
    // before the next one (Python's toc: nexus message 1 spans 2722..11000).
    const bytes = readFileSync(ponymail('nexus-html-only.mbox'));
    const [, second] = await readAll(ponymail('nexus-html-only.mbox')).then((r) => r.messages);
    const fromLineEnd = bytes.indexOf(0x0a, 2722) + 1;
    expect(second.offset).toBe(2722);
    expect(Buffer.from(second.raw).equals(bytes.subarray(fromLineEnd, 11000))).toBe(true);
  });

  it('undoes >From quoting per variant: the same message from mboxrd and mboxo archives reads the same', async () => {
    // Message 124652 quotes a line `>>From "Failed ...`; ponymail's mbox-vm export is
    // mboxrd (`>>>From`), the lists.a.o export mboxo (`>>From`, left alone).
    const line = '>>From "Failed to create parent directories"...';
    const [rd] = (await readAll(ponymail('maven-dev-2017-11-124652-mboxvm.mbox'))).messages;
    const [o] = (await readAll(ponymail('maven-dev-2017-11-124652-listsao.mbox'), { mboxVariant: 'mboxo' })).messages;
    // It is the first line of the text part, so the body starts with it.
    expect((await decode(rd)).body.startsWith(`${line}\n`)).toBe(true);
    expect((await decode(o)).body.startsWith(`${line}\n`)).toBe(true);
  });

  it('decodes an RFC 2047 subject folded over two encoded words', async () => {
    // Python: str(make_header(decode_header(m['Subject']))) of message 276.
    const m = await nth(ponymail('maven-dev-2017-11-mboxvm.mbox'), 276);
    expect(m.subject).toBe('Re: Build succeeded in Jenkins: Maven TLP » maven-parent » master #6');
    expect(m.messageId).toBe('CA+nPnMzffQFtXSCfG-CWHqUPGbTHFCh=viz=VBOdJH=JL_WA4w@mail.gmail.com');
  });

  it('decodes a base64 text/plain body and keeps its non-ASCII quotes', async () => {
    const m = await nth(ponymail('httpd-users-2020-07.mbox'), 23);
    expect(m.subject).toBe('[users@httpd] File structure for nearly identical sites');
    expect(m.body.startsWith('I am getting a set of over 50 sites moved over to my server from elsewhere')).toBe(true);
    expect(m.body).toContain('include the same configuration file twice if I replace the “');
    expect(m.bodyFromHtml).toBe(false);
    expect(m.listHint).toBe('httpd-users');
  });

  it('keeps attachment metadata, bytes and a sha256 that Python computes the same', async () => {
    // Python: part.get_payload(decode=True) of signature.asc, hashlib.sha256.
    const m = await nth(ponymail('httpd-users-2020-07.mbox'), 2);
    expect(m.messageId).toBe('975C7E60-393F-4884-9479-742DB3131B3B@me.com');
    expect(m.attachments).toHaveLength(1);
    const [a] = m.attachments;
    expect({ filename: a.filename, contentType: a.contentType, size: a.size, sha256: a.sha256 }).toEqual({
      filename: 'signature.asc',
      contentType: 'application/pgp-signature',
      size: 833,
      sha256: '14d21eed48a3b6f918d560a98cae3d38663a115cdf7d5c30461428bb3dcb8c84',
    });
    expect(createHash('sha256').update(a.content).digest('hex')).toBe(a.sha256);
    expect(Buffer.from(a.content).toString('latin1')).toMatch(/^-----BEGIN PGP SIGNATURE-----/);
  });

  it('turns HTML-only mail into plain text', async () => {
    const m = await nth(ponymail('nexus-html-only.mbox'), 0);
    expect(m.bodyFromHtml).toBe(true);
    expect(m.body.startsWith('Message from: https://repository.apache.org\n\nDescription:\n\nAccidental publication.')).toBe(true);
    expect(m.body).toContain('\n* "userId" = "jochen"\n');
    expect(m.body).not.toMatch(/<[a-z][^>]*>|&(amp|lt|gt|quot);/i);
    expect(m.listHint).toBe('commons-commits');
  });

  it('handles the edge-case files: no Message-ID and no Date, text/enriched, ancient boundary, empty body', async () => {
    const noDate = await nth(ponymail('no_date.mbox'), 0);
    expect(noDate).toMatchObject({ messageId: null, date: null, body: 'No date\n', listHint: 'test' });
    expect(noDate.warnings).toEqual(['no Date header', 'no Message-ID']);

    // A real message without Message-ID (lists.a.o copy of "Reactor safe/rally points").
    const noId = await nth(ponymail('maven-dev-2017-11-listsao.mbox'), 52);
    expect(noId.messageId).toBeNull();
    expect(noId.subject).toBe('Re: Reactor safe/rally points');
    expect(noId.date).toBe('2017-11-05T21:17:23Z');

    const enriched = await nth(ponymail('text_enriched.mbox'), 0);
    expect(enriched.body).toContain('<<ContextManager'.slice(1));
    expect(enriched.body).not.toContain('<param>');
    expect(enriched.attachments).toEqual([]);

    const ancient = await nth(ponymail('tomcat-ancient-boundary.mbox'), 0);
    expect(ancient.body.startsWith('Lajos...\n\n...this should definitely help....thanks...')).toBe(true);
    expect(ancient.from).toEqual({ name: 'Wilson, Allen', address: 'Allen.Wilson@marcresearch.com' });

    const empty = await nth(ponymail('empty_body.mbox'), 0);
    expect(empty.body.trim()).toBe('');
    expect(empty.from).toEqual({ name: 'Sebastian Bazley', address: 'sebb@apache.org' });
    expect(empty.listHint).toBe('ponymail-issues');
  });

  it('keeps literal U+FFFD the archive already had without re-labelling the charset', async () => {
    // Hotmail mail stored with U+FFFD for the lost byte (Python: b'\xef\xbf\xbd' in the body).
    const m = await nth(ponymail('httpd-users-200606-part.mbox'), 3);
    expect(m.body).toContain('Bj\ufffdrge Solli');
    expect(m.warnings).toEqual([]);
  });
});

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
// Without the raw bytes, which the pool keeps in the stored form only (checked below).
const fingerprint = ({ raw: _raw, ...m }: Omit<ParsedMessage, 'raw'> & { raw?: Uint8Array }) => ({
  ...m,
  attachments: m.attachments.map((a) => ({ ...a, content: sha(a.content) })),
});

describe.skipIf(!hasShared)('decode throughput and the worker pool', () => {
  it('decodes every corpus message; the worker pool gives identical results and stored forms', async () => {
    const raws: RawMessage[] = [];
    for (const root of ['corpora/ponymail', 'corpora/notmuch-lkml']) {
      for await (const m of readArchive(shared(root))) raws.push(m);
    }
    let t = performance.now();
    const here = await Promise.all(raws.map((r) => decode(r)));
    const hereRate = raws.length / ((performance.now() - t) / 1000);
    // The pool takes each message's bytes (a file's buffer moves to a worker): what needs them is done first.
    const rawSha = raws.map((r) => sha(r.raw));
    const storedHere = here.map(storedForm);
    const pool = await createDecodePool({ threads: 2 });
    try {
      t = performance.now();
      const prepared = await Promise.all(raws.map((r) => pool.decode(r)));
      const poolRate = raws.length / ((performance.now() - t) / 1000);
      console.log(`decode: ${raws.length} messages, ${hereRate.toFixed(0)} msg/s in-thread, ${poolRate.toFixed(0)} msg/s with a 2-worker pool`);
      // Byte arrays compared by hash: toEqual walks 13 MB element by element.
      expect(prepared.map((p) => fingerprint(p.parsed))).toEqual(here.map(fingerprint));
      // The stored form made on the workers: the same segments, and bytes that unpack to the original.
      expect(prepared.map((p) => [p.stored.segmentsJson, p.stored.rawSha256])).toEqual(storedHere.map((s) => [s.segmentsJson, s.rawSha256]));
      prepared.forEach((p, i) => expect(sha(rawBytes(p.stored.raw))).toBe(rawSha[i]));
    } finally {
      await pool.close();
    }
    for (const m of here) expect(m.date !== null || m.warnings.some((w) => /Date/.test(w))).toBe(true);
  }, 120_000);
});

describe.skipIf(!hasShared)('notmuch LKML Maildir', () => {
  it('reads all 210 messages of cur/ and new/ (not tmp/, not dotfiles)', async () => {
    // `ls cur new | grep -v '^\.'` lists 210 files. Python's mailbox.Maildir says 211:
    // it counts new/.keep, an empty placeholder, as a message.
    const { messages, errors } = await readAll(shared('corpora/notmuch-lkml'));
    expect(messages).toHaveLength(210);
    expect(errors).toEqual([]);
    expect(messages.every((m) => m.format === 'maildir' && m.offset === 0)).toBe(true);
  });

  it('decodes a git-send-email reply with its threading headers', async () => {
    const { messages } = await readAll(shared('corpora/notmuch-lkml'));
    const raw = messages.find((m) => basename(m.source) === '1354585346.000260:2,')!;
    const m = await decode(raw);
    expect(m.messageId).toBe('1258848661-4660-2-git-send-email-stefan@datenfreihafen.org');
    expect(m.inReplyTo).toBe('1258848661-4660-1-git-send-email-stefan@datenfreihafen.org');
    // The real header is `References: <yes> <1258848661-...>`: kept as written, in order.
    expect(m.references).toEqual(['yes', '1258848661-4660-1-git-send-email-stefan@datenfreihafen.org']);
    expect(m.from).toEqual({ name: 'Stefan Schmidt', address: 'stefan@datenfreihafen.org' });
    expect(m.date).toBe('2009-11-22T00:11:01Z');
    expect(m.subject).toBe('[notmuch] [PATCH 2/2] notmuch-new: Tag mails not as unread when the seen flag in the maildir is set.');
  });

  it('decodes a quoted-printable body inside multipart/signed', async () => {
    const { messages } = await readAll(shared('corpora/notmuch-lkml'));
    const m = await decode(messages.find((r) => basename(r.source) === '1354585346.000265:2,')!);
    expect(m.messageId).toBe('yunvdh3pfm9.fsf@aiko.keithp.com');
    expect(m.body).not.toMatch(/=\r?\n|=[0-9A-F]{2}/);
    expect(m.attachments.map((a) => a.contentType)).toEqual(['application/pgp-signature']);
  });
});

describe.skipIf(!hasShared)('bundled thread and pipermail seed', () => {
  it('reads the pipermail text copy: subject, de-obfuscated author, zone-corrected date, body', async () => {
    for (const file of ['seed/000_18b5c1a2bdfc30f4.txt', 'thread/ocfs2-devel/2010-December-confused-by-commit-56a76f.txt']) {
      const { messages, errors } = await readAll(shared(file));
      expect(errors).toEqual([]);
      expect(messages.map((m) => m.format)).toEqual(['pipermail-text']);
      const m = await decode(messages[0]);
      expect(m.subject).toBe('[Ocfs2-devel] Confused by commit 56a76f [fs: fix page_mkwrite error cases in core code and btrfs]');
      expect(m.from).toEqual({ name: 'Nick Piggin', address: 'npiggin@gmail.com' });
      expect(m.date).toBe('2010-12-31T09:31:44Z');
      expect(m.listHint).toBe('ocfs2-devel');
      expect(m.body.startsWith('Hi Joel,\n\nOn Fri, Dec 31, 2010 at 10:29 AM, Joel Becker <Joel.Becker at oracle.com> wrote:\n> Nick,')).toBe(true);
      expect(m.body.endsWith('Thanks,\nNick')).toBe(true);
      expect(m.body).not.toContain('More information about');
      expect(Buffer.from(m.raw).equals(readFileSync(shared(file)))).toBe(true);
    }
  });

  it('reads the .eml thread, including a file whose header block starts with a non-header line', async () => {
    const { messages, errors } = await readAll(shared('thread'));
    // SOURCES.md is documentation, reported and skipped.
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/SOURCES\.md at byte 0: unrecognised format/);
    expect(messages).toHaveLength(13);
    const qi = await decode(messages.find((m) => basename(m.source) === '12-joseph-qi.eml')!);
    expect(qi.messageId).toBe('92d4d393-9734-9f7e-4440-20429bdac14f@linux.alibaba.com');
    expect(qi.date).toBe('2021-12-01T02:24:58Z');
    expect(qi.subject).toBe('Re: [PATCH] ocfs2: fix uninitialized variable in ocfs2_dio_wr_get_block()');
  });
});
