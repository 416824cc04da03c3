import { describe, it, expect } from 'vitest';
import { highlight, snippet } from '../../lib/search/match';
import { termMatcher } from '../../lib/search/highlight';

const marked = (parts: Array<{ text: string; hit: boolean }> | null) => parts && parts.map((p) => (p.hit ? `[${p.text}]` : p.text)).join('');

describe('highlighting', () => {
  it('marks whole words, folded as the index folds them, never parts of longer words', () => {
    expect(marked(highlight('VM_FAULT_NOPAGE, vm_fault_nopage; VM_FAULT_NOPAGE_X', [{ words: ['vm_fault_nopage'], prefix: false }])))
      .toBe('[VM_FAULT_NOPAGE], [vm_fault_nopage]; VM_FAULT_NOPAGE_X');
    expect(marked(highlight('Élan and elan', [{ words: ['elan'], prefix: false }]))).toBe('[Élan] and [elan]');
  });

  it('marks phrases across the punctuation between their words, and prefixes', () => {
    expect(marked(highlight('the minor  fault; a minor issue', [{ words: ['minor', 'fault'], prefix: false }]))).toBe('the [minor  fault]; a minor issue');
    expect(marked(highlight('page_mkwrite mkwrite', [{ words: ['page_mk'], prefix: true }]))).toBe('[page_mkwrite] mkwrite');
  });

  it('cuts a snippet around the densest cluster of matches, at word boundaries, with ellipses', () => {
    const text = `${'lorem ipsum '.repeat(40)}first NOPAGE here\n\n> and NOPAGE twice NOPAGE${' dolor sit'.repeat(40)}`;
    const s = marked(snippet(text, [{ words: ['nopage'], prefix: false }], 80))!;
    expect(s).toMatch(/^… /);
    expect(s).toMatch(/ …$/);
    expect(s.match(/\[NOPAGE\]/g)).toHaveLength(3);
    // Whitespace runs become single spaces; no word is cut.
    expect(s).toContain('here > and');
    expect(s.replace(/^… | …$/g, '').split(' ').every((w) => /^(\[NOPAGE\]|lorem|ipsum|first|here|>|and|twice|dolor|sit)$/.test(w))).toBe(true);
    expect(snippet('nothing here', [{ words: ['nopage'], prefix: false }])).toBeNull();
  });

  it('gives the message page a matcher for the words that search body text', () => {
    const all = termMatcher('s:btrfs f:piggin nq:NOPAGE q:SIGBUS truncate -retry')!;
    expect(marked(all('btrfs piggin NOPAGE SIGBUS truncate retry'))).toBe('btrfs piggin [NOPAGE] [SIGBUS] [truncate] retry');
    // By kind of segment: nq: words in new text, q: words in quotes, unprefixed words in both.
    expect(marked(termMatcher('nq:NOPAGE q:SIGBUS truncate', 'new')!('NOPAGE SIGBUS truncate'))).toBe('[NOPAGE] SIGBUS [truncate]');
    expect(marked(termMatcher('nq:NOPAGE q:SIGBUS truncate', 'quote')!('NOPAGE SIGBUS truncate'))).toBe('NOPAGE [SIGBUS] [truncate]');
    expect(marked(termMatcher('dfb:NOPAGE', 'diff')!('NOPAGE'))).toBe('[NOPAGE]');
    expect(termMatcher('dfb:NOPAGE', 'new')).toBeNull();
    expect(termMatcher('s:btrfs d:2010')).toBeNull();
    expect(termMatcher('foo (')).toBeNull();
  });
});
