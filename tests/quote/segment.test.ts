/** segmentBody on hand-written bodies: one case per rule, including the ones the corpora lack. */
import { describe, expect, it } from 'vitest';
import { segmentBody } from '../../lib/quote/segment';
import { expectContract, view } from './helpers';

const lines = (...l: string[]) => l.join('\n') + '\n';

describe('segmentBody: quotes and attributions', () => {
  it('splits new text, attribution and quotes of every marker style, blank lines going to the new text', () => {
    const body = lines(
      'Hi Joel,',
      '',
      'On Fri, Dec 31, 2010 at 10:29 AM, Joel Becker <Joel.Becker at oracle.com> wrote:',
      '> Nick,',
      '>> deeper, no space',
      '> > deeper, with space',
      '>',
      '> back at one',
      '',
      'Answer.',
    );
    const segments = segmentBody(body);
    expectContract(body, segments);
    expect(view(body, segments)).toEqual([
      ['new:0', 'Hi Joel,\n\n'],
      ['attribution:0', 'On Fri, Dec 31, 2010 at 10:29 AM, Joel Becker <Joel.Becker at oracle.com> wrote:\n'],
      ['quote:1', '> Nick,\n'],
      ['quote:2', '>> deeper, no space\n> > deeper, with space\n'],
      ['quote:1', '>\n> back at one\n'],
      ['new:0', '\nAnswer.\n'],
    ]);
    expect(segments[1]).toMatchObject({ name: 'Joel Becker', address: 'Joel.Becker@oracle.com', dateText: 'Fri, Dec 31, 2010 at 10:29 AM' });
  });

  it('reads attributions wrapped over lines, and French, German and Italian ones', () => {
    const body = lines(
      'On Mon, Dec 18, 2017 at 8:42 AM, Stephen Connolly <',
      'stephen.alan.connolly@gmail.com> wrote:',
      '> one',
      'Le mardi 31 octobre 2017, 16:08:01 CET Hervé BOUTEMY a écrit :',
      '> deux',
      'Am Fr., 31. Dez. 2010 um 10:29 Uhr schrieb Joel Becker <joel@example.org>:',
      '> drei',
      'Il dom 3 dic 2017, 13:21 Tibor Digana <tibordigana@apache.org> ha scritto:',
      '> quattro',
    );
    const attributions = segmentBody(body).filter((s) => s.kind === 'attribution');
    expect(attributions.map((s) => [s.name, s.address, s.dateText, body.slice(s.start, s.end).split('\n').length - 1])).toEqual([
      ['Stephen Connolly', 'stephen.alan.connolly@gmail.com', 'Mon, Dec 18, 2017 at 8:42 AM', 2],
      ['Hervé BOUTEMY', null, 'mardi 31 octobre 2017, 16:08:01 CET', 1],
      ['Joel Becker', 'joel@example.org', 'Fr., 31. Dez. 2010 um 10:29 Uhr', 1],
      ['Tibor Digana', 'tibordigana@apache.org', 'dom 3 dic 2017, 13:21', 1],
    ]);
  });

  it('reads "<name> wrote:", "Quoting", and mutt\'s "* name (addr) wrote:"', () => {
    const body = lines('Joe Perches wrote:', '> a', 'Quoting Joel Becker (Joel.Becker@oracle.com):', '> b', '* Ingo Molnar (mingo@elte.hu) wrote:', '', '> c');
    const attributions = segmentBody(body).filter((s) => s.kind === 'attribution');
    expect(attributions.map((s) => [s.name, s.address])).toEqual([
      ['Joe Perches', null],
      ['Joel Becker', 'Joel.Becker@oracle.com'],
      ['Ingo Molnar', 'mingo@elte.hu'],
    ]);
  });

  it('takes prose ending in "wrote:" for new text when no quote follows it', () => {
    const body = lines('Joe Perches wrote:', 'that this is fine.', '', 'I think that is what Linus wrote:', '> quoted anyway');
    expect(view(body).map(([k]) => k)).toEqual(['new:0', 'quote:1']);
  });

  it('keeps Apple Mail\'s attribution, written inside the quote it introduces, an attribution at the quote\'s depth', () => {
    const body = lines('Sounds good.', '', '> On 5 Nov 2017, at 10:42, Robert Scholte <rfscholte@apache.org> wrote:', '> ', '> I would like to drop strict scopes.');
    expect(view(body)).toEqual([
      ['new:0', 'Sounds good.\n\n'],
      ['attribution:1', '> On 5 Nov 2017, at 10:42, Robert Scholte <rfscholte@apache.org> wrote:\n> \n'],
      ['quote:1', '> I would like to drop strict scopes.\n'],
    ]);
  });

  it('reads Outlook\'s header block as an attribution and the text under it, unmarked, as a quote one level down', () => {
    const body = lines(
      'Top-posted answer.',
      '',
      '-----Original Message-----',
      'From: Lajos Moczar [mailto:lmocz@galatea.com]',
      'Sent: Thursday, January 09, 2003 1:05 PM',
      'To: Tomcat Users List',
      'Subject: Re: Tomcat w/Apache Question',
      '',
      'The original text.',
      '',
      'Wilson, Allen wrote:',
      '> Has anyone configured Tomcat?',
    );
    const segments = segmentBody(body);
    expectContract(body, segments);
    expect(view(body, segments).map(([k, t]) => [k, t.split('\n')[0]])).toEqual([
      ['new:0', 'Top-posted answer.'],
      ['attribution:0', '-----Original Message-----'],
      ['quote:1', ''],
      ['attribution:1', 'Wilson, Allen wrote:'],
      ['quote:2', '> Has anyone configured Tomcat?'],
    ]);
    expect(segments[1]).toMatchObject({ name: 'Lajos Moczar', address: 'lmocz@galatea.com', dateText: 'Thursday, January 09, 2003 1:05 PM' });
  });

  it('reads "From:" / "Date:" above a quote (David Miller\'s mailer) as an attribution', () => {
    const body = lines('From: Joe Perches <joe@perches.com>', 'Date: Sun, 14 Nov 2010 19:04:58 -0800', '', '> Signed-off-by: Joe Perches <joe@perches.com>', '', 'Applied.');
    const segments = segmentBody(body);
    expect(view(body, segments).map(([k]) => k)).toEqual(['attribution:0', 'quote:1', 'new:0']);
    expect(segments[0]).toMatchObject({ name: 'Joe Perches', address: 'joe@perches.com', dateText: 'Sun, 14 Nov 2010 19:04:58 -0800' });
  });
});

