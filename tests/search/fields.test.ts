import { describe, it, expect } from 'vitest';
import { storeSegments } from '../../lib/quote/stored';
import { messageFields, type MessageSource } from '../../lib/search/fields';
import type { Segment, SegmentKind } from '../../lib/quote/types';

/** A body made of (kind, text) pieces, with the segments that describe it. */
function message(pieces: Array<[SegmentKind, string, number?]>): MessageSource {
  let body = '';
  const segments: Segment[] = [];
  for (const [kind, text, depth] of pieces) {
    segments.push({ kind, start: body.length, end: body.length + text.length, depth: depth ?? (kind === 'quote' ? 1 : 0) });
    body += text;
  }
  return {
    subject: 'Re: [PATCH] mm: fix', fromName: 'Nick Piggin', fromAddress: 'npiggin@suse.de',
    toJson: JSON.stringify([{ name: 'Andrew Morton', address: 'akpm@linux-foundation.org' }]),
    ccJson: JSON.stringify([{ name: null, address: 'linux-mm@kvack.org' }]),
    body, segmentsJson: storeSegments(segments),
  };
}

const PATCH = `diff --git a/mm/memory.c b/mm/memory.c
index 1234567..89abcde 100644
--- a/mm/memory.c
+++ b/mm/memory.c
@@ -1,4 +1,4 @@ static int do_wp_page(struct vm_fault *vmf)
 context line
-	ret = VM_FAULT_SIGBUS;
--- not a header but a removed line
+	ret = VM_FAULT_NOPAGE;
+++ not a header but an added line
`;

describe('the columns of a message', () => {
  it('puts each kind of segment in its column', () => {
    const f = messageFields(message([
      ['attribution', 'On Tue, Joel Becker wrote:\n'],
      ['quote', '> what does zero mean\n'],
      ['new', 'Zero means minor fault.\n'],
      ['diffstat', ' mm/memory.c | 2 +-\n'],
      ['diff', PATCH],
      ['trailers', 'Signed-off-by: Nick Piggin <npiggin@suse.de>\n'],
      ['signature', '-- \nNick\n'],
      ['footer', 'Ocfs2-devel mailing list\n'],
    ]));
    expect(f.subject).toBe('Re: [PATCH] mm: fix');
    expect(f.sender).toBe('Nick Piggin npiggin@suse.de');
    expect(f.recipients).toBe('Andrew Morton akpm@linux-foundation.org');
    expect(f.copied).toBe('linux-mm@kvack.org');
    expect(f.quoted_text).toBe('On Tue, Joel Becker wrote:\n\n> what does zero mean\n');
    expect(f.new_text).toContain('Zero means minor fault.');
    expect(f.new_text).toContain('Signed-off-by: Nick Piggin');
    expect(f.new_text).toContain('Nick\n');
    // A list's footer is the list's, not the message's.
    expect(Object.values(f).join('\n')).not.toContain('mailing list');
    expect(f.diff_files).toBe('mm/memory.c');
    // Hunk lengths, not the look of a line, decide what it is.
    expect(f.diff_removed).toBe('\tret = VM_FAULT_SIGBUS;\n-- not a header but a removed line');
    expect(f.diff_added).toBe('\tret = VM_FAULT_NOPAGE;\n++ not a header but an added line');
    expect(f.diff_context).toContain('context line');
    expect(f.diff_context).toContain('static int do_wp_page(struct vm_fault *vmf)');
    expect(f.diff_context).toContain('mm/memory.c | 2 +-');
  });

  it('counts segment offsets in UTF-16 units, so text after astral characters lands whole', () => {
    // 🐧 is two UTF-16 units and one code point: an offset counted in code points would cut words.
    const f = messageFields(message([['quote', '> 🐧🐧 penguins quoted\n'], ['new', 'VM_FAULT_NOPAGE then 𝔘nicode\n']]));
    expect(f.quoted_text).toBe('> 🐧🐧 penguins quoted\n');
    expect(f.new_text).toBe('VM_FAULT_NOPAGE then 𝔘nicode\n');
  });

  it('takes a patch quoted in a reply as quoted text', () => {
    const f = messageFields(message([['diff', '> -old\n> +new\n', 1]]));
    expect(f.quoted_text).toBe('> -old\n> +new\n');
    expect(f.diff_added).toBe('');
  });

  it('reads a message not segmented yet as all new text', () => {
    const f = messageFields({ ...message([]), body: '> quoted\nnew\n', segmentsJson: '[]' });
    expect(f.new_text).toBe('> quoted\nnew\n');
    expect(f.quoted_text).toBe('');
  });
});
