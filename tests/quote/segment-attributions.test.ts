// Attributions stored with a body's segments read back as findAttributions finds them, so that
// re-threading need not parse the body again; rows stored before they carried the parsed date
// and quote form say so (null), and threading then parses as before.
import { describe, expect, it } from 'vitest';
import { decode, readArchive } from '../../lib/mail';
import { findAttributions } from '../../lib/quote/find-attributions';
import { segmentBody } from '../../lib/quote/segment';
import { attributionsOfSegments } from '../../lib/quote/segment-attributions';
import { readSegments, storeSegments } from '../../lib/quote/stored';
import { threadMessages } from '../../lib/thread/index';
import { projectRoot } from '../../lib/db/url';
import { corpus, hasShared } from '../support/shared';
import { message, nodeOf } from '../thread/build';

const lines = (...l: string[]) => l.join('\n');
/** What re-threading reads: the segments ingest stored, read back. */
const fromStore = (body: string) => attributionsOfSegments(body, readSegments(storeSegments(segmentBody(body))));

const BODIES: [string, string][] = [
  ['a plain attribution', lines('Agreed.', '', 'On Fri, Dec 31, 2010 at 10:29 AM, Joel Becker <joel.becker@oracle.com> wrote:', '> quoted', '', 'Reply.')],
  ["Apple Mail's, inside the quote", lines('Agreed.', '', '> On Dec 31, 2010, at 10:29, Joel Becker <joel@example.org> wrote:', '> ', '> quoted', '')],
  [
    "Outlook's header block over unmarked text",
    lines('Agreed.', '', '-----Original Message-----', 'From: Joel Becker [mailto:joel@example.org]', 'Sent: Friday, December 31, 2010 10:29 AM', 'To: list@example.org', 'Subject: Re: x', '', 'Quoted without markers.'),
  ],
  [
    'an Outlook block inside a quote, under another one',
    lines('Top.', '', 'From: A <a@example.org>', 'Sent: Friday, December 31, 2010 10:29 AM', 'To: b@example.org', '', 'Middle.', '', '> From: B <b@example.org>', '> Sent: Thursday, December 30, 2010 9:00 AM', '> Subject: y', '>', '> Bottom.'),
  ],
  ['an attribution wrapped over three lines', lines('On Fri, Dec 31, 2010 at 10:29 AM,', 'Joel Becker <joel.becker@oracle.com>', 'wrote:', '> quoted')],
  ['nested attributions and CRLF line ends', lines('Le 14/02/2011 11:56, Vasiliy Kulikov a écrit :\r', '> Am 10.07.20 um 12:47 schrieb Mahmood Naderan:\r', '>> deep\r', '> mid\r', 'new\r', '')],
  ['two attributions in a row', lines('Joel wrote:', '> one', 'Nick wrote:', '> two', '', 'Sage wrote:', '', '', '> three')],
  ['prose that ends in "wrote:" and no quote', lines('This is what I wrote:', '', 'nothing quoted')],
];

describe('attributions read from stored segments', () => {
  it.each(BODIES)('%s: the same as findAttributions', (_name, body) => {
    expect(fromStore(body)).toEqual(findAttributions(body));
  });

  it('finds some attributions in the bodies above, in each form', () => {
    const all = BODIES.flatMap(([, body]) => fromStore(body)!);
    expect(all.some((a) => a.insideQuote)).toBe(true);
    expect(all.some((a) => a.unmarked)).toBe(true);
    expect(all.some((a) => a.depth === 1 && !a.insideQuote)).toBe(true);
  });

  it('the same for all bundled mail', async () => {
    let attributions = 0;
    for await (const raw of readArchive(`${projectRoot}/content/thread`)) {
      const { body } = await decode(raw);
      attributions += findAttributions(body).length;
      expect(fromStore(body), raw.source).toEqual(findAttributions(body));
    }
    expect(attributions).toBeGreaterThan(10);
  });

  it.skipIf(!hasShared)('the same for the shared corpora', async () => {
    let attributions = 0;
    for await (const raw of readArchive(corpus(), { onError: () => {} })) {
      const { body } = await decode(raw);
      const found = findAttributions(body);
      attributions += found.length;
      expect(fromStore(body), `${raw.source} @${raw.offset}`).toEqual(found);
    }
    expect(attributions).toBeGreaterThan(1000);
  }, 120_000);

  it('follows segmentation where a list footer looks like a header block: it is a footer', () => {
    const body = lines('Reply.', '', '________________________________', 'From: Joel Becker <joel@example.org>', 'Sent: Friday, December 31, 2010 10:29 AM', 'To unsubscribe, e-mail: x@example.org');
    expect(findAttributions(body)).toHaveLength(1);
    expect(segmentBody(body).map((s) => s.kind)).toEqual(['new', 'footer']);
    expect(fromStore(body)).toEqual([]);
  });

  it('keeps the parsed date and quote form in the stored form', () => {
    const body = BODIES[1]![1];
    const [stored] = readSegments(storeSegments(segmentBody(body))).filter((s) => s.kind === 'attribution');
    expect(stored).toMatchObject({ name: 'Joel Becker', dateText: 'Dec 31, 2010, at 10:29', date: '2010-12-31T10:29:00', quoteForm: 'inside' });
  });

  it('returns null for rows stored before, and for a body never segmented', () => {
    const body = BODIES[0]![1];
    // The stored form before: attributions with seven fields.
    const old = JSON.stringify((JSON.parse(storeSegments(segmentBody(body))) as unknown[][]).map((s) => s.slice(0, s[0] === 'attribution' ? 7 : 4)));
    const segments = readSegments(old);
    expect(segments.find((s) => s.kind === 'attribution')).toMatchObject({ name: 'Joel Becker', dateText: 'Fri, Dec 31, 2010 at 10:29 AM' });
    expect(segments.find((s) => s.kind === 'attribution')).not.toHaveProperty('date');
    expect(attributionsOfSegments(body, segments)).toBeNull();
    // Stored again, an old segment stays old: nothing is made up for it.
    expect(storeSegments(segments)).toBe(old);
    expect(attributionsOfSegments(body, [])).toBeNull();
    expect(attributionsOfSegments('', [])).toEqual([]);
    expect(fromStore('No quotes here.\n')).toEqual([]);
  });
});

describe('threading with stored attributions', () => {
  const joel = message({ id: 'joel@oracle.com', from: 'Joel Becker', address: 'joel.becker@oracle.com', date: '2010-12-31T18:29:00Z', body: 'The truncate race is real.\n' });
  const body = lines('Agreed.', '', 'On Fri, Dec 31, 2010 at 10:29 AM, Joel Becker <joel.becker@oracle.com> wrote:', '> The truncate race is real.');
  const reply = message({ id: null, key: 'r', from: 'Tao Ma', date: '2011-01-01T02:00:00Z', body });

  it('reads the attributions given instead of the body', () => {
    // Given none, it finds none: the body is not parsed again.
    expect(nodeOf(threadMessages([joel, { ...reply, attributions: [] }]), 'r').parentKey).toBeNull();
    const stored = { ...reply, attributions: fromStore(body)! };
    expect(nodeOf(threadMessages([joel, stored]), 'r')).toMatchObject({ parentKey: 'joel@oracle.com', parentBy: 'attribution' });
  });

  it('threads as parsing does', () => {
    const parsed = threadMessages([joel, reply]);
    expect(threadMessages([joel, { ...reply, attributions: fromStore(body)! }])).toEqual(parsed);
  });
});
