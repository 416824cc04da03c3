import { describe, expect, it } from 'vitest';
import { parseAttribution } from '../../lib/quote/attribution';
import { parseAttributionDate } from '../../lib/quote/attribution-date';
import { deobfuscateAddress } from '../../lib/quote/author';
import { findAttributions } from '../../lib/quote/find-attributions';
import { quoteDepth } from '../../lib/quote/quote-depth';
import { threadMessages } from '../../lib/thread/index';
import { checkInvariants, message, nodeOf, outlines } from './build';

describe('parseAttribution', () => {
  const cases: [string, { name: string | null; address: string | null; dateText: string | null; date: string | null }][] = [
    [
      'On Fri, Dec 31, 2010 at 10:29 AM, Joel Becker <Joel.Becker at oracle.com> wrote:',
      { name: 'Joel Becker', address: 'Joel.Becker@oracle.com', dateText: 'Fri, Dec 31, 2010 at 10:29 AM', date: '2010-12-31T10:29:00' },
    ],
    // Gmail since ~2019: no comma before the name.
    [
      'On Fri, Dec 31, 2010 at 10:29 PM Joel Becker <joel@example.org> wrote:',
      { name: 'Joel Becker', address: 'joel@example.org', dateText: 'Fri, Dec 31, 2010 at 10:29 PM', date: '2010-12-31T22:29:00' },
    ],
    // mutt: zone given, so the date is exact (UTC).
    [
      'On Thu, Mar 12, 2009 at 06:08:44PM -0400, Trond Myklebust wrote:',
      { name: 'Trond Myklebust', address: null, dateText: 'Thu, Mar 12, 2009 at 06:08:44PM -0400', date: '2009-03-12T22:08:44Z' },
    ],
    // Claws/Sylpheed: RFC 2822 date, no comma before the name.
    [
      'On Tue, 16 Nov 2010 23:22:58 +0000 Mark Brown wrote:',
      { name: 'Mark Brown', address: null, dateText: 'Tue, 16 Nov 2010 23:22:58 +0000', date: '2010-11-16T23:22:58Z' },
    ],
    // Evolution.
    [
      'On Wed, 2009-03-11 at 04:55 +0100, Nick Piggin wrote:',
      { name: 'Nick Piggin', address: null, dateText: 'Wed, 2009-03-11 at 04:55 +0100', date: '2009-03-11T03:55:00Z' },
    ],
    // Pine/Alpine: a date without time.
    ['On Thu, 12 Mar 2009, Sage Weil wrote:', { name: 'Sage Weil', address: null, dateText: 'Thu, 12 Mar 2009', date: '2009-03-12' }],
    // A name with a comma of its own.
    [
      'On Tue, Aug 3, 2010 at 7:17 AM, Bounine, Alexandre <Alexandre.Bounine@idt.com> wrote:',
      { name: 'Bounine, Alexandre', address: 'Alexandre.Bounine@idt.com', dateText: 'Tue, Aug 3, 2010 at 7:17 AM', date: '2010-08-03T07:17:00' },
    ],
    // mutt `%d-%m-%y`, day first.
    [
      'On Tue 03-03-09 10:58:35, Christoph Hellwig wrote:',
      { name: 'Christoph Hellwig', address: null, dateText: 'Tue 03-03-09 10:58:35', date: '2009-03-03T10:58:35' },
    ],
    // Thunderbird en-US (month first) and en-GB (a first number above 12 is a day).
    ['On 11/30/21 6:40 PM, Dan Carpenter wrote:', { name: 'Dan Carpenter', address: null, dateText: '11/30/21 6:40 PM', date: '2021-11-30T18:40:00' }],
    ['On 24/12/17 10:40, Robert Scholte wrote:', { name: 'Robert Scholte', address: null, dateText: '24/12/17 10:40', date: '2017-12-24T10:40:00' }],
    // Apple Mail and Fastmail.
    ['On 5 Nov 2017, at 10:42, Robert Scholte wrote:', { name: 'Robert Scholte', address: null, dateText: '5 Nov 2017, at 10:42', date: '2017-11-05T10:42:00' }],
    [
      'On Monday 27/07/2020 at 14:10, Steffen Land  wrote:',
      { name: 'Steffen Land', address: null, dateText: 'Monday 27/07/2020 at 14:10', date: '2020-07-27T14:10:00' },
    ],
    // mutt's star forms.
    [
      '* Joel Becker <Joel.Becker@oracle.com> [2010-12-31 10:29:00 -0800]:',
      { name: 'Joel Becker', address: 'Joel.Becker@oracle.com', dateText: '2010-12-31 10:29:00 -0800', date: '2010-12-31T18:29:00Z' },
    ],
    ['* Henrik Kretzschmar <henne@nachtwindheim.de> wrote:', { name: 'Henrik Kretzschmar', address: 'henne@nachtwindheim.de', dateText: null, date: null }],
    // Name only, address only, quoted name, address turned into a link.
    ['Joe Perches wrote:', { name: 'Joe Perches', address: null, dateText: null, date: null }],
    ['<herve.boutemy@free.fr> wrote:', { name: null, address: 'herve.boutemy@free.fr', dateText: null, date: null }],
    ['"Robert Scholte" <rfscholte@Apache.ORG> wrote:', { name: 'Robert Scholte', address: 'rfscholte@apache.org', dateText: null, date: null }],
    ['Jim <jim@netrition.com <mailto:jim@netrition.com>> wrote:', { name: 'Jim', address: 'jim@netrition.com', dateText: null, date: null }],
    ['Aneesh Kumar K. V wrote:', { name: 'Aneesh Kumar K. V', address: null, dateText: null, date: null }],
    // Old Gmail.
    ['2010/12/31 Joel Becker <Joel.Becker@oracle.com>:', { name: 'Joel Becker', address: 'Joel.Becker@oracle.com', dateText: '2010/12/31', date: '2010-12-31' }],
    ['Quoting Joel Becker (Joel.Becker@oracle.com):', { name: 'Joel Becker', address: 'Joel.Becker@oracle.com', dateText: null, date: null }],
  ];
  it.each(cases)('%s', (line, expected) => {
    expect(parseAttribution(line)).toEqual(expected);
  });

  it.each([
    'I think that is what Linus wrote:',
    'Hi, as Linus said earlier wrote:',
    'The following options are supported:',
    '* Fixed the locking:',
    'On the other hand, see what happens when truncate wrote:',
    'Signed-off-by: Nick Piggin <npiggin@suse.de>',
  ])('rejects prose: %s', (line) => {
    expect(parseAttribution(line)).toBeNull();
  });
});

