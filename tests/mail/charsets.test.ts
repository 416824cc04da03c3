/**
 * Legacy charsets (lib/mail/charsets.ts): the decoder itself against expected text, then
 * through the real decode path (postal-mime as lib/mail/mime-parse.js runs it, decode(),
 * the worker pool), headers included. The expected bytes of the ISO-8859 and CJK cases
 * were made with Python's codecs, an implementation independent of iconv-lite:
 *   python3 -c "print('Zażółć gęślą jaźń'.encode('iso-8859-2').hex())"
 * Node 20's own TextDecoder fails the windows-1252 cases (it decodes 0x80-0x9F as C1
 * controls), so these pin that decoding no longer goes through it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDecodePool, decodeInOrder } from '../../lib/ingest/decode-pool';
import { decodeText, isKnownCharset, resolveCharset } from '../../lib/mail/charsets';
import { decode } from '../../lib/mail/decode';
import { readMbox } from '../../lib/mail/mbox';
import { parseMime, utf8Words } from '../../lib/mail/mime-parse';
import { readPipermailArticle } from '../../lib/mail/pipermail';
import { MalformedMessage, type ParsedMessage, type RawMessage } from '../../lib/mail/types';
import { hasShared, shared } from './shared';

const hex = (h: string) => Buffer.from(h.replace(/\s+/g, ''), 'hex');
const bytes = (...b: number[]) => Buffer.from(b);

/**
 * windows-1252 0x80-0x9F, per the Encoding Standard's index-windows-1252 (and Microsoft's
 * table). The five bytes the code page leaves undefined, 0x81 0x8D 0x8F 0x90 0x9D, become
 * the C1 control of the same number, as Windows' MultiByteToWideChar, the Encoding
 * Standard and ICU all decode them: no byte is lost (the text encodes back to the same
 * bytes), and it is what TextDecoder gives on a Node without the Latin-1 bug. iconv-lite
 * alone would give U+FFFD.
 */
const CP1252_80_9F =
  '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f' + // 0x80-0x8F
  '\u0090‘’“”•–—˜™š›œ\u009džŸ'; // 0x90-0x9F

const range = (from: number, to: number) => Buffer.from(Array.from({ length: to - from + 1 }, (_, i) => from + i));

