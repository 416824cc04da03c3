// Margin notes: where they go (placeNotes) and how a page names its claims (slugs, run keys).
import { describe, it, expect } from 'vitest';
import { placeNotes } from '../../app/components/claims/place';
import { parseRunKey, runKeyOf, slugsOf, type ClaimNote } from '../../app/components/claims/notes';

describe('placeNotes', () => {
  it('puts each note at its words when there is room', () => {
    expect(placeNotes([{ want: 0, height: 20 }, { want: 100, height: 20 }, { want: 300, height: 50 }])).toEqual([0, 100, 300]);
  });

  it('pushes a note down only as far as the one above it needs', () => {
    // The second wants 10 but the first ends at 20 (+4 gap); the third still fits at its words.
    expect(placeNotes([{ want: 0, height: 20 }, { want: 10, height: 20 }, { want: 60, height: 20 }])).toEqual([0, 24, 60]);
    // A run of notes at one place stacks.
    expect(placeNotes([{ want: 5, height: 10 }, { want: 5, height: 10 }, { want: 5, height: 10 }], [], 2)).toEqual([5, 17, 29]);
  });

  it('never lets a note overlap an open runner panel', () => {
    const tops = placeNotes([{ want: 0, height: 20 }, { want: 90, height: 20 }, { want: 400, height: 20 }], [{ top: 100, bottom: 300 }]);
    expect(tops).toEqual([0, 304, 400]);
    // One that would end inside the band moves below it too; a following one stays below that.
    expect(placeNotes([{ want: 85, height: 20 }, { want: 95, height: 20 }], [{ top: 100, bottom: 300 }])).toEqual([304, 328]);
  });
});

describe('claim names on a page', () => {
  it('names a claim by its id in its file, counting up when two files share one', () => {
    const slugs = slugsOf(['ocfs2-devel/a.md#zero-is-minor-fault', 'linux-mm/b.md#nopage', 'linux-mm/c.md#nopage', 'x.md#odd id!']);
    expect([...slugs.values()]).toEqual(['zero-is-minor-fault', 'nopage', 'nopage-2', 'odd-id-']);
  });

  it('reads back a run key, refusing tests that do not exist or cannot run', () => {
    const test = { scenario: 's', era: '2.6.37', handler: 'ocfs2', computed: 'supported' as const, counterexample: false, settings: {} };
    const notes: ClaimNote[] = [
      { slug: 'a', claimant: 'N', statement: '', kind: 'rule', verdict: 'supported', block: 'q-1-0', tests: [test, { ...test, missing: true }, test] },
    ];
    expect(parseRunKey(runKeyOf('a', 0), notes)).toEqual({ slug: 'a', test: 0 });
    expect(parseRunKey(runKeyOf('a', 2), notes)).toEqual({ slug: 'a', test: 2 });
    expect(parseRunKey('a@1', notes)).toBeNull();
    expect(parseRunKey('a@3', notes)).toBeNull();
    expect(parseRunKey('a@x', notes)).toBeNull();
    expect(parseRunKey('b', notes)).toBeNull();
  });
});
