// Margin notes: where they go (placeNotes) and how a page names its claims (slugs, run keys).
import { describe, it, expect } from 'vitest';
import { placeNotes } from '../../app/components/claims/place';
import { parseRunKey, runKeyOf, slugsOf, type ClaimNote } from '../../app/components/claims/notes';

describe('placeNotes', () => {
  it('puts each note at its words when there is room', () => {
    expect(placeNotes([{ want: 0, height: 20 }, { want: 100, height: 20 }, { want: 300, height: 50 }])).toEqual([0, 100, 300]);
  });

  it('spreads a crowd around its words, never above the margin', () => {
    // Three notes wanting 100 stack; the middle one sits at its words, the others one note away.
    expect(placeNotes([{ want: 100, height: 20 }, { want: 100, height: 20 }, { want: 100, height: 20 }])).toEqual([76, 100, 124]);
    // At the top the crowd can only go down.
    expect(placeNotes([{ want: 0, height: 20 }, { want: 10, height: 20 }], [], 4)).toEqual([0, 24]);
    // A crowd that reaches the next note's place takes it in: the farthest note is as near as it can be.
    const tops = placeNotes([{ want: 100, height: 20 }, { want: 100, height: 20 }, { want: 120, height: 20 }]);
    expect(tops).toEqual([86, 110, 134]);
    expect(Math.max(...tops.map((t, i) => Math.abs(t - [100, 100, 120][i]!)))).toBe(14);
  });

  it('never overlaps two notes', () => {
    const boxes = Array.from({ length: 40 }, (_, i) => ({ want: Math.floor((i * 37) % 300) + i * 5, height: 15 + (i % 3) * 10 }))
      .sort((a, b) => a.want - b.want);
    const tops = placeNotes(boxes, [{ top: 200, bottom: 260 }], 3);
    for (let i = 1; i < tops.length; i++) expect(tops[i]!).toBeGreaterThanOrEqual(tops[i - 1]! + boxes[i - 1]!.height + 3);
    for (const [i, t] of tops.entries()) expect(t + boxes[i]!.height <= 200 || t >= 260).toBe(true);
  });

  it('never lets a note overlap an open runner panel', () => {
    const tops = placeNotes([{ want: 0, height: 20 }, { want: 90, height: 20 }, { want: 400, height: 20 }], [{ top: 100, bottom: 300 }]);
    expect(tops).toEqual([0, 304, 400]);
    // A crowd just above the band: what fits above stays, the rest goes below.
    expect(placeNotes([{ want: 85, height: 20 }, { want: 95, height: 20 }], [{ top: 100, bottom: 300 }])).toEqual([78, 304]);
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
      { slug: 'a', key: 'f.md#a', claimant: 'N', statement: '', kind: 'rule', verdict: 'supported', tests: [test, { ...test, missing: true }, test] },
    ];
    expect(parseRunKey(runKeyOf('a', 0), notes)).toEqual({ slug: 'a', test: 0 });
    expect(parseRunKey(runKeyOf('a', 2), notes)).toEqual({ slug: 'a', test: 2 });
    expect(parseRunKey('a@1', notes)).toBeNull();
    expect(parseRunKey('a@3', notes)).toBeNull();
    expect(parseRunKey('a@x', notes)).toBeNull();
    expect(parseRunKey('b', notes)).toBeNull();
  });
});
