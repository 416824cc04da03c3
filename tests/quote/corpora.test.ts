/**
 * Segmentation and provenance on the real corpora (../shared/corpora):
 * German, French and Gmail attributions, Outlook and Windows Mail
 * top-posting, Apple Mail's attribution inside the quote, ten levels of
 * nesting, kernel patch replies, HTML-only mail. Each case names its
 * message and the span its quotes link to.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { decode, readArchive, type ParsedMessage } from '../../lib/mail';
import { QuoteIndex, linkQuotes } from '../../lib/quote/provenance';
import { segmentBody } from '../../lib/quote/segment';
import type { QuoteSource, Segment } from '../../lib/quote/types';
import { corpus, hasShared } from '../support/shared';
import { expectContract, segmentStarting } from './helpers';

interface Read {
  message: ParsedMessage;
  segments: Segment[];
}

/** Every message of an archive by Message-ID (the first copy of a duplicate). */
async function readById(path: string): Promise<Map<string, Read>> {
  const byId = new Map<string, Read>();
  for await (const raw of readArchive(path, { onError: () => {} })) {
    const message = await decode(raw);
    if (message.messageId && !byId.has(message.messageId)) byId.set(message.messageId, { message, segments: segmentBody(message.body) });
  }
  return byId;
}

/** A message, its ancestors by In-Reply-To (parent first), and the provenance of its quotes. */
function linked(archive: Map<string, Read>, id: string) {
  const read = archive.get(id);
  if (!read) throw new Error(`${id} is not in the archive`);
  const ancestors: Read[] = [];
  for (let p = read.message.inReplyTo; p && archive.has(p) && ancestors.length < 30; p = archive.get(p)!.message.inReplyTo) ancestors.push(archive.get(p)!);
  const sources = linkQuotes(
    { body: read.message.body, segments: read.segments },
    ancestors.map((a) => ({ archiveId: a.message.messageId!, body: a.message.body, segments: a.segments, isGhost: false })),
    new QuoteIndex(),
  );
  const body = read.message.body;
  return {
    ...read,
    ancestors: ancestors.map((a) => a.message.messageId),
    text: (s: Segment) => body.slice(s.start, s.end),
    /** The source of the segment whose text starts with `prefix`. */
    sourceOf: (prefix: string): QuoteSource => {
      const { index } = segmentStarting(body, read.segments, prefix);
      const source = sources.find((s) => s.segment === index);
      if (!source) throw new Error(`segment ${index} has no source`);
      return source;
    },
    spanOf: (s: QuoteSource) => archive.get(s.sourceArchiveId!)!.message.body.slice(s.sourceStart!, s.sourceEnd!),
  };
}

describe.skipIf(!hasShared)('quotes in httpd-users (July 2020)', () => {
  let httpd: Map<string, Read>;
  beforeAll(async () => {
    httpd = await readById(corpus('ponymail', 'httpd-users-2020-07.asf.mbox'));
  });

  it('keeps the segment contract on every message', () => {
    for (const { message, segments } of httpd.values()) expectContract(message.body, segments);
  });

  it("reads Thunderbird's German attribution and links the reflowed quote to Mahmood Naderan's message", () => {
    const m = linked(httpd, 'ecf2300d-d9bf-345a-3a8a-6d86ea6c8e0d@schramm.by');
    expect(m.segments[0]).toMatchObject({ kind: 'attribution', depth: 0, name: 'Mahmood Naderan', dateText: '10.07.20 um 12:47' });
    // format=flowed, reflowed by quote depth: the quoted sentence is one line again, without a stray "> " inside.
    expect(m.text(m.segments[1]!)).toContain('> The output of "apache2 -V" and "apache2 -l" commands show that MPM prefork is not available in my apache web server.\n');
    const source = m.sourceOf('> Hi');
    expect(source).toMatchObject({ sourceArchiveId: '354143940.2817434.1594378044497@mail.yahoo.com', match: 'exact', score: 1 });
    expect(m.spanOf(source)).toMatch(/^Hi\n+The output of "apache2 -V"/);
  });

  it("reads Outlook's header blocks in Joel's top-posted reply as attributions over quotes one level deeper each", () => {
    const m = linked(httpd, 'BL0PR02MB5425480946D762EE237729309F7A0@BL0PR02MB5425.namprd02.prod.outlook.com');
    const attributions = m.segments.filter((s) => s.kind === 'attribution');
    expect(attributions.map((s) => [s.depth, s.name, s.address, s.dateText])).toEqual([
      [0, 'Joel', 'jm-hotmail@hotmail.com', 'Sunday, July 19, 2020 7:32 AM'],
      [1, 'angel Hall-Coulston', null, 'Sunday, July 19, 2020 7:18 AM'],
      [3, 'Joel Miller', 'jm-hotmail@hotmail.com', '19 Jul 2020, at 11:57'],
    ]);
    expect(m.text(attributions[0]!).split('\n')[0]).toBe('________________________________');
    const first = m.sourceOf('Thank you.  I gather I will need');
    expect(first).toMatchObject({ sourceArchiveId: 'BL0PR02MB54250574D02EAF175F7981769F7A0@BL0PR02MB5425.namprd02.prod.outlook.com', match: 'exact' });
    expect(m.spanOf(first).startsWith('Thank you.  I gather I will need to ask the server hosting entity')).toBe(true);
    expect(m.segments[segmentStarting(m.message.body, m.segments, "Not without 'write' permission").index]).toMatchObject({ kind: 'quote', depth: 2 });
  });

  it("keeps Apple Mail's attribution inside the quote and links the quote, its URLs re-linked by Mail, as fuzzy", () => {
    const m = linked(httpd, '975C7E60-393F-4884-9479-742DB3131B3B@me.com');
    const attribution = m.segments.find((s) => s.kind === 'attribution')!;
    expect(attribution).toMatchObject({ depth: 1, name: 'Wendell Hatcher', address: 'wendellhatcher1074@gmail.com', dateText: '1 Jul 2020, at 15:33' });
    expect(m.text(attribution).startsWith('> On 1 Jul 2020, at 15:33, Wendell Hatcher')).toBe(true);
    const source = m.sourceOf('> Hello, I have a ipfileblocklist');
    expect(source).toMatchObject({ sourceArchiveId: 'CAKXhZzwONzGiOPUyYE84tkx8sUgLSnHWOZSQWcOXf-sWGwLiyQ@mail.gmail.com', match: 'fuzzy' });
    expect(source.score).toBeGreaterThan(0.9);
    expect(m.spanOf(source).startsWith('Hello, I have a ipfileblocklist text file')).toBe(true);
  });
});