describe('parseAttributionDate', () => {
  it('rejects impossible dates and stray words', () => {
    expect(parseAttributionDate('Feb 30, 2010')).toBeNull();
    expect(parseAttributionDate('Fri, Dec 31, 2010 Joel')).toBeNull();
    expect(parseAttributionDate('13:61')).toBeNull();
    expect(parseAttributionDate('Dec 31, 2010 at 13:05 PM')).toBeNull();
  });
  it('reads ISO 8601 with and without offset', () => {
    expect(parseAttributionDate('2010-12-31T10:29:00+11:00')).toBe('2010-12-30T23:29:00Z');
    expect(parseAttributionDate('2010-12-31T10:29')).toBe('2010-12-31T10:29:00');
  });
  it('reads 12 AM as midnight and zone abbreviations', () => {
    expect(parseAttributionDate('Dec 31, 2010 12:05 AM PST')).toBe('2010-12-31T08:05:00Z');
  });
});

describe('helpers', () => {
  it('deobfuscates pipermail addresses', () => {
    expect(deobfuscateAddress('Joel.Becker at oracle.com')).toBe('Joel.Becker@oracle.com');
    expect(deobfuscateAddress('look at this.')).toBe('look at this.');
  });
  it('counts quote depth with or without spaces between markers', () => {
    expect(quoteDepth('> > foo')).toEqual({ depth: 2, text: 'foo' });
    expect(quoteDepth('>>foo')).toEqual({ depth: 2, text: 'foo' });
    expect(quoteDepth('a > b')).toEqual({ depth: 0, text: 'a > b' });
  });
});

