// Candidate sentences in the bundled thread's own text: split where sentences end (not at "eg.",
// a path or a version), kept when they name what the engine models.

import { beforeAll, describe, expect, it } from 'vitest';
import { candidateSentences, KERNEL_VOCABULARY } from '../../lib/claims/candidates';
import { normalise } from '../../lib/claims/scope';
import { bundledMail, type BundledMessage } from './support';

let mail: BundledMessage[];
beforeAll(async () => { mail = await bundledMail(); });

/** The writer's own text of a message, a segment at a time as the page holds it, and its candidates. */
function candidates(archiveId: string) {
  const m = mail.find((x) => x.archiveId === archiveId)!;
  return m.segments.filter((s) => s.kind === 'new').flatMap((s) => {
    const text = m.body.slice(s.start, s.end);
    return candidateSentences(text).map((c) => ({ sentence: normalise(text.slice(c.start, c.end)), names: c.names }));
  });
}

describe('candidateSentences', () => {
  it("finds the claims of Nick Piggin's patch 2/2 sentence by sentence", () => {
    const found = candidates('20090311035503.GI16561@wotan.suse.de');
    expect(found.slice(0, 4)).toEqual([
      { sentence: 'page_mkwrite is called with neither the page lock nor the ptl held.', names: ['->page_mkwrite', 'the page lock'] },
      { sentence: 'This means a page can be concurrently truncated or invalidated out from underneath it.', names: ['truncation', 'invalidation'] },
      { sentence: 'Callers are supposed to prevent truncate races themselves, however previously the only thing they can do in case they hit one is to raise a SIGBUS.', names: ['truncation', 'SIGBUS'] },
      // "eg." ends no sentence
      { sentence: 'A sigbus is wrong for the case that the page has been invalidated or truncated within i_size (eg. hole punched).', names: ['truncation', 'invalidation'] },
    ]);
    const sentences = found.map((f) => f.sentence);
    expect(sentences).not.toContain('The previous patch made it possible to properly specify errors.');
    // "buffer.c" is a file, not a sentence's end; the sentence names VM_FAULT_NOPAGE after it.
    expect(sentences).toContainEqual(expect.stringMatching(/^Convert the generic buffer\.c code .* VM_FAULT_NOPAGE will cause .* retried properly\)\.$/));
  });

  it("keeps Jan Kara's ->page_mkwrite and error codes whole", () => {
    const found = candidates(mail.find((m) => m.body.includes('Some ->page_mkwrite handlers'))!.archiveId);
    expect(found[0]).toEqual({
      sentence: 'Some ->page_mkwrite handlers may return VM_FAULT_RETRY as its return code (GFS2 or Lustre can definitely do this).',
      names: ['VM_FAULT_* codes', '->page_mkwrite'],
    });
    expect(found[2]!.sentence).toMatch(/^Fix Lustre and block_page_mkwrite_ret\(\) .* VM_FAULT_NOPAGE instead .* what the handler wanted\.$/);
    expect(found[2]!.names).toEqual(['VM_FAULT_* codes', 'block_page_mkwrite']);
  });

  it('finds candidates in every bundled message that has its own text, and only sentences naming the vocabulary', () => {
    for (const m of mail) {
      for (const s of m.segments.filter((x) => x.kind === 'new')) {
        const text = m.body.slice(s.start, s.end);
        for (const c of candidateSentences(text)) {
          const sentence = text.slice(c.start, c.end);
          expect(sentence).toBe(sentence.trim());
          expect(c.names.length).toBeGreaterThan(0);
          expect(KERNEL_VOCABULARY.filter((v) => v.pattern.test(sentence)).map((v) => v.names)).toEqual(c.names);
        }
      }
    }
    const withCandidates = mail.filter((m) => m.segments.some((s) => s.kind === 'new' && candidateSentences(m.body.slice(s.start, s.end)).length > 0));
    expect(withCandidates.length).toBeGreaterThan(mail.length / 2);
  });

  it('ends sentences at ! and ? and blank lines, not at i.e. or a version number', () => {
    const text = 'Is that a SIGBUS? Yes! It is, i.e. the 2.6.29 fault path returns VM_FAULT_SIGBUS\n\nwriteback follows';
    expect(candidateSentences(text).map((c) => text.slice(c.start, c.end))).toEqual([
      'Is that a SIGBUS?', 'It is, i.e. the 2.6.29 fault path returns VM_FAULT_SIGBUS', 'writeback follows',
    ]);
  });
});