describe.skipIf(!hasShared)('quotes in maven-dev (November 2017)', () => {
  let maven: Map<string, Read>;
  beforeAll(async () => {
    maven = await readById(corpus('ponymail', 'maven-dev-2017-11-listsao.mbox'));
  });

  it('links each level of a ten-deep thread to the message that many generations up', () => {
    const m = linked(maven, 'op.y867llyakdkhrr@desktop-2khsk44.dynamic.ziggo.nl');
    expect(m.ancestors).toHaveLength(10);
    const attributions = m.segments.filter((s) => s.kind === 'attribution').slice(0, 4);
    expect(attributions.map((s) => [s.depth, s.name, s.dateText])).toEqual([
      [0, 'Romain Manni-Bucau', 'Sat, 04 Nov 2017 18:34:14 +0100'],
      [1, 'Stephen Connolly', '2017-11-04 18:17 GMT+01:00'],
      [2, 'Romain Manni-Bucau', 'Sat 4 Nov 2017 at 17:11'],
      [3, 'Stephen Connolly', '4 nov. 2017 17:03'],
    ]);
    const deepest = m.sourceOf('>>> > > > >> > *3. More pluggable dependency resolver:*');
    expect(m.segments[deepest.segment]!.depth).toBe(9);
    expect(deepest).toMatchObject({ sourceArchiveId: m.ancestors[8], match: 'exact' });
    expect(deepest.sourceArchiveId).toBe('CA+298Ug8DwokscdwC9vPrG+2TPfsdTvqQ5GO2RdRrOMT=vpfew@mail.gmail.com');
    expect(m.spanOf(deepest).startsWith('*3. More pluggable dependency resolver:*')).toBe(true);
    const johnPatrick = m.sourceOf('>>> > > > I\'ve got  a few updates');
    expect(johnPatrick).toMatchObject({ sourceArchiveId: m.ancestors[5], match: 'exact' });
  });

  it("reads Windows Mail's German header block over Bernd's top-post and finds Mark Derricutt's flattened text in it", () => {
    const m = linked(maven, '59ff8258.ecb2df0a.5d316.bc89@mx.google.com');
    expect(m.segments.map((s) => `${s.kind}:${s.depth}`)).toEqual(['new:0', 'signature:0', 'attribution:0', 'quote:1', 'footer:0']);
    expect(m.text(m.segments[1]!)).toBe('Gruss\nBernd\n\n');
    expect(m.segments[2]).toMatchObject({ name: 'Mark Derricutt', dateText: 'Sonntag, 5. November 2017 22:20' });
    const source = m.sourceOf('On 5 Nov 2017, at 10:42, Robert Scholte wrote:');
    expect(source).toMatchObject({ sourceArchiveId: 'E99A04F6-B78E-4B4F-82E9-C89A8FB744DE@talios.com', match: 'fuzzy' });
    expect(m.spanOf(source).startsWith('On 5 Nov 2017, at 10:42, Robert Scholte wrote:')).toBe(true);
  });

  it("reads KMail's French attribution under Hervé's top-post; the October message it quotes is not in this archive", () => {
    const m = linked(maven, '2028880.1HgFmRJS0p@giga');
    expect(m.segments.map((s) => `${s.kind}:${s.depth}`)).toEqual(['new:0', 'signature:0', 'attribution:0', 'quote:1', 'footer:0']);
    expect(m.segments[2]).toMatchObject({ name: 'Hervé BOUTEMY', dateText: 'mardi 31 octobre 2017, 16:08:01 CET' });
    expect(m.ancestors).toEqual([]);
    expect(m.sourceOf('> As you probably noticed')).toMatchObject({ sourceArchiveId: null, match: 'unmatched', score: 0 });
  });
});

