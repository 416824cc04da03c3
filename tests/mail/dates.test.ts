// Dates: zones out of range, the 12-hour clock, and the fallbacks for a missing or
// unreadable Date (Resent-Date, the mbox From line, the archive's own date), each
// recorded in dateSource and named in a warning that ingest stores.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decode, parseMailDate, readArchive, type ParsedMessage, type RawMessage } from '../../lib/mail';
import { fromLineDate, messageDate } from '../../lib/mail/dates';
import { ingestPaths } from '../../lib/ingest';
import { freshDatabase } from '../support/db';
import { corpus, hasShared } from '../support/shared';

const raw = (text: string, extra: Partial<RawMessage> = {}): RawMessage => ({ source: 'test', offset: 0, raw: Buffer.from(text, 'latin1'), ...extra });

async function decodeAll(p: string): Promise<ParsedMessage[]> {
  const out: ParsedMessage[] = [];
  for await (const r of readArchive(p, { onError: (e) => { throw e; } })) out.push(await decode(r));
  return out;
}

describe('numeric zones beyond +-14:00', () => {
  it.each([
    ['Fri, 31 Dec 2010 01:31:44 -3000', '-3000'],
    ['Fri, 31 Dec 2010 01:31:44 +9900', '+9900'],
    ['Fri, 31 Dec 2010 01:31:44 +1401', '+1401'],
    ['Fri, 31 Dec 2010 01:31:44 +0575', '+0575'],
    ['Fri Dec 31 01:31:44 -3000 2010', '-3000'],
  ])('%s: the zone is rejected with a note, the time read as UTC', (input, zone) => {
    expect(parseMailDate(input)).toEqual({ iso: '2010-12-31T01:31:44Z', note: `time zone "${zone}" is out of range (beyond +-14:00); read as UTC` });
  });

  it('keeps the widest real zones', () => {
    expect(parseMailDate('Fri, 31 Dec 2010 01:31:44 +1400')).toEqual({ iso: '2010-12-30T11:31:44Z' });
    expect(parseMailDate('Fri, 31 Dec 2010 01:31:44 -1200')).toEqual({ iso: '2010-12-31T13:31:44Z' });
    expect(parseMailDate('Fri, 31 Dec 2010 01:31:44 +05:45')).toEqual({ iso: '2010-12-30T19:46:44Z' });
  });

  it('decode warns of it', async () => {
    const m = await decode(raw('Subject: x\nDate: Fri, 31 Dec 2010 01:31:44 -3000\nMessage-ID: <a@b>\n\nbody\n'));
    expect([m.date, m.dateSource]).toEqual(['2010-12-31T01:31:44Z', 'date']);
    expect(m.warnings).toEqual(['Date: time zone "-3000" is out of range (beyond +-14:00); read as UTC']);
  });
});

