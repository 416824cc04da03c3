/** linkQuotes and reconstructGhost on hand-written messages: re-wrapping, elisions, fuzzy and failed matches, gaps. */
import { describe, expect, it } from 'vitest';
import { reconstructGhost } from '../../lib/quote/ghost';
import { FUZZY_MIN_SCORE, QuoteIndex, linkQuotes, type QuotedAncestor } from '../../lib/quote/provenance';
import { segmentBody } from '../../lib/quote/segment';
import type { QuoteSource } from '../../lib/quote/types';
import { segmentStarting } from './helpers';

const message = (archiveId: string, body: string): QuotedAncestor => ({ archiveId, body, segments: segmentBody(body), isGhost: false });
const spanText = (source: QuotedAncestor, s: QuoteSource) => source.body.slice(s.sourceStart!, s.sourceEnd!);

const grandparent = message(
  'gp@x',
  [
    'The fault handler retries when page_mkwrite returns VM_FAULT_NOPAGE.',
    'Filesystems that return zero leave the page unlocked, and the VM',
    'then checks the mapping itself.',
    '',
    'A second paragraph that nobody quotes, about writeback and dirty',
    'accounting in the buffer layer.',
    '',
    'A third paragraph: truncate races are closed by the page lock.',
  ].join('\n'),
);
const parent = message(
  'p@x',
  [
    'On Mon, Jan 3, 2011 at 10:00 AM, Grand Parent <gp@x.org> wrote:',
    '> The fault handler retries when page_mkwrite returns VM_FAULT_NOPAGE.',
    '',
    'Only for the NOPAGE case; SIGBUS is final.',
  ].join('\n'),
);

describe('linkQuotes', () => {
  it('links depth-1 quotes to the parent and depth-2 quotes to the grandparent, re-wrapped text included', () => {
    const reply = message(
      'r@x',
      [
        'On Tue, Jan 4, 2011 at 9:00 AM, Parent <p@x.org> wrote:',
        '> On Mon, Jan 3, 2011 at 10:00 AM, Grand Parent <gp@x.org> wrote:',
        '> > The fault handler retries when page_mkwrite returns',
        '> > VM_FAULT_NOPAGE.   Filesystems that return zero',
        '> > leave the page unlocked,',
        '>',
        '> Only for the NOPAGE case; SIGBUS is final.',
        '',
        'Thanks.',
      ].join('\n'),
    );
    const sources = linkQuotes(reply, [parent, grandparent]);
    const deep = segmentStarting(reply.body, reply.segments, '> > The fault handler');
    const shallow = segmentStarting(reply.body, reply.segments, '>\n> Only for');
    expect(sources.map((s) => s.segment)).toEqual([deep.index, shallow.index]);
    expect(sources[0]).toMatchObject({ sourceArchiveId: 'gp@x', match: 'exact', score: 1 });
    expect(spanText(grandparent, sources[0]!)).toBe(
      'The fault handler retries when page_mkwrite returns VM_FAULT_NOPAGE.\nFilesystems that return zero leave the page unlocked,',
    );
    expect(sources[1]).toMatchObject({ sourceArchiveId: 'p@x', match: 'exact' });
    expect(spanText(parent, sources[1]!)).toBe('Only for the NOPAGE case; SIGBUS is final.');
  });

  it('matches the pieces of a quote cut with "[...]" and spans from the first to the last', () => {
    const reply = message(
      'r@x',
      ['> The fault handler retries when page_mkwrite returns VM_FAULT_NOPAGE.', '> [...]', '> A third paragraph: truncate races', '', 'Yes.'].join('\n'),
    );
    const [source] = linkQuotes(reply, [grandparent]);
    expect(source).toMatchObject({ sourceArchiveId: 'gp@x', match: 'exact', score: 1 });
    const span = spanText(grandparent, source!);
    expect(span.startsWith('The fault handler')).toBe(true);
    expect(span.endsWith('truncate races')).toBe(true);
  });

  it('scores a quote edited by hand as fuzzy, and one that is not there as unmatched', () => {
    const edited = message(
      'r@x',
      [
        '> The fault handler retries whenever page_mkwrite returns VM_FAULT_NOPAGE.',
        '> Filesystems that return zero leave the page unlocked, and the VM',
        '> then checks the mapping itself.',
        '',
        'Right.',
        '',
        '> Something the parent never wrote, about completely different things.',
      ].join('\n'),
    );
    const [fuzzy, missing] = linkQuotes(edited, [grandparent]);
    expect(fuzzy).toMatchObject({ sourceArchiveId: 'gp@x', match: 'fuzzy' });
    expect(fuzzy!.score).toBeGreaterThanOrEqual(FUZZY_MIN_SCORE);
    expect(fuzzy!.score).toBeLessThan(1);
    expect(spanText(grandparent, fuzzy!)).toMatch(/^The fault handler retries[\s\S]*checks the mapping itself\.$/);
    expect(missing).toEqual({ segment: 2, sourceArchiveId: null, sourceStart: null, sourceEnd: null, match: 'unmatched', score: 0 });
  });

  it('falls back to another ancestor when the one the depth points at does not have the text', () => {
    // Quoted at depth 1 but written by the grandparent: the parent's quote of it was cut away.
    const reply = message('r@x', ['> A third paragraph: truncate races are closed by the page lock.', '', 'Indeed.'].join('\n'));
    expect(linkQuotes(reply, [parent, grandparent])[0]).toMatchObject({ sourceArchiveId: 'gp@x', match: 'exact' });
  });

  it('prefers the occurrence after the previous quote when a phrase occurs twice', () => {
    const repeated = message('p@x', ['Fix it.', 'Some text in between.', 'Fix it.', 'More text.'].join('\n'));
    const reply = message('r@x', ['> Some text in between.', 'a', '> Fix it.', 'b'].join('\n'));
    const [, second] = linkQuotes(reply, [repeated]);
    expect(second!.sourceStart).toBe(repeated.body.lastIndexOf('Fix it.'));
  });

  it('reuses one index across the messages of a thread, and re-indexes a ghost whose text changed', () => {
    const index = new QuoteIndex();
    const ghost = { archiveId: 'ghost:1', body: '', segments: [], isGhost: true };
    const reply = message('r@x', '> ghost words here\n');
    expect(linkQuotes(reply, [ghost], index)[0]!.match).toBe('unmatched');
    const rebuilt = { ...ghost, body: 'ghost words here', segments: segmentBody('ghost words here') };
    expect(linkQuotes(reply, [rebuilt], index)[0]).toMatchObject({ sourceArchiveId: 'ghost:1', sourceStart: 0, sourceEnd: 16, match: 'exact' });
  });
});

