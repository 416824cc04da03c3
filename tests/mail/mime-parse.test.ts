/**
 * lib/mail/mime-parse.js reads runs of lines at once where postal-mime feeds them one by
 * one. Outside its deliberate changes (flowed text, the LF after a non-base64
 * attachment), it must parse exactly as postal-mime does: these messages stress the
 * line handling (CRLF, runs of CRs, bare CRs, folding, boundary-like lines, no final LF).
 */
import { describe, expect, it } from 'vitest';
import PostalMime, { type Email } from 'postal-mime';
import { parseMime } from '../../lib/mail/mime-parse';

const messages: Record<string, string> = {
  'single part': 'Subject: a\nFrom: A <a@example.org>\nTo: b@example.org\n\nline 1\n\nline 3\n',
  'no final LF': 'Subject: a\n\nline 1\nlast',
  'CRs in the body': 'Subject: a\r\n\r\na\rb\r\r\nc\r\n\r\r\n\r\nd\r\r',
  'folded headers': 'Subject: a\r\n  b\r\n\tc\r\nX-Long: 1\r\n 2\r\n\r\nbody\r\n',
  'blank line of CRs': 'Subject: a\r\r\n\r\r\nbody starts\r\nhere',
  'headers only': 'Subject: a\nX-A: b\n',
  'headers only, no LF': 'Subject: a',
  'empty header block': '\nbody without headers\n',
  'raw UTF-8 and a broken byte': 'Subject: caf\u00c3\u00a9 \u00e2\u0082\nFrom: a@b\n\ntext caf\u00c3\u00a9\n',
  'multipart': [
    'Subject: parts', 'Content-Type: multipart/mixed; boundary="B"', '',
    'preamble', '--B', 'Content-Type: multipart/alternative; boundary=C', '',
    '--C', 'Content-Type: text/plain; charset=utf-8', '', '--not a boundary', '-- ', 'sig', '--Cx', '',
    '--C', 'Content-Type: text/html', 'Content-Transfer-Encoding: quoted-printable', '', '<p>a=3Db=', 'c</p>', '--C--  ',
    '--B', 'Content-Type: application/octet-stream; name=x.bin', 'Content-Disposition: attachment; filename=x.bin',
    'Content-Transfer-Encoding: base64', '', 'AAECAwQF', 'BgcI', '--B--', 'epilogue',
  ].join('\r\n'),
  'multipart ending on its boundary': 'Content-Type: multipart/mixed; boundary=B\n\n--B\n\ntext\n--B--',
  'forwarded message': [
    'Subject: fwd', 'Content-Type: multipart/mixed; boundary=B', '', '--B', 'Content-Type: text/plain', '', 'See below.',
    '--B', 'Content-Type: message/rfc822', '', 'Subject: inner', 'From: C <c@example.org>', 'Content-Type: multipart/alternative; boundary=C', '',
    '--C', 'Content-Type: text/plain; charset=iso-8859-1', 'Content-Transfer-Encoding: quoted-printable', '', 'caf=E9', '--C',
    'Content-Type: text/html', '', '<p>caf&eacute;</p>', '--C--', '--B--', '',
  ].join('\n'),
};

const shape = (e: Email) => ({
  headers: e.headers,
  headerLines: e.headerLines,
  subject: e.subject,
  from: e.from,
  to: e.to,
  text: e.text,
  html: e.html,
  attachments: e.attachments.map((a) => [a.filename, a.mimeType, a.disposition, Buffer.from(a.content as ArrayBuffer).toString('base64')]),
});

describe('parseMime', () => {
  for (const [name, text] of Object.entries(messages)) {
    it(`parses as postal-mime does: ${name}`, async () => {
      const bytes = Buffer.from(text, 'latin1');
      const ours = await parseMime(new Uint8Array(bytes), { attachmentEncoding: 'arraybuffer' });
      const theirs = await PostalMime.parse(new Uint8Array(bytes), { attachmentEncoding: 'arraybuffer' });
      expect(shape(ours.email)).toEqual(shape(theirs));
    });
  }

  it('parses only the top-level fields asked for, with their continuation lines', async () => {
    const bytes = Buffer.from(
      [
        'Received: from a', '\tby b', 'Subject: kept', ' and folded', 'X-Junk: =?x-unknown?q?a?=', 'Delivered-To: c@example.org',
        'a line that is no field', 'Content-Type: multipart/mixed; boundary=B', 'DKIM-Signature: v=1;', '\tb=abc', 'From: A <a@example.org>', '',
        '--B', 'Content-Type: text/plain', 'X-Part: parts keep every field', '', 'body', '--B--', '',
      ].join('\r\n'),
    );
    const ours = await parseMime(new Uint8Array(bytes), { attachmentEncoding: 'arraybuffer' }, new Set(['subject', 'from']));
    const theirs = await PostalMime.parse(new Uint8Array(bytes), { attachmentEncoding: 'arraybuffer' });
    const kept = new Set(['subject', 'a line that is no field', 'content-type', 'from']);
    expect(ours.email.headers).toEqual(theirs.headers.filter((h) => kept.has(h.key)));
    expect(ours.email.headers.find((h) => h.key === 'subject')?.value).toBe('kept and folded');
    expect(ours.email.deliveredTo).toBeUndefined();
    const { headers: _h, headerLines: _l, ...rest } = shape(ours.email);
    const { headers: _th, headerLines: _tl, ...theirRest } = shape(theirs);
    expect(rest).toEqual(theirRest);
  });

  it('still enforces the header size limit', async () => {
    const bytes = Buffer.from(`Subject: a\n${'X-Pad: 0123456789\n'.repeat(20)}\nbody\n`);
    await expect(parseMime(new Uint8Array(bytes), { maxHeadersSize: 200 })).rejects.toThrow('Maximum header size of 200 bytes exceeded');
  });
});