describe('segmentBody: signatures and footers', () => {
  it('takes "-- " and what follows as the signature, up to the list footer', () => {
    const body = lines(
      'Text.',
      '',
      '-- ',
      'Jiri Kosina',
      'SUSE Labs',
      '--',
      'To unsubscribe from this list: send the line "unsubscribe linux-kernel" in',
      'the body of a message to majordomo@vger.kernel.org',
      'More majordomo info at  http://vger.kernel.org/majordomo-info.html',
    );
    expect(view(body).map(([k, t]) => [k, t.split('\n')[0]])).toEqual([
      ['new:0', 'Text.'],
      ['signature:0', '-- '],
      ['footer:0', '--'],
    ]);
  });

  it('takes a short sign-off at the end of the new text, and nothing that only looks like one', () => {
    const signOff = lines('> question?', '', 'Answer.', '', 'Thanks,', 'Nick');
    expect(view(signOff).slice(-1)).toEqual([['signature:0', 'Thanks,\nNick\n']]);
    // A sign-off followed by more quote is still the end of the writer's text.
    expect(view(lines('Answer.', '', 'Cheers, Dan', '', '> unanswered')).map(([k]) => k)).toEqual(['new:0', 'signature:0', 'quote:1']);
    expect(view(lines('Answer.', '', 'Thanks, that helps')).map(([k]) => k)).toEqual(['new:0']);
    // Not a name under "Thanks!": a sentence.
    expect(view(lines('Answer.', '', 'Thanks!', 'Will test tomorrow')).map(([k]) => k)).toEqual(['new:0']);
    // A closing with nothing before it is the whole message, not a sign-off.
    expect(view(lines('Thanks,', 'Nick')).map(([k]) => k)).toEqual(['new:0']);
    // In the middle of the text, "Thanks," is prose.
    expect(view(lines('Thanks,', 'Nick', '', 'More text after.')).map(([k]) => k)).toEqual(['new:0']);
  });

  it('does not take git\'s bare "--" between cover note and patch for a signature', () => {
    const body = lines('Let\'s try this again with a better changelog.', '--', '', ...Array.from({ length: 12 }, (_, i) => `Paragraph line ${i}.`));
    expect(view(body).map(([k]) => k)).toEqual(['new:0']);
    expect(view(lines('Xattr?', '', '--', 'Thanks,', '', 'Steve')).map(([k]) => k)).toEqual(['new:0', 'signature:0']);
  });

  it('finds mailman, pipermail, ezmlm and kvack footers, with a sponsor block above the rule', () => {
    const mailman = lines('Text.', '_______________________________________________', 'Ocfs2-devel mailing list', 'Ocfs2-devel@oss.oracle.com', 'http://oss.oracle.com/mailman/listinfo/ocfs2-devel');
    expect(view(mailman).map(([k]) => k)).toEqual(['new:0', 'footer:0']);
    const pipermail = lines('Thanks,', 'Nick', '', '', 'More information about the Ocfs2-devel mailing list');
    expect(view(pipermail).map(([k]) => k)).toEqual(['new:0', 'footer:0']);
    const ezmlm = lines('Text.', '', '---------------------------------------------------------------------', 'To unsubscribe, e-mail: dev-unsubscribe@maven.apache.org', 'For additional commands, e-mail: dev-help@maven.apache.org');
    expect(view(ezmlm)[1]).toEqual(['footer:0', '---------------------------------------------------------------------\nTo unsubscribe, e-mail: dev-unsubscribe@maven.apache.org\nFor additional commands, e-mail: dev-help@maven.apache.org\n']);
    const sponsored = lines(
      '-- ',
      '1.7.3.1.g432b3.dirty',
      '------------------------------------------------------------------------------',
      'Centralized Desktop Delivery: Dell and VMware Reference Architecture',
      'http://p.sf.net/sfu/dell-eql-dev2dev',
      '_______________________________________________',
      'E1000-devel mailing list',
    );
    expect(view(sponsored).map(([k, t]) => [k, t.split('\n')[0]])).toEqual([
      ['signature:0', '-- '],
      ['footer:0', '------------------------------------------------------------------------------'],
    ]);
  });

  it('leaves a quoted footer in its quote', () => {
    const body = lines('Answer.', '', '> text', '> --', '> To unsubscribe from this list: send the line "unsubscribe netdev" in');
    expect(view(body).map(([k]) => k)).toEqual(['new:0', 'quote:1']);
  });
});

