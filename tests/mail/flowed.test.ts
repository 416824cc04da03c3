/** format=flowed (RFC 3676): reflowFlowed itself, and decode() storing flowed parts reflowed. */
import { describe, expect, it } from 'vitest';
import { decode, type RawMessage } from '../../lib/mail';
import { reflowFlowed } from '../../lib/mail/flowed';
import { segmentBody } from '../../lib/quote/segment';

describe('reflowFlowed', () => {
  it('joins soft line breaks and keeps hard ones', () => {
    expect(reflowFlowed('one two \nthree\nfour\n', { delSp: false })).toBe('one two three\nfour\n');
  });

  it('deletes the space before a soft break when DelSp=yes', () => {
    expect(reflowFlowed('Dieses Wort ist zu lang: Donaudampf \nschifffahrt\n', { delSp: true })).toBe('Dieses Wort ist zu lang: Donaudampfschifffahrt\n');
    expect(reflowFlowed('Donaudampf \nschifffahrt\n', { delSp: false })).toBe('Donaudampf schifffahrt\n');
  });

  it('joins quoted lines of equal depth only, without repeating their markers', () => {
    const text = ['> The output shows that MPM ', '> prefork is not available.', '>> deeper and ', '>> deeper still', '> back ', 'unquoted'].join('\n');
    expect(reflowFlowed(text, { delSp: false }).split('\n')).toEqual([
      '> The output shows that MPM prefork is not available.',
      '>> deeper and deeper still',
      '> back ',
      'unquoted',
    ]);
  });

  it('removes space-stuffing and keeps the "-- " signature separator', () => {
    expect(reflowFlowed(' From the top \nof it\n-- \nNick\n', { delSp: false })).toBe('From the top of it\n-- \nNick\n');
  });
});

const flowedMessage = (contentType: string, body: string): RawMessage => ({
  source: 'flowed.eml',
  offset: 0,
  raw: Buffer.from(
    [
      'From: Holger Schramm <lists@schramm.by>',
      'Subject: Re: Checking if MPM is working',
      'Date: Fri, 10 Jul 2020 13:05:00 +0200',
      'Message-ID: <flowed@example.org>',
      'MIME-Version: 1.0',
      `Content-Type: ${contentType}`,
      'Content-Transfer-Encoding: 8bit',
      '',
      body,
    ].join('\r\n'),
    'utf8',
  ),
  format: 'eml',
});

describe('decode() of format=flowed mail', () => {
  const body = [
    'Am 10.07.20 um 12:47 schrieb Mahmood Naderan:',
    '> The output of "apache2 -V" shows that MPM ',
    '> prefork is not available in my apache web ',
    '> server.',
    '',
    'Which OS? I see Ubuntu, but which one? This line is long enough to be ',
    'wrapped by the client.',
    '',
    '-- ',
    '~Holger',
    '',
  ].join('\r\n');

  it('stores the text reflowed, quotes kept whole at their depth', async () => {
    const m = await decode(flowedMessage('text/plain; charset=utf-8; format=flowed', body));
    expect(m.body.split('\n')).toEqual([
      'Am 10.07.20 um 12:47 schrieb Mahmood Naderan:',
      '> The output of "apache2 -V" shows that MPM prefork is not available in my apache web server.',
      '',
      'Which OS? I see Ubuntu, but which one? This line is long enough to be wrapped by the client.',
      '',
      '-- ',
      '~Holger',
      '',
    ]);
    const segments = segmentBody(m.body);
    expect(segments.map((s) => `${s.kind}:${s.depth}`)).toEqual(['attribution:0', 'quote:1', 'new:0', 'signature:0']);
    expect(segments[0]).toMatchObject({ name: 'Mahmood Naderan', dateText: '10.07.20 um 12:47' });
  });

  it('applies DelSp=yes, and reflows a flowed part inside multipart mail', async () => {
    const multipart = [
      '--b1',
      'Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes',
      '',
      'Donaudampf ',
      'schifffahrt',
      '> ein langes Zitat, ',
      '> umbrochen',
      '--b1',
      'Content-Type: text/x-patch; name=fix.patch',
      'Content-Disposition: attachment; filename=fix.patch',
      '',
      '-old ',
      '+new ',
      '--b1--',
      '',
    ].join('\r\n');
    const m = await decode(flowedMessage('multipart/mixed; boundary=b1', multipart));
    // DelSp: the space before each soft break was the sender's, for breaking only.
    expect(m.body).toBe('Donaudampfschifffahrt\n> ein langes Zitat,umbrochen\n');
    // The attachment is not body text: its trailing spaces are not soft breaks.
    expect(Buffer.from(m.attachments[0]!.content).toString()).toBe('-old \n+new ');
  });

  it('reflows a forwarded message as it reflows the message itself', async () => {
    const forwarded = [
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'See below.',
      '--b1',
      'Content-Type: message/rfc822',
      '',
      'Subject: inner',
      'Content-Type: multipart/mixed; boundary=b2',
      '',
      '--b2',
      'Content-Type: text/plain; charset=utf-8; format=flowed',
      '',
      body,
      '--b2',
      'Content-Type: text/x-patch; name=fix.patch',
      'Content-Disposition: attachment; filename=fix.patch',
      '',
      '-old',
      '+new',
      '--b2--',
      '--b1--',
      '',
    ].join('\r\n');
    const m = await decode(flowedMessage('multipart/mixed; boundary=b1', forwarded));
    expect(m.body).toContain('> The output of "apache2 -V" shows that MPM prefork is not available in my apache web server.\n');
    // The attachment keeps no LF of its boundary line, as at the top level.
    expect(Buffer.from(m.attachments[0]!.content).toString()).toBe('-old\n+new');
  });

  it('leaves mail without format=flowed as it was', async () => {
    const m = await decode(flowedMessage('text/plain; charset=utf-8', 'trailing space \r\nstays\r\n'));
    expect(m.body).toBe('trailing space \nstays\n');
  });
});