describe('findAttributions', () => {
  it('finds attributions wrapped over two lines, at every depth, with their line range', () => {
    const body = [
      'Hi,', // 0
      'On Tue, 22 Jun 2010 20:53:18 +0530', // 1
      'Suresh Jayaraman <sjayaraman@suse.de> wrote:', // 2
      '', // 3
      '> Patch.', // 4
      'Comment.', // 5
      'On Mon, Dec 18, 2017 at 8:42 AM, Stephen Connolly <', // 6
      'stephen.alan.connolly@gmail.com> wrote:', // 7
      '> On 1 Jan 2017, Foo Bar wrote:', // 8
      '>> deep', // 9
    ];
    expect(findAttributions(body)).toEqual([
      { name: 'Suresh Jayaraman', address: 'sjayaraman@suse.de', dateText: 'Tue, 22 Jun 2010 20:53:18 +0530', date: '2010-06-22T15:23:18Z', startLine: 1, endLine: 3, depth: 0 },
      { name: 'Stephen Connolly', address: 'stephen.alan.connolly@gmail.com', dateText: 'Mon, Dec 18, 2017 at 8:42 AM', date: '2017-12-18T08:42:00', startLine: 6, endLine: 8, depth: 0 },
      { name: 'Foo Bar', address: null, dateText: '1 Jan 2017', date: '2017-01-01', startLine: 8, endLine: 9, depth: 1 },
    ]);
  });

  it('wraps a name-and-address line followed by a lone "wrote:"', () => {
    expect(findAttributions('Joel Becker <joel@example.org>\nwrote:\n> quoted')).toMatchObject([
      { name: 'Joel Becker', address: 'joel@example.org', startLine: 0, endLine: 2 },
    ]);
  });

  it('ignores an attribution-like line that no quote follows', () => {
    expect(findAttributions('Joe Perches wrote:\nthat this is fine.\n')).toEqual([]);
    expect(findAttributions('Joe Perches wrote:\n')).toEqual([]);
  });
});