describe('segmentBody: inline patches', () => {
  const patch = lines(
    'Fix the thing.',
    '',
    'Cc: Sage Weil <sage@newdream.net>',
    'Signed-off-by: Nick Piggin <npiggin@suse.de>',
    '---',
    ' fs/buffer.c |    3 ++-',
    ' 1 file changed, 2 insertions(+), 1 deletion(-)',
    '',
    'diff --git a/fs/buffer.c b/fs/buffer.c',
    'index 68d11c295dd3..a74a370f16f0 100644',
    '--- a/fs/buffer.c',
    '+++ b/fs/buffer.c',
    '@@ -1,4 +1,5 @@',
    ' int f(void)',
    '-{',
    '+{ /* open */',
    '+\tint x;',
    '',
    ' }',
    '-- ',
    '2.20.1',
  );

  it('splits description, trailers, diffstat, diff and the format-patch signature', () => {
    const segments = segmentBody(patch);
    expectContract(patch, segments);
    expect(view(patch, segments).map(([k, t]) => [k, t.split('\n')[0]])).toEqual([
      ['new:0', 'Fix the thing.'],
      ['trailers:0', 'Cc: Sage Weil <sage@newdream.net>'],
      ['diffstat:0', '---'],
      ['diff:0', 'diff --git a/fs/buffer.c b/fs/buffer.c'],
      ['signature:0', '-- '],
    ]);
    // The hunk is counted from its header: its blank context line is in it, the "-- " after it is not.
    expect(view(patch, segments)[3]![1].endsWith(' }\n')).toBe(true);
  });

  it('keeps a patch quoted in a reply a quote', () => {
    const reply = lines('On 11/30/21 6:40 PM, Dan Carpenter wrote:', ...patch.trimEnd().split('\n').map((l) => `> ${l}`), '', 'Looks fine.', '', 'Reviewed-by: Joseph Qi <joseph.qi@linux.alibaba.com>');
    expect(view(reply).map(([k]) => k)).toEqual(['attribution:0', 'quote:1', 'new:0', 'trailers:0']);
  });

  it('does not take prose about diffs, or a lone "Cc:" line, for a patch', () => {
    const body = lines('diff -u is what I ran, see below.', '--- this is a dashed aside', 'Cc: Someone <a@b.org>', '@@ not a hunk');
    expect(view(body).map(([k]) => k)).toEqual(['new:0']);
  });

  it('takes "Index:" / "=====" headers and hunks edited by hand (no hunk header) as a diff', () => {
    const body = lines('Index: linux-2.6/fs/buffer.c', '===================================================================', '--- linux-2.6.orig/fs/buffer.c', '+++ linux-2.6/fs/buffer.c', ' }', ' ', ' static int f(void)', 'Text after.');
    expect(view(body).map(([k, t]) => [k, t.split('\n').length - 1])).toEqual([
      ['diff:0', 7],
      ['new:0', 1],
    ]);
  });
});

describe('segmentBody: edge cases', () => {
  it('returns no segment for an empty body and one for a blank one', () => {
    expect(segmentBody('')).toEqual([]);
    expect(view('\n\n')).toEqual([['new:0', '\n\n']]);
  });

  it('counts offsets in UTF-16 code units and keeps CRLF line ends inside the lines', () => {
    const body = 'Ça va 😀\r\n> cité\r\nfin';
    const segments = segmentBody(body);
    expectContract(body, segments);
    expect(view(body, segments)).toEqual([
      ['new:0', 'Ça va 😀\r\n'],
      ['quote:1', '> cité\r\n'],
      ['new:0', 'fin'],
    ]);
  });
});
