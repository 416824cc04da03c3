/**
 * Archive readers on small synthetic archives written to a temp dir: mbox quoting and
 * line endings, broken separators, Maildir, pipermail monthly (.txt.gz) and article
 * pages, and format detection.
 */
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decode, MAX_MESSAGE_BYTES, readArchive, type RawMessage } from '../../lib/mail';
import { scratchFolder } from '../support/scratch';

const { dir, write } = scratchFolder('threadlab-mail-');


async function read(path: string, options: Parameters<typeof readArchive>[1] = {}) {
  const messages: RawMessage[] = [];
  const errors: { offset: number; reason: string }[] = [];
  for await (const m of readArchive(path, { onError: (e) => errors.push({ offset: e.offset, reason: e.reason }), ...options })) {
    messages.push(m);
  }
  return { messages, errors, text: messages.map((m) => Buffer.from(m.raw).toString('utf8')) };
}

describe('mbox', () => {
  const mboxrd = [
    'From alice@example.org Mon Jan  3 10:00:00 2011',
    'From: Alice <alice@example.org>',
    'Subject: one',
    'Message-ID: <one@example.org>',
    '',
    '>From the start, one level of quoting is removed.',
    '>>From here, too: this line read ">From here" before quoting.',
    'From-less line and a >From in the middle stay.',
    '',
    'From bob@example.org Mon Jan  3 11:00:00 2011',
    'From: Bob <bob@example.org>',
    'Subject: two',
    '',
    'second body',
    '',
  ].join('\n');

  it('splits mboxrd, keeps offsets of the separator lines, unescapes >From by one level', async () => {
    const path = write('rd.mbox', mboxrd);
    const { messages, errors, text } = await read(path);
    expect(errors).toEqual([]);
    expect(messages.map((m) => m.offset)).toEqual([0, mboxrd.indexOf('From bob@')]);
    expect(text[0]).toBe(
      'From: Alice <alice@example.org>\nSubject: one\nMessage-ID: <one@example.org>\n\n' +
        'From the start, one level of quoting is removed.\n' +
        '>From here, too: this line read ">From here" before quoting.\n' +
        'From-less line and a >From in the middle stay.\n',
    );
    expect(text[1]).toBe('From: Bob <bob@example.org>\nSubject: two\n\nsecond body\n');
  });

  it('leaves >>From alone in mboxo', async () => {
    const { text } = await read(write('o.mbox', mboxrd), { mboxVariant: 'mboxo' });
    expect(text[0]).toContain('\nFrom the start');
    expect(text[0]).toContain('\n>>From here, too');
  });

  it('reads CRLF mbox: separators found, CRLF kept in the raw bytes, offsets in bytes', async () => {
    const crlf = mboxrd.replace(/\n/g, '\r\n');
    const { messages, text } = await read(write('crlf.mbox', crlf));
    expect(messages).toHaveLength(2);
    expect(messages[1].offset).toBe(crlf.indexOf('From bob@'));
    expect(text[0].startsWith('From: Alice <alice@example.org>\r\nSubject: one\r\n')).toBe(true);
    expect(text[0]).toContain('\r\nFrom the start');
    expect(text[1].endsWith('second body\r\n')).toBe(true);
    const parsed = await decode(messages[0]);
    expect(parsed.subject).toBe('one');
    expect(parsed.body).toContain('From the start, one level of quoting is removed.');
  });

  it('reports text before the first separator and a From line without headers, and keeps reading', async () => {
    const broken = [
      'stray text that is not a message', // preamble at 0
      'From carol@example.org Tue Jan  4 09:00:00 2011',
      'From: Carol <carol@example.org>',
      'Subject: three',
      '',
      'From my point of view this is body text (mboxo did not quote it).',
      'more body',
      '',
      'From dave@example.org Tue Jan  4 10:00:00 2011',
      'Subject: four',
      '',
      'last',
      '',
    ].join('\n');
    const { messages, errors, text } = await read(write('broken.mbox', broken));
    expect(errors).toEqual([
      { offset: 0, reason: expect.stringContaining('33 bytes of text before the first "From " separator line') },
      { offset: broken.indexOf('From my point'), reason: '"From " line not followed by a header block; kept as message text' },
    ]);
    expect(messages.map((m) => m.offset)).toEqual([broken.indexOf('From carol@'), broken.indexOf('From dave@')]);
    expect(text[0]).toContain('\nFrom my point of view this is body text (mboxo did not quote it).\nmore body\n');
    expect(text[1]).toBe('Subject: four\n\nlast\n');
  });

  it('streams: a message split across many read chunks comes out whole', async () => {
    // 3 MiB body crosses the 1 MiB read chunks several times.
    const line = 'x'.repeat(1023) + '\n';
    const big = `From a@b.c Mon Jan  3 10:00:00 2011\nSubject: big\n\n${line.repeat(3 * 1024)}\nFrom a@b.c Mon Jan  3 10:00:01 2011\nSubject: small\n\nok\n`;
    const { messages } = await read(write('big.mbox', big));
    expect(messages.map((m) => m.raw.length)).toEqual([14 + 3 * 1024 * 1024, 'Subject: small\n\nok\n'.length]);
    expect(messages[1].offset).toBe(big.lastIndexOf('From a@b.c'));
  });

  it('reports a message over MAX_MESSAGE_BYTES with its offset, skips it, reads the next', async () => {
    const head = 'From a@b.c Mon Jan  3 10:00:00 2011\nSubject: huge\n\n';
    const body = Buffer.alloc(MAX_MESSAGE_BYTES + 1024, 'y\n');
    const tail = '\nFrom a@b.c Mon Jan  3 10:00:01 2011\nSubject: after\n\nok\n';
    const path = write('huge.mbox', Buffer.concat([Buffer.from(head), body, Buffer.from(tail)]));
    const { messages, errors } = await read(path);
    expect(errors).toEqual([{ offset: 0, reason: expect.stringMatching(/exceeds the 52428800-byte limit; skipped$/) }]);
    expect(messages.map((m) => [m.offset, Buffer.from(m.raw).toString()])).toEqual([[head.length + body.length + 1, 'Subject: after\n\nok\n']]);
  }, 30_000);
});

