/**
 * decode() on hand-written messages for the cases the corpora lack: unknown and wrong
 * charsets, malformed input, header normalisation; plus the date and HTML helpers.
 */
import { describe, expect, it } from 'vitest';
import { decode, htmlToText, MalformedMessage, MAX_MESSAGE_BYTES, parseMailDate, type RawMessage } from '../../lib/mail';
import { createDecodePool, decodeInOrder, type DecodePool, type Prepared } from '../../lib/ingest/decode-pool';

const raw = (text: string | Buffer, extra: Partial<RawMessage> = {}): RawMessage => ({
  source: 'test.mbox',
  offset: 42,
  raw: typeof text === 'string' ? Buffer.from(text, 'latin1') : text,
  ...extra,
});

describe('decode', () => {
  it('falls back from an unknown charset with a warning instead of failing', async () => {
    const m = await decode(raw('Subject: =?x-klingon?Q?caf=E9?=\nContent-Type: text/plain; charset=x-klingon\nDate: Mon, 3 Jan 2011 10:00:00 +0000\nMessage-ID: <a@b>\n\ncaf\xe9 cr\xe8me\n'));
    expect(m.subject).toBe('café');
    expect(m.body).toBe('café crème\n');
    expect(m.warnings).toEqual(['unknown charset "x-klingon"; decoded as windows-1252']);
  });

  it('warns of the charsets it decoded with, not of headers quoted in a body or of attachments', async () => {
    const m = await decode(raw([
      'Subject: x', 'Date: Mon, 3 Jan 2011 10:00:00 +0000', 'Message-ID: <a@b>', 'Content-Type: multipart/mixed; boundary=B', '',
      '--B', 'Content-Type: text/plain; charset=us-ascii', '',
      'The mail that failed said:', 'Content-Type: text/plain; charset=x-klingon', '',
      '--B', 'Content-Type: application/octet-stream; charset=x-vulcan', 'Content-Transfer-Encoding: base64', '', 'AAEC', '--B--', '',
    ].join('\n')));
    expect(m.body).toContain('charset=x-klingon');
    expect(m.warnings).toEqual([]);
  });

  it('warns of an unknown charset inside a forwarded message', async () => {
    const m = await decode(raw([
      'Subject: fwd', 'Date: Mon, 3 Jan 2011 10:00:00 +0000', 'Message-ID: <a@b>', 'Content-Type: multipart/mixed; boundary=B', '',
      '--B', 'Content-Type: text/plain', '', 'Forwarded:', '',
      '--B', 'Content-Type: message/rfc822', '',
      'Subject: inner', 'Content-Type: text/plain; charset=x-klingon', '', 'caf\xe9', '--B--', '',
    ].join('\n')));
    expect(m.body).toContain('café');
    expect(m.warnings).toEqual(['unknown charset "x-klingon"; decoded as windows-1252']);
  });

  it('re-reads Latin-1 text that claims (or defaults to) UTF-8', async () => {
    const m = await decode(raw('Subject: x\nContent-Type: text/plain; charset=utf-8; format=flowed\nDate: Mon, 3 Jan 2011 10:00:00 +0000\nMessage-ID: <a@b>\n\nBj\xf8rge Solli, Se\xe7\xe3o\n'));
    expect(m.body).toBe('Bjørge Solli, Seção\n');
    expect(m.warnings).toEqual(['body is not valid utf-8; decoded as windows-1252']);
  });

  it('keeps UTF-8 when most of the text is UTF-8 and only a byte is broken', async () => {
    const bytes = Buffer.concat([Buffer.from('Subject: x\nContent-Type: text/plain; charset=utf-8\nDate: Mon, 3 Jan 2011 10:00:00 +0000\nMessage-ID: <a@b>\n\nna\u00efve '), Buffer.from([0xff]), Buffer.from('\n')]);
    const m = await decode(raw(bytes));
    expect(m.body).toBe('naïve \ufffd\n');
    expect(m.warnings).toEqual(['undecodable bytes replaced with U+FFFD (declared charset wrong or missing)']);
  });

  it('normalises ids, references, addresses and the list name', async () => {
    const m = await decode(
      raw(
        [
          'Message-ID:  <CAF+x@Mail.Gmail.com> ',
          'In-Reply-To: <parent@example.org> (Joel Becker\'s message of "Thu, 30 Dec 2010")',
          'References: <root@example.org>\n <parent@example.org>\t<root@example.org>',
          'From: "Becker, Joel" <Joel.Becker@ORACLE.COM>',
          'To: team: a@Example.ORG, "B" <b@example.org>;, c@EXAMPLE.org',
          'Cc: undisclosed-recipients:;',
          'List-Id: Linux memory management <linux-mm.kvack.org>',
          'Date: Thu, 30 Dec 2010 15:29:11 -0800',
          'Subject: Re: page_mkwrite',
          '',
          'body',
        ].join('\n'),
      ),
    );
    expect(m).toMatchObject({
      source: 'test.mbox',
      offset: 42,
      messageId: 'CAF+x@Mail.Gmail.com',
      inReplyTo: 'parent@example.org',
      references: ['root@example.org', 'parent@example.org'],
      from: { name: 'Becker, Joel', address: 'Joel.Becker@oracle.com' },
      to: [
        { name: null, address: 'a@example.org' },
        { name: 'B', address: 'b@example.org' },
        { name: null, address: 'c@example.org' },
      ],
      cc: [],
      listHint: 'linux-mm',
      date: '2010-12-30T23:29:11Z',
      warnings: [],
    });
  });

  it('takes the list from X-Mailing-List, List-Post or ezmlm Mailing-List when List-Id is missing', async () => {
    const base = 'Date: Mon, 3 Jan 2011 10:00:00 +0000\nMessage-ID: <a@b>\n';
    expect((await decode(raw(`X-Mailing-List: linux-kernel@vger.kernel.org\n${base}\nx`))).listHint).toBe('linux-kernel');
    expect((await decode(raw(`list-post: <mailto:dev@httpd.apache.org>\n${base}\nx`))).listHint).toBe('httpd-dev');
    expect((await decode(raw(`Mailing-List: contact users-help@httpd.apache.org; run by ezmlm\n${base}\nx`))).listHint).toBe('httpd-users');
    // A [Tag] in an ordinary message's subject is not a list name.
    expect((await decode(raw(`Subject: [PATCH] mm: fix\n${base}\nx`))).listHint).toBeNull();
  });

  it('keeps raw bytes verbatim', async () => {
    const bytes = Buffer.from('Subject: =?utf-8?B?w6k=?=\r\nMessage-ID: <a@b>\r\n\r\n=E9\r\n', 'latin1');
    const m = await decode(raw(bytes));
    expect(Buffer.from(m.raw).equals(bytes)).toBe(true);
    expect(m.subject).toBe('é');
  });

  it('throws MalformedMessage for a message with no header block, with source, offset and reason', async () => {
    const err = await decode(raw('Hello,\nthis is just text.\n\nNo headers anywhere.\n')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MalformedMessage);
    expect(err).toMatchObject({ source: 'test.mbox', offset: 42, reason: expect.stringContaining('no header block') });
  });

  it('throws MalformedMessage over the size limit without parsing', async () => {
    const err = await decode(raw(Buffer.alloc(MAX_MESSAGE_BYTES + 1, 0x61))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MalformedMessage);
    expect((err as MalformedMessage).reason).toMatch(/exceeds the 52428800-byte limit/);
  });

  it('cuts the boundary line break postal-mime leaves on 7bit and quoted-printable attachments', async () => {
    const message = (cte: string, payload: string) =>
      `Message-ID: <a@b>\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nsee patch\n--b\nContent-Type: text/x-patch\nContent-Transfer-Encoding: ${cte}\nContent-Disposition: attachment; filename="fix.patch"\n\n${payload}\n--b--\n`;
    const patch = '--- a/mm/memory.c\n+++ b/mm/memory.c\n';
    for (const [cte, payload] of [['7bit', patch], ['quoted-printable', patch], ['base64', Buffer.from(patch).toString('base64')]]) {
      const [a] = (await decode(raw(message(cte, payload)))).attachments;
      expect(Buffer.from(a.content).toString()).toBe(patch);
      expect(a).toMatchObject({ filename: 'fix.patch', contentType: 'text/x-patch', size: patch.length });
    }
  });
});