describe('decodeText', () => {
  it('decodes windows-1252 0x80-0x9F as the code page does, not as C1 controls', () => {
    expect(decodeText(range(0x80, 0x9f), 'windows-1252')).toBe(CP1252_80_9F);
    expect(decodeText(bytes(0x80), 'windows-1252')).toBe('€');
    expect(decodeText(bytes(0x85), 'windows-1252')).toBe('…');
    expect(decodeText(bytes(0x91, 0x92, 0x93, 0x94), 'windows-1252')).toBe('‘’“”');
    expect(decodeText(bytes(0x96, 0x97), 'windows-1252')).toBe('–—');
    expect(decodeText(bytes(0x99), 'windows-1252')).toBe('™');
    expect(decodeText(bytes(0x81, 0x8d, 0x8f, 0x90, 0x9d), 'windows-1252')).toBe('\u0081\u008d\u008f\u0090\u009d');
    // 0xA0-0xFF is Latin-1.
    expect(decodeText(range(0xa0, 0xff), 'windows-1252')).toBe(range(0xa0, 0xff).toString('latin1'));
  });

  it('reads iso-8859-1, us-ascii and their aliases as windows-1252, as the Encoding Standard and mail clients do', () => {
    for (const label of ['iso-8859-1', 'ISO-8859-1', 'us-ascii', 'latin1', 'l1', 'cp1252', 'x-cp1252', 'iso_8859-1:1987', 'ISO8859_1', '"iso-8859-1"']) {
      expect([label, decodeText(range(0x80, 0x9f), label)]).toEqual([label, CP1252_80_9F]);
    }
    expect(decodeText(Buffer.from('I don\x92t know\x85', 'latin1'), 'iso-8859-1')).toBe('I don’t know…');
  });

  it('decodes ISO-8859 charsets', () => {
    expect(decodeText(hex('5a61bff3b3e62067eab66cb1206a61bcf1'), 'iso-8859-2')).toBe('Zażółć gęślą jaźń');
    expect(decodeText(hex('50f8ed6c69b920be6c75bb6f75e86bfd206bf9f220fa70ec6c20efe162656c736be920f36479'), 'ISO-8859-2')).toBe(
      'Příliš žluťoučký kůň úpěl ďábelské ódy',
    );
    expect(decodeText(hex('50726978203a203520a42028bc757672652c20a6e1726b612c20be29'), 'iso-8859-15')).toBe('Prix : 5 € (Œuvre, Šárka, Ÿ)');
    expect(decodeText(bytes(0xa4), 'iso-8859-15')).toBe('€');
    expect(decodeText(bytes(0xa4), 'iso-8859-1')).toBe('¤');
    expect(decodeText(hex('f0d2c9d7c5d42c20cdc9d2'), 'koi8-r')).toBe('Привет, мир');
    expect(decodeText(hex('cff0e8e2e5f22c20ece8f0'), 'windows-1251')).toBe('Привет, мир');
  });

  it('decodes CJK charsets', () => {
    expect(decodeText(hex('d6d0cec4d3cabcfe'), 'gb2312')).toBe('中文邮件');
    // GBK characters outside GB2312 (镕), as mail labelled gb2312 often holds.
    expect(decodeText(hex('d6ece946bbf9'), 'gb2312')).toBe('朱镕基');
    expect(decodeText(hex('d6ece946bbf9'), 'GBK')).toBe('朱镕基');
    expect(decodeText(hex('d6d0cec4d3cabcfe'), 'gb18030')).toBe('中文邮件');
    expect(decodeText(hex('c163c5e9a4a4a4e5b66ca5f3'), 'big5')).toBe('繁體中文郵件');
    expect(decodeText(hex('93fa967b8cea82cc8381815b838b'), 'shift_jis')).toBe('日本語のメール');
    expect(decodeText(hex('93fa967b8cea82cc8381815b838b'), 'x-sjis')).toBe('日本語のメール');
    // Windows-31J's NEC row 13, which Shift_JIS mail from Windows carries.
    expect(decodeText(hex('87408741'), 'Shift_JIS')).toBe('①②');
    expect(decodeText(hex('c6fccbdcb8eca4cea5e1a1bca5eb'), 'euc-jp')).toBe('日本語のメール');
    expect(decodeText(hex('c7d1b1b9beee20b8dec0cf'), 'euc-kr')).toBe('한국어 메일');
    expect(decodeText(hex('c7d1b1b9beee20b8dec0cf'), 'ks_c_5601-1987')).toBe('한국어 메일');
    // UHC (cp949) syllables outside KS X 1001, under the euc-kr label.
    expect(decodeText(hex('8c63b9e6b0a2c7cf'), 'euc-kr')).toBe('똠방각하');
    expect(decodeText(hex('1b244224332473244b2441244f2122402433261b2842'), 'iso-2022-jp')).toBe('こんにちは、世界');
    expect(decodeText(hex('1b244224332473244b2441244f2122402433261b2842'), 'ISO-2022-JP-2')).toBe('こんにちは、世界');
  });

  it('keeps the UTF-8 path: no label is UTF-8, a BOM is dropped, bad bytes become U+FFFD', () => {
    expect(decodeText(Buffer.from('naïve ☃'))).toBe('naïve ☃');
    expect(decodeText(Buffer.from('\ufeffx'), 'utf-8')).toBe('x');
    expect(decodeText(bytes(0x61, 0xff), 'UTF8')).toBe('a\ufffd');
    expect(decodeText(Buffer.from('hi', 'utf16le'), 'utf-16le')).toBe('hi');
    // ASCII under an ASCII-compatible label takes the shortcut and reads the same.
    expect(decodeText(Buffer.from('plain text\n'), 'us-ascii')).toBe('plain text\n');
    expect(decodeText(Buffer.from('plain text\n'), 'shift_jis')).toBe('plain text\n');
  });

  it('knows the standard labels, their decorated forms and what iconv-lite knows; reports the rest', () => {
    for (const label of ['utf-8', 'ISO-8859-1', 'x-euc-jp', 'cp936', 'windows-932', 'ms949', 'uhc', 'ISO-2022-JP-2', 'ks_c_5601-1987', 'cp437', 'ibm850', 'utf-7', 'tis620']) {
      expect([label, isKnownCharset(label)]).toEqual([label, true]);
    }
    for (const label of ['x-klingon', 'unknown-8bit', 'base64', 'iso-2022-kr', 'hz-gb-2312']) {
      expect([label, isKnownCharset(label)]).toEqual([label, false]);
    }
    expect(resolveCharset('cp936').encoding).toBe('gb18030');
    expect(resolveCharset('iso-8859-9').encoding).toBe('windows-1254');
    // An unknown label is decoded as windows-1252.
    expect(decodeText(bytes(0x63, 0x61, 0x66, 0xe9, 0x85), 'x-klingon')).toBe('café…');
  });
});