describe('parents inferred from attribution lines', () => {
  const joelText = [
    'Nick,',
    '       While visiting some issues in ocfs2_page_mkwrite(), I realized',
    'that we\'re returning 0 to mean "Please try again Mr VM", but the caller',
    'of page_mkwrite() now expects VM_FAULT_NOPAGE.',
  ].join('\n');
  /** Nick's answer, quoting Joel re-wrapped, with no reply headers (as on a pipermail page). */
  const nickReply = (key: string, attribution: string, date = '2010-12-31T09:31:44Z') =>
    message({
      id: null,
      key,
      date,
      from: 'Nick Piggin',
      address: 'npiggin@gmail.com',
      body: [
        'Hi Joel,',
        '',
        attribution,
        '> Nick,',
        '>        While visiting some issues in ocfs2_page_mkwrite(), I realized that',
        '> we\'re returning 0 to mean "Please try again Mr VM",',
        '',
        '0 has always meant minor fault.',
        '',
        '> but the caller of page_mkwrite() now expects VM_FAULT_NOPAGE.',
        '',
        'Thanks,',
        'Nick',
      ].join('\n'),
    });
  const attribution = 'On Fri, Dec 31, 2010 at 10:29 AM, Joel Becker <Joel.Becker at oracle.com> wrote:';
  // 10:29 in Nick's zone (UTC+11) is 23:29 UTC the day before.
  const joel = message({ id: 'joel@oracle.com', key: 'joel', date: '2010-12-30T23:29:00Z', from: 'Joel Becker', address: 'Joel.Becker@oracle.com', body: joelText });

  it('finds the quoted message by author, date and re-wrapped quoted text', () => {
    const decoys = [
      // Same author, same hour, other text.
      message({ id: 'joel-other@oracle.com', date: '2010-12-30T23:40:00Z', from: 'Joel Becker', address: 'joel.becker@oracle.com', body: 'Unrelated patch.' }),
      // Same text, quoted by someone else: not the author.
      message({ id: 'wengang@oracle.com', date: '2010-12-30T23:50:00Z', from: 'Wengang Wang', address: 'wen.gang.wang@oracle.com', body: joelText }),
    ];
    const inputs = [...decoys, joel, nickReply('nick', attribution)];
    const result = threadMessages(inputs);
    checkInvariants(inputs, result);
    expect(nodeOf(result, 'nick')).toMatchObject({ parentKey: 'joel', parentBy: 'attribution', depth: 1 });
    expect(result.ghosts).toEqual([]);
  });

  it('matches on a name written the other way round when the attribution has no address', () => {
    const inputs = [joel, nickReply('nick', 'On Fri, Dec 31, 2010 at 10:29 AM, Becker, Joel wrote:')];
    expect(nodeOf(threadMessages(inputs), 'nick')).toMatchObject({ parentKey: 'joel', parentBy: 'attribution' });
  });

  it('does not match a message far from the attribution\'s date', () => {
    const lastYear = { ...joel, date: '2009-12-30T23:29:00Z' };
    const result = threadMessages([lastYear, nickReply('nick', attribution)]);
    expect(nodeOf(result, 'nick').parentKey).toMatch(/^ghost:/);
  });

  it('does not match a message whose text is not what was quoted', () => {
    const result = threadMessages([{ ...joel, body: 'Something else entirely, about writeback.' }, nickReply('nick', attribution)]);
    expect(nodeOf(result, 'nick').parentKey).toMatch(/^ghost:/);
  });

  it('leaves a message with reply headers where its headers put it', () => {
    const other = message({ id: 'other@x', date: '2010-12-30T20:00:00Z' });
    const withHeaders = { ...nickReply('nick', attribution), messageId: 'nick@gmail.com', inReplyTo: 'other@x', references: ['other@x'] };
    expect(nodeOf(threadMessages([joel, other, withHeaders]), 'nick')).toMatchObject({ parentKey: 'other@x', parentBy: 'in-reply-to' });
  });

  it('creates a ghost for a quoted message that is not in the archive', () => {
    const inputs = [nickReply('nick', attribution)];
    const result = threadMessages(inputs);
    checkInvariants(inputs, result);
    expect(result.ghosts).toEqual([
      {
        key: expect.stringMatching(/^ghost:[0-9a-f]{14}$/),
        messageId: null,
        authorName: 'Joel Becker',
        authorAddress: 'Joel.Becker@oracle.com',
        dateText: 'Fri, Dec 31, 2010 at 10:29 AM',
        date: '2010-12-31T10:29:00',
      },
    ]);
    const ghostKey = result.ghosts[0]!.key;
    expect(result.threads).toEqual([
      {
        rootKey: ghostKey,
        nodes: [
          { key: ghostKey, parentKey: null, parentBy: null, order: 0, depth: 0 },
          { key: 'nick', parentKey: ghostKey, parentBy: 'attribution', order: 0, depth: 1 },
        ],
      },
    ]);
  });

  it('gives two replies to the same missing message one shared ghost', () => {
    const inputs = [
      nickReply('nick', attribution),
      // Another client, another attribution format and case, same author and time.
      nickReply('sunil', 'On 12/31/2010 10:29 AM, Joel Becker <joel.becker@ORACLE.com> wrote:', '2010-12-31T12:00:00Z'),
      // Same author, other time: another message.
      nickReply('tao', 'On Thu, Dec 30, 2010 at 9:00 AM, Joel Becker <Joel.Becker at oracle.com> wrote:', '2010-12-31T13:00:00Z'),
    ];
    const result = threadMessages(inputs);
    checkInvariants(inputs, result);
    expect(result.ghosts).toHaveLength(2);
    const shared = nodeOf(result, 'nick').parentKey;
    expect(nodeOf(result, 'sunil').parentKey).toBe(shared);
    expect(nodeOf(result, 'tao').parentKey).not.toBe(shared);
    expect(outlines(result)).toContain(`${shared}\n  nick\n  sunil`);
  });

  it('keeps ghost keys stable across runs, input order and unrelated messages', () => {
    const key = threadMessages([nickReply('nick', attribution)]).ghosts[0]!.key;
    // Pinned: the store records this key; a change of hash would orphan recorded ghosts.
    expect(key).toBe('ghost:18c1b1d888843d');
    const shuffled = threadMessages([message({ id: 'z@x' }), nickReply('other-key', attribution), message({ id: 'a@x' })]);
    expect(shuffled.ghosts.map((g) => g.key)).toEqual([key]);
  });

  it('does not share a ghost between replies when the attribution gives no date', () => {
    const inputs = [nickReply('nick', 'Joel Becker <Joel.Becker at oracle.com> wrote:'), nickReply('sunil', 'Joel Becker <Joel.Becker at oracle.com> wrote:')];
    const result = threadMessages(inputs);
    checkInvariants(inputs, result);
    expect(result.ghosts).toHaveLength(2);
    expect(result.threads).toHaveLength(2);
  });
});