describe('decodeInOrder on a worker pool', () => {
  it('keeps input order and puts a MalformedMessage in place of a bad message', async () => {
    async function* input() {
      yield raw('Message-ID: <1@x>\nSubject: first\n\nbig body\n'.padEnd(200_000, 'x'), { offset: 0 });
      yield raw('no headers here\n\nbody\n', { offset: 10 });
      yield raw('Message-ID: <3@x>\nSubject: third\n\nsmall\n', { offset: 20 });
    }
    const pool = await createDecodePool({ threads: 2 });
    try {
      const out = [];
      for await (const r of decodeInOrder(input(), pool, { window: 2 })) out.push(r);
      expect(out.map((r) => (r instanceof MalformedMessage ? `bad@${r.offset}` : r.parsed.subject))).toEqual(['first', 'bad@10', 'third']);
    } finally {
      await pool.close();
    }
  });
});

describe('decodeInOrder with a byte budget', () => {
  it('never has more than the budget in flight, but for one larger message, which goes alone', async () => {
    const sizes = [300, 300, 300, 250, 1500, 200, 200, 900, 100, 100];
    const budget = 1000;
    // A pool that settles each decode at once: what is in flight is what decodeInOrder holds back.
    const givenSizes: number[] = [];
    let received = 0;
    const inFlightAtDecode: Array<{ bytes: number; alone: boolean }> = [];
    const inFlight = () => givenSizes.slice(received);
    const pool: DecodePool = {
      async decode(m) {
        givenSizes.push(m.raw.byteLength);
        const now = inFlight();
        inFlightAtDecode.push({ bytes: now.reduce((a, b) => a + b, 0), alone: now.length === 1 });
        return { parsed: { subject: String(m.offset), attachments: [] }, stored: {} } as unknown as Prepared;
      },
      close: async () => {},
    };
    async function* input() {
      for (const [i, size] of sizes.entries()) yield raw('x'.repeat(size), { offset: i });
    }
    const order: string[] = [];
    for await (const r of decodeInOrder(input(), pool, { bytes: budget })) {
      received++;
      order.push((r as Prepared).parsed.subject);
    }
    expect(order).toEqual(sizes.map((_, i) => String(i)));
    expect(givenSizes).toEqual(sizes);
    for (const d of inFlightAtDecode) expect(d.bytes <= budget || d.alone).toBe(true);
    expect(inFlightAtDecode.find((d) => d.bytes === 1500)).toEqual({ bytes: 1500, alone: true });
    // The budget, not the count (512), held messages back, and was filled (900 + 100).
    expect(Math.max(...inFlightAtDecode.filter((d) => !d.alone).map((d) => d.bytes))).toBe(budget);
  });
});