describe('encoded words (RFC 2047)', () => {
  it('re-encodes legacy-charset words as UTF-8 words, leaving UTF-8 ones and plain text alone', () => {
    expect(utf8Words('plain')).toBe('plain');
    expect(utf8Words('=?utf-8?Q?caf=C3=A9?=')).toBe('=?utf-8?Q?caf=C3=A9?=');
    expect(utf8Words('Re: =?windows-1252?Q?don=92t?= go')).toBe(`Re: =?utf-8?B?${Buffer.from('don’t').toString('base64')}?= go`);
  });

  const headerOf = async (lines: string[]) => (await parseMime(Buffer.from([...lines, '', 'body', ''].join('\n'), 'latin1'), {})).email;

  it('decodes windows-1252 and iso-8859-1 words in subjects and names', async () => {
    const email = await headerOf([
      'Subject: =?windows-1252?Q?Don=92t_panic=85_=93quoted=94_=96_=80_5=99?=',
      'From: =?windows-1252?Q?Fran=E7ois_=93Frank=94?= <francois@example.org>',
      'To: =?iso-8859-1?Q?M=FCller=2C_Hans?= <hans@example.org>, =?ISO-8859-1?B?Suhy9G1l?= <j@example.org>, c@example.org',
    ]);
    expect(email.subject).toBe('Don’t panic… “quoted” – € 5™');
    expect(email.from).toEqual({ name: 'François “Frank”', address: 'francois@example.org' });
    // A decoded comma stays in the name: the address list keeps its structure.
    expect(email.to).toEqual([
      { name: 'Müller, Hans', address: 'hans@example.org' },
      { name: 'Jèrôme', address: 'j@example.org' },
      { name: '', address: 'c@example.org' },
    ]);
    // The headers list keeps the values as received.
    expect(email.headers.find((h) => h.key === 'subject')?.value).toBe('=?windows-1252?Q?Don=92t_panic=85_=93quoted=94_=96_=80_5=99?=');
  });

  it('joins adjacent words of one charset before decoding (a character split across two), and decodes ISO-2022-JP and ISO-8859-2 words', async () => {
    const email = await headerOf([
      // 日本語 in Shift_JIS, split in the middle of 本.
      'Subject: =?Shift_JIS?B?k/qW?=\n =?Shift_JIS?B?e4zq?= =?utf-8?Q?_ok?= and =?iso-8859-2?Q?=BF=F3=B3w?=',
      'From: =?ISO-2022-JP?B?GyRCMnE1RCRON28bKEI=?= <kaigi@example.jp>',
    ]);
    expect(email.subject).toBe('日本語 ok and żółw');
    expect(email.from).toEqual({ name: '会議の件', address: 'kaigi@example.jp' });
  });
});

const raw = (text: string | Buffer, extra: Partial<RawMessage> = {}): RawMessage => ({
  source: 'test.mbox',
  offset: 0,
  raw: typeof text === 'string' ? Buffer.from(text, 'latin1') : text,
  ...extra,
});
const HEAD = ['Date: Mon, 3 Jan 2011 10:00:00 +0000', 'Message-ID: <cs@example.org>', 'From: a@example.org'];