describe('the 12-hour clock', () => {
  it.each([
    ['Fri, 31 Dec 2010 06:09:22 PM EDT', '2010-12-31T22:09:22Z'],
    ['Fri, 31 Dec 2010 06:09:22 AM EDT', '2010-12-31T10:09:22Z'],
    ['Fri, 31 Dec 2010 12:09:22 AM EDT', '2010-12-31T04:09:22Z'],
    ['Fri, 31 Dec 2010 12:09:22 PM EDT', '2010-12-31T16:09:22Z'],
    ['Fri, 31 Dec 2010 12:00 AM +0000', '2010-12-31T00:00:00Z'],
    ['Fri, 31 Dec 2010 12:00 PM +0000', '2010-12-31T12:00:00Z'],
    ['Fri, 31 Dec 2010 11:59:59 PM +0000', '2010-12-31T23:59:59Z'],
    ['Fri, 31 Dec 2010 6:09:22 pm -0400', '2010-12-31T22:09:22Z'],
    ['Fri, 31 Dec 2010 06:09:22 P.M. EDT', '2010-12-31T22:09:22Z'],
    ['Fri, 31 Dec 2010 06:09:22PM EDT', '2010-12-31T22:09:22Z'],
    ['Fri Dec 31 06:09:22 PM EDT 2010', '2010-12-31T22:09:22Z'],
    ['Fri Dec 31 12:30:00 AM 2010', '2010-12-31T00:30:00Z'],
  ])('%s -> %s', (input, iso) => {
    expect(parseMailDate(input).iso).toBe(iso);
  });

  it('reads the zone after the meridiem, not the meridiem as a zone', () => {
    expect(parseMailDate('Fri, 31 Dec 2010 06:09:22 PM EDT')).toEqual({ iso: '2010-12-31T22:09:22Z' });
    expect(parseMailDate('Fri, 31 Dec 2010 06:09:22 PM')).toEqual({ iso: '2010-12-31T18:09:22Z', note: 'date has no time zone; read as UTC' });
    // A zone that starts with AM/PM is a zone: Amazon Time, -04:00 (unknown here, so UTC).
    expect(parseMailDate('Fri, 31 Dec 2010 06:09:22 AMT').note).toBe('unknown time zone "AMT"; read as UTC');
  });

  it('an hour past 12 with PM is already 24-hour; a clock that contradicts itself is not a date', () => {
    expect(parseMailDate('Fri, 31 Dec 2010 18:09:22 PM +0000').iso).toBe('2010-12-31T18:09:22Z');
    expect(parseMailDate('Fri, 31 Dec 2010 18:09:22 AM +0000').iso).toBeNull();
    expect(parseMailDate('Fri, 31 Dec 2010 00:09:22 PM +0000').iso).toBeNull();
    expect(parseMailDate('Fri, 31 Dec 2010 00:09:22 AM +0000').iso).toBe('2010-12-31T00:09:22Z');
  });
});

describe('the date of an mbox From line', () => {
  it.each([
    ['From dev-return-124374-archiver=mbox-vm.apache.org@maven.apache.org  Wed Nov  1 06:04:52 2017', '2017-11-01T06:04:52Z'],
    ['From dev-return-124374-archive-asf-public=cust-asf.ponee.io@maven.apache.org Wed Nov 01 06:04:53 2017', '2017-11-01T06:04:53Z'],
    // pipermail's monthly archives obfuscate the sender into three words
    ['From npiggin at gmail.com  Fri Dec 31 01:31:44 2010', '2010-12-31T01:31:44Z'],
    ['From MAILER-DAEMON Fri Jul  8 12:08:34 2011 remote from example', '2011-07-08T12:08:34Z'],
  ])('%s -> %s', (line, iso) => {
    expect(fromLineDate(line)).toEqual({ iso, note: 'date has no time zone; read as UTC' });
  });

  it('no date, and the placeholders of git format-patch and public-inbox, give none', () => {
    expect(fromLineDate('From ').iso).toBeNull();
    expect(fromLineDate('From a@b').iso).toBeNull();
    expect(fromLineDate('From 9d1e2f0c5b8a7e6d4c3b2a1f0e9d8c7b6a5f4e3d Mon Sep 17 00:00:00 2001').iso).toBeNull();
    expect(fromLineDate('From mboxrd@z Thu Jan  1 00:00:00 1970').iso).toBeNull();
  });
});