describe('reconstructGhost', () => {
  /** A direct reply to the ghost: its depth-1 quotes are the ones of the ghost (the default). */
  const quoter = (body: string) => ({ body, segments: segmentBody(body) });
  const depthOne = (q: { segments: ReturnType<typeof segmentBody> }) => q.segments.flatMap((s, i) => (s.kind === 'quote' && s.depth === 1 ? [i] : []));

  it('joins one reply\'s fragments in order, marks its elisions, and points each quote into the text', () => {
    const reply = quoter(['On X, Joel Becker <joel@x.org> wrote:', '> first line', '> second line', '', 'answer', '', '> third line', '> [snip]', '> last line', '', 'bye'].join('\n'));
    const ghost = reconstructGhost([reply], 'ghost:joel');
    expect(ghost.body).toBe('first line\nsecond line\nthird line\n[...]\nlast line');
    expect(ghost.sources).toEqual([
      [
        { segment: depthOne(reply)[0], sourceArchiveId: 'ghost:joel', sourceStart: 0, sourceEnd: 22, match: 'exact', score: 1 },
        { segment: depthOne(reply)[1], sourceArchiveId: 'ghost:joel', sourceStart: 23, sourceEnd: ghost.body.length, match: 'exact', score: 1 },
      ],
    ]);
    expect(ghost.segments.map((s) => s.kind)).toEqual(['new']);
  });

  it('merges overlapping fragments of several replies, and keeps the line order of each', () => {
    const [zero, one, two, three, four, nine, ten] = [
      'Line zero of the missing message.',
      'Line one of the missing message.',
      'Line two of the missing message.',
      'Line three of the missing message.',
      'Line four of the missing message.',
      'Line nine of the missing message.',
      'Line ten of the missing message.',
    ];
    const a = quoter([`> ${one}`, `> ${two}`, `> ${three}`, '', 'reply a'].join('\n'));
    const b = quoter([`> ${three}`, `> ${four}`, '', 'reply b', '', `> ${nine}`, `> ${ten}`, '', 'more'].join('\n'));
    const c = quoter([`> ${zero}`, `> ${one}`, '', 'reply c'].join('\n'));
    const ghost = reconstructGhost([a, b, c], 'ghost:g');
    expect(ghost.body.split('\n')).toEqual([zero, one, two, three, four, nine, ten]);
    // b's quote shares its first line with a's; c's leads into a's.
    const [bFirst] = ghost.sources[1]!;
    expect(ghost.body.slice(bFirst!.sourceStart!, bFirst!.sourceEnd!)).toBe(`${three}\n${four}`);
    expect(ghost.body.slice(ghost.sources[2]![0]!.sourceStart!, ghost.sources[2]![0]!.sourceEnd!)).toBe(`${zero}\n${one}`);
  });

  it('does not join two fragments on a short line they share, such as a closing brace', () => {
    const a = quoter(['> static int f(void)', '> }', '', 'reply a'].join('\n'));
    const b = quoter(['> }', '> static int g(void)', '', 'reply b'].join('\n'));
    expect(reconstructGhost([a, b], 'ghost:g').body).toBe('static int f(void)\n}\n[...]\n}\nstatic int g(void)');
  });

  it('puts "[...]" between fragments of different replies that share no line', () => {
    const a = quoter(['> alpha', '', 'reply a'].join('\n'));
    const b = quoter(['> omega', '', 'reply b'].join('\n'));
    expect(reconstructGhost([a, b], 'ghost:g').body).toBe('alpha\n[...]\nomega');
  });

  it('keeps the ghost\'s own quotes, found between the quotes of it, one level shallower', () => {
    const reply = quoter(['> Joel: my point.', '> > what Nick said before', '> and my answer to it.', '', 'ok'].join('\n'));
    const ghost = reconstructGhost([reply], 'ghost:j');
    expect(ghost.body).toBe('Joel: my point.\n> what Nick said before\nand my answer to it.');
    expect(ghost.segments.map((s) => `${s.kind}:${s.depth}`)).toEqual(['new:0', 'quote:1', 'new:0']);
  });
});