describe('decode() with legacy charsets', () => {
  it('decodes a windows-1252 text/plain body, quoted-printable and 8bit, with no warning', async () => {
    const qp = await decode(raw([...HEAD, 'Subject: =?windows-1252?Q?=93Hi=94?=', 'Content-Type: text/plain; charset="Windows-1252"', 'Content-Transfer-Encoding: quoted-printable', '',
      'I wouldn=92t do that=85 =93Really=94 =96 it costs =8020=99.', ''].join('\n')));
    expect(qp.subject).toBe('“Hi”');
    expect(qp.body).toBe('I wouldn’t do that… “Really” – it costs €20™.\n');
    expect(qp.warnings).toEqual([]);

    const eightBit = await decode(raw([...HEAD, 'Subject: x', 'Content-Type: text/plain; charset=iso-8859-1', 'Content-Transfer-Encoding: 8bit', '', 'It\x92s na\xefve\x85', ''].join('\n')));
    expect(eightBit.body).toBe('It’s naïve…\n');
    expect(eightBit.warnings).toEqual([]);
  });

  it('decodes each part of a multipart message in its own charset', async () => {
    const m = await decode(raw(Buffer.concat([
      Buffer.from([...HEAD, 'Subject: parts', 'Content-Type: multipart/mixed; boundary=B', '', '--B', 'Content-Type: text/plain; charset=iso-8859-2', '', ''].join('\n'), 'latin1'),
      hex('5a61bff3b3e62067eab66cb1206a61bcf1'),
      Buffer.from(['', '--B', 'Content-Type: text/plain; charset=shift_jis', 'Content-Transfer-Encoding: base64', '', hex('93fa967b8cea82cc8381815b838b').toString('base64'), '--B--', ''].join('\n')),
    ])));
    expect(m.body).toContain('Zażółć gęślą jaźń');
    expect(m.body).toContain('日本語のメール');
    expect(m.warnings).toEqual([]);
  });

  it('re-reads an undeclared windows-1252 body as windows-1252 (0x80-0x9F included), with the warning', async () => {
    const m = await decode(raw([...HEAD, 'Subject: x', '', 'Don\x92t \x93quote\x94 me\x85', ''].join('\n')));
    expect(m.body).toBe('Don’t “quote” me…\n');
    expect(m.warnings).toEqual(['body is not valid UTF-8 (no charset declared); decoded as windows-1252']);
  });

  it('decodes a flowed body in a legacy charset and reflows it', async () => {
    const m = await decode(raw([...HEAD, 'Subject: x', 'Content-Type: text/plain; charset=windows-1252; format=flowed', '', 'It\x92s one ', 'line\x85', ''].join('\n')));
    expect(m.body).toBe('It’s one line…\n');
  });

  it('decodes a text/enriched body in its charset', async () => {
    const m = await decode(raw([...HEAD, 'Subject: x', 'Content-Type: text/enriched; charset=iso-8859-1', '', '<bold>Caf\xe9</bold> \x93ok\x94', ''].join('\n')));
    expect(m.body).toContain('Café “ok”');
    expect(m.warnings).toEqual(['body converted from text/enriched']);
  });

  it('decodes attachment names given in RFC 2047 and RFC 2231 in a legacy charset', async () => {
    const m = await decode(raw([...HEAD, 'Subject: x', 'Content-Type: multipart/mixed; boundary=B', '',
      '--B', 'Content-Type: text/plain', '', 'see attached', '',
      '--B', "Content-Type: application/octet-stream", "Content-Disposition: attachment; filename*=windows-1252''%93r%E9sum%E9%94%85.txt", 'Content-Transfer-Encoding: base64', '', 'AAEC', '',
      '--B', 'Content-Type: application/octet-stream; name="=?iso-8859-2?Q?=BF=F3=B3w.bin?="', 'Content-Transfer-Encoding: base64', '', 'AAEC', '',
      '--B', "Content-Type: application/octet-stream", "Content-Disposition: attachment; filename*0*=shift_jis''%93%FA%96; filename*1*=%7B%8C%EA; filename*2=.txt", 'Content-Transfer-Encoding: base64', '', 'AAEC', '',
      '--B--', ''].join('\n')));
    expect(m.attachments.map((a) => a.filename)).toEqual(['“résumé”….txt', 'żółw.bin', '日本語.txt']);
  });

  it('decodes legacy encoded words in the de-obfuscated addresses of a pipermail monthly archive', async () => {
    const m = await decode(raw(['From: npiggin at gmail.com (=?windows-1252?Q?Nick_=93N=94_Piggin?=)', 'Date: Fri, 31 Dec 2010 01:31:44 -0800', 'Subject: x', '', 'body', ''].join('\n'), { format: 'pipermail-monthly' }));
    expect(m.from).toEqual({ name: 'Nick “N” Piggin', address: 'npiggin@gmail.com' });
  });

  it('still warns of an unknown charset, naming it', async () => {
    const m = await decode(raw([...HEAD, 'Subject: =?iso-2022-kr?Q?x?=', 'Content-Type: text/plain; charset=unknown-8bit', '', 'caf\xe9', ''].join('\n')));
    expect(m.body).toBe('café\n');
    expect(m.warnings).toEqual(['unknown charset "unknown-8bit"; decoded as windows-1252', 'unknown charset "iso-2022-kr"; decoded as windows-1252']);
  });

  it('decodes on the worker pool (the bundled decode worker loads iconv-lite)', async () => {
    async function* input() {
      yield raw([...HEAD, 'Subject: =?windows-1252?Q?=93w=94?=', 'Content-Type: text/plain; charset=windows-1252', '', 'don\x92t\x85', ''].join('\n'));
      yield raw(Buffer.concat([Buffer.from([...HEAD, 'Subject: k', 'Content-Type: text/plain; charset=euc-kr', '', ''].join('\n')), hex('8c63b9e6b0a2c7cf'), Buffer.from('\n')]), { offset: 1 });
    }
    const pool = await createDecodePool({ threads: 1 });
    try {
      const out: Pick<ParsedMessage, 'subject' | 'body'>[] = [];
      for await (const r of decodeInOrder(input(), pool, { window: 2 })) {
        if (r instanceof MalformedMessage) throw r;
        out.push(r.parsed);
      }
      expect(out.map((m) => [m.subject, m.body])).toEqual([['“w”', 'don’t…\n'], ['k', '똠방각하\n']]);
    } finally {
      await pool.close();
    }
  });
});