describe('fallbacks when Date is missing or unreadable', () => {
  const archive = { iso: '2012-12-04T01:42:26Z', from: 'Maildir file name' };

  it('Date wins when it reads', () => {
    expect(messageDate({ date: 'Mon, 3 Jan 2011 10:00:00 +0100', resentDates: ['Tue, 4 Jan 2011 10:00:00 +0000'], fromLine: 'From a@b Wed Jan  5 10:00:00 2011', archive }))
      .toEqual({ iso: '2011-01-03T09:00:00Z', source: 'date', warnings: [] });
  });

  it('then Resent-Date, the oldest readable one (the first resend), then the From line, then the archive', () => {
    const resentDates = ['Wed, 5 Jan 2011 09:00:00 +0000', 'Tue, 4 Jan 2011 10:00:00 -0500', 'not a date'];
    expect(messageDate({ resentDates, fromLine: 'From a@b Thu Jan  6 10:00:00 2011', archive })).toEqual({
      iso: '2011-01-04T15:00:00Z',
      source: 'resent-date',
      warnings: ['no Date header', 'date from Resent-Date: Tue, 4 Jan 2011 10:00:00 -0500'],
    });
    expect(messageDate({ date: 'yesterday', resentDates: ['not a date'], fromLine: 'From a@b Thu Jan  6 10:00:00 2011', archive })).toEqual({
      iso: '2011-01-06T10:00:00Z',
      source: 'from-line',
      warnings: ['unparseable Date: yesterday', 'date from the mbox From line: From a@b Thu Jan  6 10:00:00 2011', 'From line: date has no time zone; read as UTC'],
    });
    expect(messageDate({ date: 'yesterday', fromLine: 'From mboxrd@z Thu Jan  1 00:00:00 1970', archive })).toEqual({
      iso: '2012-12-04T01:42:26Z',
      source: 'archive',
      warnings: ['unparseable Date: yesterday', 'date from the archive (Maildir file name): 2012-12-04T01:42:26Z'],
    });
    expect(messageDate({ fromLine: 'From ' })).toEqual({ iso: null, source: null, warnings: ['no Date header'] });
  });

  it('decode reads Resent-Date from the message', async () => {
    const m = await decode(raw(
      'Resent-From: list@example.org\nResent-Date: Sat, 1 Jan 2011 09:00:00 +0000\nResent-From: a@example.org\nResent-Date: Fri, 31 Dec 2010 06:09:22 PM EST\n' +
      'From: A <a@example.org>\nSubject: x\nDate: the thirty-first\nMessage-ID: <resent@x>\n\nbody\n',
    ));
    expect([m.date, m.dateSource]).toEqual(['2010-12-31T23:09:22Z', 'resent-date']);
    expect(m.warnings).toEqual(['unparseable Date: the thirty-first', 'date from Resent-Date: Fri, 31 Dec 2010 06:09:22 PM EST']);
  });

  describe('from the readers', () => {
    let dir: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadlab-dates-'));
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
    const noDate = (id: string) => `From: A <a@example.org>\nSubject: ${id}\nMessage-ID: <${id}>\n\nbody\n`;

    it('an mbox passes each message its From line', async () => {
      const file = path.join(dir, 'x.mbox');
      fs.writeFileSync(file, `From a@example.org  Sat Jan  1 10:00:00 2011\n${noDate('one@x')}\nFrom 9d1e2f0c5b8a7e6d4c3b2a1f0e9d8c7b6a5f4e3d Mon Sep 17 00:00:00 2001\n${noDate('two@x')}`);
      const [one, two] = await decodeAll(file);
      expect([one.date, one.dateSource]).toEqual(['2011-01-01T10:00:00Z', 'from-line']);
      expect(one.warnings).toContain('date from the mbox From line: From a@example.org  Sat Jan  1 10:00:00 2011');
      expect([two.date, two.dateSource, two.warnings]).toEqual([null, null, ['no Date header']]);
    });

    it('an .eml that starts with a From line passes it too', async () => {
      const file = path.join(dir, 'saved.eml');
      fs.writeFileSync(file, `From a@example.org Sun Jan  2 11:00:00 2011\r\n${noDate('eml@x').replace(/\n/g, '\r\n')}`);
      const [m] = await decodeAll(file);
      expect([m.date, m.dateSource]).toEqual(['2011-01-02T11:00:00Z', 'from-line']);
      expect(m.warnings).toContain('date from the mbox From line: From a@example.org Sun Jan  2 11:00:00 2011');
    });

    it("a Maildir file's delivery time: the time its name starts with, else its modification time", async () => {
      const maildir = path.join(dir, 'Maildir');
      for (const sub of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(maildir, sub), { recursive: true });
      fs.writeFileSync(path.join(maildir, 'cur', '1354585346.000260:2,'), noDate('named@x'));
      const loose = path.join(maildir, 'new', 'mutt-host-1000-123');
      fs.writeFileSync(loose, noDate('unnamed@x'));
      fs.utimesSync(loose, new Date('2011-03-04T05:06:07Z'), new Date('2011-03-04T05:06:07Z'));
      const [named, unnamed] = await decodeAll(maildir);
      expect([named.date, named.dateSource]).toEqual(['2012-12-04T01:42:26Z', 'archive']);
      expect(named.warnings).toEqual(['no Date header', 'date from the archive (Maildir file name): 2012-12-04T01:42:26Z']);
      expect([unnamed.date, unnamed.dateSource]).toEqual(['2011-03-04T05:06:07Z', 'archive']);
      expect(unnamed.warnings).toEqual(['no Date header', 'date from the archive (Maildir file modification time): 2011-03-04T05:06:07Z']);
    });

    it('a message with its Date gets dateSource "date" and no fallback warning', async () => {
      const file = path.join(dir, 'dated.eml');
      fs.writeFileSync(file, `From a@example.org Sun Jan  2 11:00:00 2011\nDate: Fri, 31 Dec 2010 06:09:22 PM EDT\n${noDate('dated@x')}`);
      const [m] = await decodeAll(file);
      expect([m.date, m.dateSource, m.warnings]).toEqual(['2010-12-31T22:09:22Z', 'date', []]);
    });

    it('ingest stores the fallback used in the warnings (no column of its own), on the decode workers too', async () => {
      const store = await freshDatabase();
      try {
        const file = path.join(dir, 'ingest.mbox');
        fs.writeFileSync(file, `From a@example.org  Sat Jan  1 10:00:00 2011\n${noDate('stored@x')}`);
        const summary = await ingestPaths(store.writer, [file], { list: 'dates' });
        expect(summary.added).toBe(1);
        const m = await store.db.message.findUniqueOrThrow({ where: { archiveId: 'stored@x' } });
        expect(m.date?.toISOString()).toBe('2011-01-01T10:00:00.000Z');
        expect(JSON.parse(m.warningsJson)).toEqual([
          'no Date header',
          'date from the mbox From line: From a@example.org  Sat Jan  1 10:00:00 2011',
          'From line: date has no time zone; read as UTC',
        ]);
      } finally {
        await store.close();
      }
    });
  });

  it.skipIf(!hasShared)("GitBox mail on maven-dev has no Date: it takes its From line's, in each archive's copy", async () => {
    // ponymail's three archives of one month; GitBox sent these without a Date field.
    const id = '150951629010.5809.564130352388296600.gitbox@gitbox.apache.org';
    const dates: Record<string, [string | null, string | null]> = {};
    for (const archive of ['listsao', 'mailarchivesao', 'mboxvm']) {
      const m = (await decodeAll(corpus('ponymail', `maven-dev-2017-11-${archive}.mbox`))).find((x) => x.messageId === id)!;
      expect(m.warnings[0]).toBe('no Date header');
      expect(m.warnings[1]).toMatch(/^date from the mbox From line: From dev-return-124374-/);
      dates[archive] = [m.date, m.dateSource];
    }
    // The copies' Received fields say 06:04:50 +0000: the From lines are in UTC.
    expect(dates).toEqual({
      listsao: ['2017-11-01T06:04:53Z', 'from-line'],
      mailarchivesao: ['2017-11-01T06:04:52Z', 'from-line'],
      mboxvm: ['2017-11-01T06:04:52Z', 'from-line'],
    });
  });
});