describe('parseMailDate', () => {
  it.each([
    ['Fri, 31 Dec 2010 01:31:44 -0800', '2010-12-31T09:31:44Z'],
    ['Fri Dec 31 01:31:44 PST 2010', '2010-12-31T09:31:44Z'],
    ['Sun Jul  4 12:00:00 PDT 2010', '2010-07-04T19:00:00Z'],
    ['Mon, 3 Jul 2006 10:00:00 +0200 (CEST)', '2006-07-03T08:00:00Z'],
    ['Mon Jul  3 10:00:00 CEST 2006', '2006-07-03T08:00:00Z'],
    ['Tue Jan 11 09:00:00 JST 2011', '2011-01-11T00:00:00Z'],
    ['Wed Feb  2 12:00:00 AEST 2011', '2011-02-02T02:00:00Z'],
    ['Thu, 17 Nov 2016 00:49:27 +0000 (UTC)', '2016-11-17T00:49:27Z'],
    ['Fri Dec 31 01:31:44 EST 2010', '2010-12-31T06:31:44Z'],
    ['Sat, 1 Jan 00 10:00:00 GMT', '2000-01-01T10:00:00Z'],
    ['1 Jan 99 10:00 +0100', '1999-01-01T09:00:00Z'],
  ])('%s -> %s', (input, iso) => {
    expect(parseMailDate(input).iso).toBe(iso);
  });

  it('flags the ambiguous and the unknown, rejects non-dates', () => {
    expect(parseMailDate('Fri Dec 31 07:01:44 IST 2010')).toEqual({ iso: '2010-12-31T01:31:44Z', note: expect.stringContaining('ambiguous') });
    expect(parseMailDate('Fri, 31 Dec 2010 01:31:44 XYZT')).toEqual({ iso: '2010-12-31T01:31:44Z', note: expect.stringContaining('unknown time zone') });
    expect(parseMailDate('garbage 12').iso).toBeNull();
    expect(parseMailDate('Mon, 31 Feb 2011 10:00:00 +0000').iso).toBeNull();
    expect(parseMailDate('').iso).toBeNull();
  });
});

describe('htmlToText', () => {
  it('drops script, style and head, decodes entities, keeps paragraphs and <pre> layout', () => {
    const html = `<html><head><title>t</title><style>p{color:red}</style></head><body>
      <script>alert("x")</script>
      <p>Caf&eacute; &amp; cr&#232;me &lt;b&gt; &#x2014; &nbsp;done&#146;s</p>
      <p>second    paragraph<br>next line</p>
      <pre>  indented
    code &gt; here</pre><!-- comment --><ul><li>one</li><li>two</li></ul></body></html>`;
    expect(htmlToText(html)).toBe('Café & crème <b> — \u0020done’s\n\nsecond paragraph\nnext line\n\n  indented\n    code > here\n\n* one\n* two');
  });
});