describe('pipermail article pages', () => {
  const dir = mkdtempSync(join(tmpdir(), 'threadlab-charsets-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const page = (charset: string, body: string) =>
    Buffer.from(`<HTML><HEAD><TITLE>x</TITLE><META http-equiv="Content-Type" content="text/html; charset=${charset}"></HEAD><BODY>
<H1>[Test] It\x92s here</H1><B>A Writer</B> <A HREF="mailto:test%40example.org?Subject=x" TITLE="x">a at example.org</A><BR>
<I>Fri Dec 31 01:31:44 PST 2010</I>
<!--beginarticle-->
<PRE>${body}</PRE>
<!--endarticle-->
<a href="http://example.org/mailman/listinfo/test">More information about the Test
mailing list</a></BODY></HTML>`, 'latin1');
  const read = async (name: string, content: Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    const out: RawMessage[] = [];
    for await (const m of readPipermailArticle(path)) out.push(m);
    return decode(out[0]);
  };

  it('decodes a page in its declared charset, us-ascii and iso-8859-1 as windows-1252', async () => {
    const m = await read('000001.html', page('us-ascii', 'Don\x92t\x85 caf\xe9'));
    expect(m.subject).toBe('[Test] It’s here');
    expect(m.body).toBe('Don’t… café');
    expect(m.warnings).toEqual([]);
  });

  it('decodes a page of an unknown charset as UTF-8 and says so', async () => {
    const m = await read('000002.html', page('x-klingon', 'plain'));
    expect(m.body).toBe('plain');
    expect(m.warnings).toEqual(['unknown charset "x-klingon" on the pipermail page; decoded as UTF-8']);
  });
});

describe.skipIf(!hasShared)('real mail in a legacy charset', () => {
  // Two Outlook messages of httpd-users, July 2020: multipart/alternative whose text/plain
  // part is charset="Windows-1252", quoted-printable, with =85 =92 in it.
  const file = () => shared('corpora/ponymail/httpd-users-2020-07.mbox');
  const messages = async (ids: string[]) => {
    const out = new Map<string, ParsedMessage>();
    for await (const r of readMbox(file())) {
      const m = await decode(r);
      if (m.messageId && ids.includes(m.messageId)) out.set(m.messageId, m);
    }
    return out;
  };

  it('decodes the windows-1252 quoted-printable bodies of httpd-users 2020-07 with their quotes and ellipses', async () => {
    const a = 'BL0PR02MB5425B7EF463F65CF4B3687DC9F7A0@BL0PR02MB5425.namprd02.prod.outlook.com';
    const b = 'BL0PR02MB54250574D02EAF175F7981769F7A0@BL0PR02MB5425.namprd02.prod.outlook.com';
    const found = await messages([a, b]);
    const first = found.get(a)!;
    expect(first.bodyFromHtml).toBe(false);
    expect(first.body).toContain('I wouldn’t recommend not having a basic');
    expect(first.body).toContain('if you don’t have root access.');
    expect(first.body).toContain('"Just because you’re paranoid doesn’t mean they are not all out to get you…"');
    expect(found.get(b)!.body).toContain("Not without 'write' permission, or settings within httpd.conf, no… ALSO the following config disallows viewing:");
    for (const m of found.values()) {
      expect(m.body).not.toMatch(/[\x80-\x9f]/);
      expect(m.warnings).toEqual([]);
    }
  });
});
