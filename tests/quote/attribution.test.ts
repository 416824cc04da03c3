/**
 * The attribution forms added to lib/quote's attribution modules for quote
 * segmentation: French, German and Italian lines, newer Gmail dates, header
 * blocks (Outlook, Windows Mail, David Miller's mailer), Apple Mail's
 * attribution inside the quote.
 */
import { describe, expect, it } from 'vitest';
import { parseAttribution } from '../../lib/quote/attribution';
import { parseAttributionDate } from '../../lib/quote/attribution-date';
import { findAttributions } from '../../lib/quote/find-attributions';

describe('parseAttribution in other languages', () => {
  it.each([
    [
      'Le 14/02/2011 11:56, Vasiliy Kulikov a écrit :',
      { name: 'Vasiliy Kulikov', address: null, dateText: '14/02/2011 11:56', date: '2011-02-14T11:56:00' },
    ],
    [
      'Le mardi 31 octobre 2017, 16:08:01 CET Hervé BOUTEMY a écrit :',
      { name: 'Hervé BOUTEMY', address: null, dateText: 'mardi 31 octobre 2017, 16:08:01 CET', date: '2017-10-31T15:08:01Z' },
    ],
    [
      'Le 27 nov. 2017 22:01, "Igor Fedorenko" <igor@ifedorenko.com> a écrit :',
      { name: 'Igor Fedorenko', address: 'igor@ifedorenko.com', dateText: '27 nov. 2017 22:01', date: '2017-11-27T22:01:00' },
    ],
    // Day first, in German as in French: 05.02 is the 5th of February.
    ['Am 05.02.2011 um 10:29 schrieb Joel Becker:', { name: 'Joel Becker', address: null, dateText: '05.02.2011 um 10:29', date: '2011-02-05T10:29:00' }],
    [
      'Am Fr., 31. Dez. 2010 um 10:29 Uhr schrieb Joel Becker <joel@example.org>:',
      { name: 'Joel Becker', address: 'joel@example.org', dateText: 'Fr., 31. Dez. 2010 um 10:29 Uhr', date: '2010-12-31T10:29:00' },
    ],
    [
      'Il dom 3 dic 2017, 13:21 Tibor Digana <tibordigana@apache.org> ha scritto:',
      { name: 'Tibor Digana', address: 'tibordigana@apache.org', dateText: 'dom 3 dic 2017, 13:21', date: '2017-12-03T13:21:00' },
    ],
    [
      '2017-11-04 18:17 GMT+01:00 Stephen Connolly <stephen.alan.connolly@gmail.com>:',
      { name: 'Stephen Connolly', address: 'stephen.alan.connolly@gmail.com', dateText: '2017-11-04 18:17 GMT+01:00', date: '2017-11-04T17:17:00Z' },
    ],
    ['Joel Becker a écrit :', { name: 'Joel Becker', address: null, dateText: null, date: null }],
    ['Joel Becker schrieb:', { name: 'Joel Becker', address: null, dateText: null, date: null }],
  ])('%s', (line, expected) => {
    expect(parseAttribution(line)).toEqual(expected);
  });

  it('rejects German prose that has the shape but no date', () => {
    expect(parseAttribution('Am Ende schrieb Joe:')).toBeNull();
  });

  it('reads the month before the day in English only, and a zone name after an offset as a comment', () => {
    expect(parseAttributionDate('05/02/2011 10:29')).toBe('2011-05-02T10:29:00');
    expect(parseAttributionDate('05/02/2011 10:29', 'fr')).toBe('2011-02-05T10:29:00');
    expect(parseAttributionDate('Mon, 5 Jun 2006 16:20:58 -0700 (PDT)')).toBe('2006-06-05T23:20:58Z');
    expect(parseAttributionDate('Mon, 5 Jun 2006 16:20:58 -0700 (PDT) (EST)')).toBeNull();
  });
});

describe('findAttributions: header blocks and quotes at the same depth', () => {
  it("reads Outlook's block under a rule as an attribution over unmarked text", () => {
    const body = ['Answer.', '', '________________________________', 'From: Joel <jm-hotmail@hotmail.com>', 'Sent: Sunday, July 19, 2020 7:32 AM', 'To: users@httpd.apache.org', 'Subject: Re: [users@httpd] a long subject', 'that wrapped', '', 'Original text.'];
    expect(findAttributions(body)).toEqual([
      { name: 'Joel', address: 'jm-hotmail@hotmail.com', dateText: 'Sunday, July 19, 2020 7:32 AM', date: '2020-07-19T07:32:00', startLine: 2, endLine: 8, depth: 0, unmarked: true },
    ]);
  });

  it("reads Windows Mail's German block, and an address given as [mailto:]", () => {
    const german = ['Von: Mark Derricutt', 'Gesendet: Sonntag, 5. November 2017 22:20', 'An: Maven Developers List', 'Betreff: Re: Maven 4.0.0', '', 'Text.'];
    expect(findAttributions(german)).toMatchObject([{ name: 'Mark Derricutt', date: '2017-11-05T22:20:00', unmarked: true }]);
    const mailto = ['-----Original Message-----', 'From: Lajos Moczar [mailto:lmocz@galatea.com]', 'Sent: Thursday, January 09, 2003 1:05 PM', 'To: Tomcat Users List', '', 'Text.'];
    expect(findAttributions(mailto)).toMatchObject([{ name: 'Lajos Moczar', address: 'lmocz@galatea.com', startLine: 0, endLine: 4 }]);
  });

  it('reads "From:" / "Date:" over a marked quote as an ordinary attribution, and not over unquoted text', () => {
    const quoted = ['From: Joe Perches <joe@perches.com>', 'Date: Sun, 14 Nov 2010 19:04:58 -0800', '', '> patch'];
    expect(findAttributions(quoted)).toEqual([
      { name: 'Joe Perches', address: 'joe@perches.com', dateText: 'Sun, 14 Nov 2010 19:04:58 -0800', date: '2010-11-15T03:04:58Z', startLine: 0, endLine: 2, depth: 0 },
    ]);
    // An in-body "From:" of a patch is no quote of anything.
    expect(findAttributions(['From: Joe Perches <joe@perches.com>', 'Date: Sun, 14 Nov 2010 19:04:58 -0800', '', 'Patch description.'])).toEqual([]);
  });

  it("marks Apple Mail's attribution, first line of the quote it introduces, as insideQuote", () => {
    const body = ['Reply.', '', '> On 1 Jul 2020, at 15:33, Wendell Hatcher <w@example.org> wrote:', '> ', '> Hello.'];
    expect(findAttributions(body)).toMatchObject([{ name: 'Wendell Hatcher', depth: 1, startLine: 2, endLine: 3, insideQuote: true }]);
    // In the middle of a quote, the same line is the quoted writer's prose.
    expect(findAttributions(['> Some text.', '> Joe Perches wrote:', '> more text'])).toEqual([]);
  });

  it('skips blank lines of any depth between an attribution and its quote', () => {
    const body = ['> On Mon, 2010-11-15 at 17:30 +0000, Mark Brown wrote:', '', '> > Please try to use changelog formats consistent with the code.'];
    expect(findAttributions(body)).toMatchObject([{ name: 'Mark Brown', depth: 1 }]);
  });
});
