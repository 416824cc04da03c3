// Where margin notes go: each beside its words, a crowd of notes spread around the words they
// annotate (as a document's margin comments are), never overlapping each other or an open runner
// panel (which spans the margin). Pure: measured heights in, tops out; the page measures and applies.

export interface NoteBox {
  /** Top of the note's words, relative to the margin. */
  want: number;
  height: number;
}

/** A band of the margin nothing may cover (an open runner panel). */
export interface Band { top: number; bottom: number }

/** Notes stacked without gaps between them, placed as one. */
interface Stack {
  first: number;
  count: number;
  height: number;
  /** The least and greatest top the stack would need for each of its notes to sit at its words. */
  lo: number;
  hi: number;
  top: number;
}

/**
 * Tops for notes in the order of their words. A note sits at its words when it can; notes that
 * would overlap form a stack, placed so that the note farthest from its words is as near as it
 * can be (some above, some below), and never above the margin's top. A note that would cover a
 * band goes below it, and the notes after it move down as little as needed.
 */
export function placeNotes(boxes: readonly NoteBox[], bands: readonly Band[] = [], gap = 4): number[] {
  const stacks: Stack[] = [];
  boxes.forEach(({ want, height }, i) => {
    let s: Stack = { first: i, count: 1, height, lo: want, hi: want, top: want };
    for (;;) {
      s.top = Math.max(0, (s.lo + s.hi) / 2);
      const prev = stacks[stacks.length - 1];
      if (!prev || prev.top + prev.height + gap <= s.top) break;
      // Overlapping the stack above: one stack now, whose later notes sit below its earlier ones.
      stacks.pop();
      const shift = prev.height + gap;
      s = { first: prev.first, count: prev.count + s.count, height: shift + s.height, lo: Math.min(prev.lo, s.lo - shift), hi: Math.max(prev.hi, s.hi - shift), top: 0 };
    }
    stacks.push(s);
  });
  const tops: number[] = [];
  for (const s of stacks) {
    let y = s.top;
    for (let i = s.first; i < s.first + s.count; i++) {
      tops.push(y);
      y += boxes[i]!.height + gap;
    }
  }
  // Bands last: a note covering one moves below it, pushing the ones after it.
  const sorted = [...bands].sort((a, b) => a.top - b.top);
  let floor = -Infinity;
  return tops.map((t, i) => {
    let top = Math.max(t, floor);
    for (const b of sorted) if (top < b.bottom && top + boxes[i]!.height > b.top) top = b.bottom + gap;
    floor = top + boxes[i]!.height + gap;
    return top;
  });
}