describe('Maildir, .eml and detection', () => {
  it('reads cur/ and new/, reports tmp/ unread and skips .keep; recurses plain folders; reports unknown files', async () => {
    const msg = (s: string) => `From: x@example.org\nSubject: ${s}\n\nbody\n`;
    write('tree/box/cur/1.host:2,S', msg('cur'));
    write('tree/box/new/2.host', msg('new'));
    write('tree/box/tmp/3.host', msg('tmp'));
    write('tree/box/new/.keep', '');
    write('tree/single.eml', `From x@example.org Mon Jan  3 10:00:00 2011\n${msg('eml')}`);
    write('tree/notes.bin', '\u0000\u0001binary');
    const { messages, errors } = await read(join(dir, 'tree'));
    const subjects = await Promise.all(messages.map(async (m) => (await decode(m)).subject));
    expect(subjects).toEqual(['cur', 'new', 'eml']);
    expect(messages.map((m) => m.format)).toEqual(['maildir', 'maildir', 'eml']);
    // The .eml's leading mbox separator is not part of the message.
    expect(messages[2].offset).toBe('From x@example.org Mon Jan  3 10:00:00 2011\n'.length);
    // new/.keep is empty, there to keep the folder: nothing to report.
    expect(errors).toEqual([
      { offset: 0, reason: 'in tmp/, still being delivered; not read' },
      { offset: 0, reason: expect.stringMatching(/^unrecognised format, not mail /) }, // notes.bin
    ]);
  });

  it('reports an unreadable path and goes on', async () => {
    const { messages, errors } = await read(join(dir, 'does-not-exist'));
    expect(messages).toEqual([]);
    expect(errors[0].reason).toMatch(/^unreadable: ENOENT/);
  });
});