describe.skipIf(!hasShared)('quotes in the notmuch LKML sample', () => {
  let lkml: Map<string, Read>;
  beforeAll(async () => {
    lkml = await readById(corpus('notmuch-lkml'));
  });

  it('keeps the segment contract on every message', () => {
    for (const { message, segments } of lkml.values()) expectContract(message.body, segments);
  });

  it('reads David Miller\'s "From:" / "Date:" attribution and links his quote to Joe Perches\' patch', () => {
    const m = linked(lkml, '20101115.110732.27814339.davem@davemloft.net');
    expect(m.segments.map((s) => `${s.kind}:${s.depth}`)).toEqual(['attribution:0', 'quote:1', 'new:0']);
    expect(m.segments[0]).toMatchObject({ name: 'Joe Perches', address: 'joe@perches.com', dateText: 'Sun, 14 Nov 2010 19:04:58 -0800' });
    const source = m.sourceOf('> Signed-off-by: Joe Perches');
    expect(source).toMatchObject({ sourceArchiveId: '35914cfea1bd0ab3963e632d02b1fdd52a9d2bc8.1289789605.git.joe@perches.com', match: 'exact' });
    expect(m.spanOf(source)).toBe('Signed-off-by: Joe Perches <joe@perches.com>');
  });

  it("reads Ingo Molnar's mutt attribution and sign-off, and links the quoted patch to Henrik Kretzschmar's", () => {
    const m = linked(lkml, '20110214110039.GA7140@elte.hu');
    expect(m.segments[0]).toMatchObject({ kind: 'attribution', name: 'Henrik Kretzschmar', address: 'henne@nachtwindheim.de', dateText: null });
    expect(m.text(m.segments.at(-1)!)).toMatch(/^Thanks,\n\n\tIngo\n/);
    expect(m.segments.at(-1)!.kind).toBe('signature');
    const source = m.sourceOf('> arch_disable_smp_config() is an IO-APIC related function');
    expect(source).toMatchObject({ sourceArchiveId: '1297677612-12405-5-git-send-email-henne@nachtwindheim.de', match: 'exact' });
    expect(m.spanOf(source)).toMatch(/^arch_disable_smp_config\(\) is an IO-APIC related function on x86,[\s\S]*\+#endif$/);
  });

  it("reads Thunderbird's French attribution and links its quote, with the spaces Thunderbird moved around '>=', as fuzzy", () => {
    const m = linked(lkml, '4D591D04.4050000@gmail.com');
    expect(m.segments[0]).toMatchObject({ kind: 'attribution', name: 'Vasiliy Kulikov', dateText: '14/02/2011 11:56' });
    const source = m.sourceOf('> alloc_netdev() may be called with too long name');
    expect(source).toMatchObject({ sourceArchiveId: '1297680967-11893-1-git-send-email-segoon@openwall.com', match: 'fuzzy' });
    expect(source.score).toBeGreaterThan(0.8);
    expect(m.text(m.segments[source.segment]!)).toContain('BUG_ON(strlen(name)>= sizeof(dev->name));');
    expect(m.spanOf(source)).toMatch(/^alloc_netdev\(\) may be called with too long name[\s\S]*BUG_ON\(strlen\(name\) >= sizeof\(dev->name\)\);/);
  });
});

describe.skipIf(!hasShared)('HTML-only mail', () => {
  it('reads Nexus notifications, converted from HTML, as new text only: their "* ..." list items are no attributions', async () => {
    const nexus = await readById(corpus('ponymail', 'nexus-html-only.mbox'));
    expect(nexus.size).toBe(3);
    for (const { message, segments } of nexus.values()) {
      expect(message.bodyFromHtml).toBe(true);
      expect(message.body).toContain('* "userAgent" = ');
      expect(segments.map((s) => s.kind)).toEqual(['new']);
    }
  });
});
