// Where margin notes go: each as near the top of its words as the notes above it allow, never
// overlapping another note or an open runner panel (which spans the margin). Pure: measured
// heights in, tops out; the page measures and applies.

export interface NoteBox {
  /** Top of the note's words, relative to the margin. */
  want: number;
  height: number;
}

/** A band of the margin nothing may cover (an open runner panel). */
export interface Band { top: number; bottom: number }

/**
 * Tops for notes in the order of their words: each goes at its words unless the note above
 * reaches lower, then just below it (pushed down the least needed), and below any band it
 * would overlap.
 */
export function placeNotes(boxes: readonly NoteBox[], bands: readonly Band[] = [], gap = 4): number[] {
  const sorted = [...bands].sort((a, b) => a.top - b.top);
  let floor = -Infinity;
  return boxes.map(({ want, height }) => {
    let top = Math.max(want, floor);
    for (const b of sorted) if (top < b.bottom && top + height > b.top) top = b.bottom + gap;
    floor = top + height + gap;
    return top;
  });
}