describe('pipermail', () => {
  const monthly = [
    'From npiggin at gmail.com  Fri Dec 31 01:31:44 2010',
    'From: npiggin at gmail.com (Nick Piggin)',
    'Date: Fri, 31 Dec 2010 20:31:44 +1100',
    'Subject: [Ocfs2-devel] Confused by commit 56a76f',
    'In-Reply-To: <20101230232911.GA6402@mail.oracle.com>',
    'References: <20101230232911.GA6402@mail.oracle.com>',
    'Message-ID: <AANLkTi=abc@mail.gmail.com>',
    '',
    'Hi Joel,',
    '',
    'From Joel Becker (unquoted in the archive) -- still body.',
    '',
    'From Joel.Becker at oracle.com  Fri Dec 31 02:00:00 2010',
    'From: Joel.Becker at oracle.com (Joel Becker)',
    'Date: Fri, 31 Dec 2010 02:00:00 -0800',
    'Subject: Re: [Ocfs2-devel] Confused by commit 56a76f',
    'Message-ID: <20101231100000.GA1@mail.oracle.com>',
    '',
    'Thanks.',
    '',
  ].join('\n');

  it('reads a gzipped monthly archive: de-obfuscated addresses, list from the subject tag', async () => {
    const path = write('ocfs2-devel/2010-December.txt.gz', gzipSync(monthly));
    const { messages, errors } = await read(path);
    expect(messages.map((m) => m.format)).toEqual(['pipermail-monthly', 'pipermail-monthly']);
    expect(errors).toEqual([{ offset: monthly.indexOf('From Joel Becker'), reason: expect.stringContaining('not followed by a header block') }]);
    const [first, second] = await Promise.all(messages.map((m) => decode(m)));
    expect(first).toMatchObject({
      from: { name: 'Nick Piggin', address: 'npiggin@gmail.com' },
      date: '2010-12-31T09:31:44Z',
      messageId: 'AANLkTi=abc@mail.gmail.com',
      inReplyTo: '20101230232911.GA6402@mail.oracle.com',
      listHint: 'ocfs2-devel',
    });
    expect(first.body).toContain('From Joel Becker (unquoted in the archive) -- still body.');
    expect(second.from).toEqual({ name: 'Joel Becker', address: 'Joel.Becker@oracle.com' });
    expect(second.listHint).toBe('ocfs2-devel');
  });

  it('detects an uncompressed monthly archive by name', async () => {
    const { messages } = await read(write('2010-December.txt', monthly));
    expect(messages.map((m) => m.format)).toEqual(['pipermail-monthly', 'pipermail-monthly']);
  });

  it('reads a Mailman 2 article page: fields from the page, entities decoded, body as text', async () => {
    const page = `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2//EN">
<HTML>
 <HEAD>
   <TITLE> [Ocfs2-devel] Confused by commit 56a76f [fs: fix page_mkwrite error cases in core code and btrfs]
   </TITLE>
   <LINK REL="Index" HREF="index.html" >
   <LINK REL="made" HREF="mailto:ocfs2-devel%40oss.oracle.com?Subject=Re%3A%20%5BOcfs2-devel%5D%20Confused%20by%20commit%2056a76f&In-Reply-To=%3C20101230232911.GA6402%40mail.oracle.com%3E">
   <META NAME="robots" CONTENT="index,nofollow">
   <style type="text/css">
       pre { white-space: pre-wrap; }
   </style>
   <META http-equiv="Content-Type" content="text/html; charset=us-ascii">
   <LINK REL="Previous"  HREF="007491.html">
 </HEAD>
 <BODY BGCOLOR="#ffffff">
   <H1>[Ocfs2-devel] Confused by commit 56a76f [fs: fix page_mkwrite error cases in core code and btrfs]</H1>
    <B>Nick Piggin</B> 
    <A HREF="mailto:ocfs2-devel%40oss.oracle.com?Subject=Re%3A%20%5BOcfs2-devel%5D%20Confused%20by%20commit%2056a76f&In-Reply-To=%3C20101230232911.GA6402%40mail.oracle.com%3E"
       TITLE="[Ocfs2-devel] Confused by commit 56a76f">npiggin at gmail.com
       </A><BR>
    <I>Fri Dec 31 01:31:44 PST 2010</I>
    <P><UL>
        <LI>Previous message: <A HREF="007491.html">[Ocfs2-devel] [PATCH] ocfs2: ...
</A></li>
         <LI> <B>Messages sorted by:</B> 
              <a href="date.html#7492">[ date ]</a>
              <a href="thread.html#7492">[ thread ]</a>
         </LI>
       </UL>
    <HR>  
<!--beginarticle-->
<PRE>Hi Joel,

On Fri, Dec 31, 2010 at 10:29 AM, Joel Becker &lt;<A HREF="http://oss.oracle.com/mailman/listinfo/ocfs2-devel">Joel.Becker at oracle.com</A>&gt; wrote:
&gt;<i> Nick,
</I>&gt;<i>        While visiting some issues in ocfs2_page_mkwrite(), I realized
</I>&gt;<i> that we're returning 0 to mean &quot;Please try again Mr VM&quot;
</I>
0 has always meant minor fault &amp; nothing else.
    if (unlikely(!(tmp &amp; VM_FAULT_LOCKED)))

Thanks,
Nick
</PRE>

<!--endarticle-->
    <HR>
    <P><UL>
        <!--threads-->
	<LI>Previous message: <A HREF="007491.html">[Ocfs2-devel] [PATCH]</A></li>
    </UL>
<hr>
<a href="http://oss.oracle.com/mailman/listinfo/ocfs2-devel">More information about the Ocfs2-devel
mailing list</a><br>
</body></html>
`;
    const { messages, errors } = await read(write('archive/007492.html', page));
    expect(errors).toEqual([]);
    expect(messages[0].format).toBe('pipermail-article');
    const m = await decode(messages[0]);
    expect(m).toMatchObject({
      subject: '[Ocfs2-devel] Confused by commit 56a76f [fs: fix page_mkwrite error cases in core code and btrfs]',
      from: { name: 'Nick Piggin', address: 'npiggin@gmail.com' },
      date: '2010-12-31T09:31:44Z',
      inReplyTo: '20101230232911.GA6402@mail.oracle.com',
      listHint: 'ocfs2-devel',
      messageId: null,
    });
    expect(m.body).toBe(
      [
        'Hi Joel,',
        '',
        'On Fri, Dec 31, 2010 at 10:29 AM, Joel Becker <Joel.Becker at oracle.com> wrote:',
        '> Nick,',
        '>        While visiting some issues in ocfs2_page_mkwrite(), I realized',
        '> that we\'re returning 0 to mean "Please try again Mr VM"',
        '',
        '0 has always meant minor fault & nothing else.',
        '    if (unlikely(!(tmp & VM_FAULT_LOCKED)))',
        '',
        'Thanks,',
        'Nick',
      ].join('\n'),
    );
  });

  it('reports a .txt that is no pipermail copy and no mail', async () => {
    const { messages, errors } = await read(write('readme.txt', 'Just some notes.\nNothing else.\n'));
    expect(messages).toEqual([]);
    expect(errors).toHaveLength(1);
  });
});
